"""The end of a training run: the loss at its first and last epoch, every sample's
prediction beside its target, and the loss curve drawn in the terminal."""

from __future__ import annotations

import contextlib

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from nntrace.common.elision import present
from nntrace.common.errors import printable
from nntrace.model.losses import Loss
from nntrace.notation import numbers
from nntrace.notation.numbers import NumberFormat
from nntrace.spec.validate import Spec
from nntrace.terminal.console import INDENT, Grid, Hanging, in_words, listed_note, listed_samples
from nntrace.terminal.equations import cell_rows
from nntrace.writers.unicode import UnicodeWriter
from nntrace.writers.unicode import number_text as written_text

CURVE_HEIGHT = 10  # rows of the terminal loss curve
WIDE = 4  # more outputs than this: each sample's classes instead of every output
BRAILLE = 0x2800
# Braille dot bits by (column, row) within a 2 x 4 character cell.
DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def _number(value: float, fmt: NumberFormat) -> str:
    return written_text(numbers.written(value, fmt))


CLASS_ROWS = 1 << 16  # samples classified at once: the masks and indices are a block's, not the data's


def predicted_classes(outputs: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(predicted, true) classes where the targets are 0/1 labels or one-hot rows (numbered from 1),
    else None; found a block of samples at a time, as small integers."""
    count, columns = targets.shape
    one_column = columns == 1
    kind = np.int16 if columns < 2**15 else np.int32
    predicted, true = np.empty(count, kind), np.empty(count, kind)
    for start in range(0, count, CLASS_ROWS):
        given, block = outputs[start : start + CLASS_ROWS], targets[start : start + CLASS_ROWS]
        stop = start + len(block)
        if not np.isin(block, (0.0, 1.0)).all():
            return None
        if one_column:
            predicted[start:stop] = given[:, 0] >= 0.5
            true[start:stop] = block[:, 0]
        elif (block.sum(axis=1) == 1).all():
            predicted[start:stop] = given.argmax(axis=1) + 1
            true[start:stop] = block.argmax(axis=1) + 1
        else:
            return None
    return predicted, true


def plotted_range(losses: np.ndarray, log: bool) -> tuple[float, float] | None:
    """The smallest and largest loss a curve can draw (finite ones, positive ones on a log scale),
    found without copying the history: a long run's curve costs a mask, not another array."""
    drawable = np.isfinite(losses)
    if log:
        drawable &= losses > 0
    if not drawable.any():
        return None
    return float(np.min(losses, where=drawable, initial=np.inf)), float(np.max(losses, where=drawable, initial=-np.inf))


def curve_rows(losses: np.ndarray, width: int, height: int, log: bool) -> list[str]:
    """The loss per epoch as braille dots, `width` x `height` characters, first epoch at the left."""
    values = np.asarray(losses, dtype=np.float64)
    extent = plotted_range(values, log)
    if extent is None:
        return []
    transform = np.log10 if log else (lambda v: v)
    low, high = transform(extent[0]), transform(extent[1])
    span = (high - low) or 1.0
    pixels_x, pixels_y = width * 2, height * 4
    # Each pixel column shows the loss at the epoch it falls on.
    picks = np.minimum((np.arange(pixels_x) * len(values)) // pixels_x, len(values) - 1)
    grid = [[0] * width for _ in range(height)]
    previous = None
    for x, epoch in enumerate(picks):
        value = values[epoch]
        if not np.isfinite(value) or (log and value <= 0):
            previous = None
            continue
        y = int(round((transform(value) - low) / span * (pixels_y - 1)))
        # Join to the previous column so a steep fall stays a continuous line.
        joined = y if previous is None else previous
        for dot in range(min(y, joined), max(y, joined) + 1):
            row = pixels_y - 1 - dot
            grid[row // 4][x // 2] |= DOTS[x % 2][row % 4]
        previous = y
    return ["".join(chr(BRAILLE + cell) if cell else " " for cell in row) for row in grid]


class LossCurve:
    """The loss per epoch drawn with braille dots, with its value and epoch axes."""

    def __init__(self, losses: np.ndarray, fmt: NumberFormat, log: bool = False):
        self.losses, self.fmt, self.log = losses, fmt, log

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        losses = self.losses
        extent = plotted_range(losses, self.log)
        if len(losses) < 2 or extent is None:
            return
        top, bottom = _number(extent[1], self.fmt), _number(extent[0], self.fmt)
        label_width = max(len(top), len(bottom))
        width = max(min(options.max_width - label_width - len(INDENT) - 3, 72), 10)
        rows = curve_rows(losses, width, CURVE_HEIGHT, self.log)
        scale = "log scale" if self.log else "linear scale"
        yield Text(f"Loss per epoch ({scale})", style="bold")
        for number, row in enumerate(rows):
            label = top if number == 0 else bottom if number == len(rows) - 1 else ""
            tick = "\u2524" if label else "\u2502"
            line = Text(f"{INDENT}{label.rjust(label_width)} {tick}", style="dim")
            line.append(row.rstrip(), style="cyan")
            yield line
        axis = "\u2500" * width
        yield Text(f"{INDENT}{' ' * label_width} \u2514{axis}", style="dim")
        first, last = "1", str(len(losses))
        yield Text(f"{INDENT}{' ' * label_width}  {first}{last.rjust(width - len(first))}", style="dim")
        yield Text(f"{INDENT}{' ' * label_width}  {'epoch'.center(width)}".rstrip(), style="dim")


class TrainingSummary:
    """Loss at the first and last epoch, predictions against targets, and the loss curve."""

    def __init__(
        self,
        spec: Spec,
        loss: Loss,
        losses: np.ndarray,
        predictions: np.ndarray,  # the outputs at the final parameters, one row per sample
        fmt: NumberFormat,
        log: bool = False,
        stopped_early: bool = False,
        test: object | None = None,  # api.TestResult: the held-out rows (data.test_rows) at the final parameters
    ):
        self.spec, self.loss, self.losses, self.predictions = spec, loss, losses, predictions
        self.fmt, self.log, self.stopped_early, self.test = fmt, log, stopped_early, test

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        spec, losses, p = self.spec, self.losses, self.fmt
        done = len(losses)
        title = f"Training summary: {spec.name}" if spec.name else "Training summary"
        yield Text(printable(title), style="bold")
        state = f"{done} of {spec.epochs} (stopped early)" if self.stopped_early else str(done)
        yield Text(f"{INDENT}epochs     {state}")
        if done:
            formula = UnicodeWriter().formula_text(self.loss.formula())
            parts = [f"{self.loss.title} ({formula})", f"epoch 1: {_number(losses[0], p)}"]
            if done > 1:
                parts.append(f"epoch {done}: {_number(losses[-1], p)}")
            yield Hanging(f"{INDENT}loss       ", parts, INDENT + " " * 11)
        yield Text(f"{INDENT}           (each epoch's loss is measured before its updates)", style="dim")
        yield Text()
        yield from self._predictions(console, options)
        if self.test is not None:
            yield Text()
            yield from self._test_set()
        if done >= 2:
            yield Text()
            yield LossCurve(losses, p, self.log)

    def _predictions(self, console: Console, options: ConsoleOptions):
        spec, p = self.spec, self.fmt
        outputs, targets = self.predictions, spec.targets
        classes = predicted_classes(outputs, targets)
        listed = listed_samples(len(outputs))
        by_class = classes is not None and outputs.shape[1] > WIDE
        headers = ["sample"]
        if by_class:
            # Many classes: the class each sample is and is given, not every output.
            headers += ["target class", "largest output"]
        else:
            names = spec.target_names or tuple(
                f"y{j + 1}" if targets.shape[1] > 1 else "y" for j in range(targets.shape[1])
            )
            headers += [printable(f"target {name}" if len(names) > 1 else "target") for name in names]
            headers += [f"output {j + 1}" if outputs.shape[1] > 1 else "output" for j in range(outputs.shape[1])]
        if classes is not None:
            headers += ["class", ""]
        rows = present(listed)
        target_cells, output_cells = cell_rows(targets[rows], p), cell_rows(outputs[rows], p)
        largest = cell_rows(outputs[rows].max(axis=1, keepdims=True), p)
        cells_of = dict(zip(rows, range(len(rows))))
        lines: list[list[str] | None] = []
        for i in listed:
            if i is None:
                lines.append(None)
                continue
            k = cells_of[i]
            if by_class:
                cells = [str(i + 1), self._class_label(classes[1][i]), *largest[k]]
            else:
                cells = [str(i + 1), *target_cells[k], *output_cells[k]]
            if classes is not None:
                right = classes[0][i] == classes[1][i]
                cells += [self._class_label(classes[0][i]), "\u2713" if right else "\u2717"]
            lines.append(cells)
        yield Text("Predictions at the final parameters", style="bold")
        yield Grid(headers, lines)
        if len(listed) < len(outputs):
            yield listed_note(len(rows), len(outputs))
        if classes is not None:
            many = len(listed) < len(outputs)
            yield accuracy_line(classes, outputs.shape[1], with_percentage=many)
            if many:
                yield Text()
                yield from confusion_matrix(classes, self._class_label)

    def _test_set(self):
        test, targets = self.test, self.spec.test_targets
        yield Text(f"Test set: the last {len(targets):,} rows of the CSV, held out of training", style="bold")
        yield Text(f"{INDENT}loss {_number(test.loss, self.fmt)} ({self.loss.title})")
        classes = predicted_classes(test.predictions, targets)
        if classes is not None:
            yield accuracy_line(classes, targets.shape[1], with_percentage=True)
            yield Text()
            yield from confusion_matrix(classes, self._class_label)

    def _class_label(self, number: int) -> str:
        """Class `number` (1-based for one-hot rows) by its target column's name where the CSV names it."""
        names = self.spec.target_names
        return printable(names[number - 1]) if names and len(names) > 1 else str(number)


def accuracy_line(classes: tuple[np.ndarray, np.ndarray], outputs: int, with_percentage: bool) -> Hanging:
    predicted, true = classes
    correct, count = int((predicted == true).sum()), len(true)
    rule = "output \u2265 0.5 is class 1" if outputs == 1 else "class = the largest output"
    accuracy = f": accuracy {100 * correct / count:.1f}%" if with_percentage else ""
    return in_words(f"{INDENT}{correct:,} of {count:,} samples classified correctly{accuracy} ({rule})", INDENT * 2)


def confusion_matrix(classes: tuple[np.ndarray, np.ndarray], label=str):
    """How many samples of each true class (rows) were given each class (columns)."""
    counts = class_counts(*classes)
    numbers = [number for number in range(len(counts)) if counts[number].any() or counts[:, number].any()]
    rows = [[label(number), *(str(int(counts[number, other])) for other in numbers)] for number in numbers]
    yield Text("Confusion matrix (rows: the true class, columns: the class given)", style="bold")
    yield Grid(["true \\ given", *(label(number) for number in numbers)], rows)


def class_counts(predicted: np.ndarray, true: np.ndarray) -> np.ndarray:
    """counts[t, p]: how many samples of true class t were given class p (a block at a time)."""
    size = int(max(predicted.max(), true.max())) + 1
    counts = np.zeros(size * size, dtype=np.int64)
    for start in range(0, len(true), CLASS_ROWS):
        cells = true[start : start + CLASS_ROWS].astype(np.intp) * size + predicted[start : start + CLASS_ROWS]
        counts += np.bincount(cells, minlength=size * size)
    return counts.reshape(size, size)


class EpochProgress:
    """A progress bar on stderr while training (or doing `what` to `unit`), shown only when stderr
    is a terminal."""

    def __init__(self, total: int, enabled: bool, no_color: bool, what: str = "training", unit: str = "epochs"):
        console = Console(stderr=True, color_system=None if no_color else "auto")
        self.every = max(1, total // 500)  # a few hundred refreshes whatever the length
        self._progress = None
        if enabled and console.is_terminal:
            # Imported only when a bar is drawn: piped and quiet runs do not pay for it.
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn(what),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(unit),
                TimeRemainingColumn(),
                console=console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = self._progress.add_task(what, total=total)

    def __enter__(self) -> "EpochProgress":
        self._draw(True)
        return self

    def __exit__(self, *exc) -> None:
        self._draw(False)

    def _draw(self, on: bool) -> None:
        if self._progress is None:
            return
        if on:
            self._progress.start()
        else:
            self._progress.stop()

    def update(self, epoch: int) -> None:
        self._progress.update(self._task, completed=epoch)

    @property
    def callback(self):
        return self.update if self._progress is not None else None

    @contextlib.contextmanager
    def pause(self):
        """Stop drawing while something else is printed to the same terminal."""
        self._draw(False)
        yield
        self._draw(True)
