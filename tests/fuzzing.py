"""Hostile input for every command, as the fuzz test (tests/test_fuzz_cli.py, hypothesis, in CI) and
the long fuzz (benchmarks/fuzz.py, seeded, >= 10,000 cases) both generate it.

A case is a spec (YAML text, valid in form and then, often, corrupted: Unicode names, extreme
exponents, epochs and batches out of range, broken YAML, hostile CSV files beside it) and an
invocation of one command with options in range and out of it. The generators draw through a
`Pick`, so hypothesis (HypothesisPick) and a seeded random.Random (RandomPick) drive the same code.

What must hold for every case (`judge`): the exit code is 0, 1 or 2 (never 70, the bug exit, nor
anything else), no traceback, and a run that exits 0 printed and wrote no NaN or infinity.
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

NON_FINITE = re.compile(r"(?<![\w.])-?(?:inf|nan|infinity)(?![\w])|\\infty|∞|\bNaN\b|\bInfinity\b", re.IGNORECASE)
EXIT_CODES = (0, 1, 2)
ACTIVATIONS = ["sigmoid"] * 6 + ["tanh", "relu", "leaky_relu", "linear", "softplus", "elu", "silu", "step", "softmax"]
LOSSES = ["half_sse", "sse", "mse", "cross_entropy"]
EXTREME = [1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-300, 1e300, 1e154, 1e200, -1e200, 2.2e-308]
HOSTILE_TEXT = [
    "\x1b[2J", "\u202eevil", "名前", "𝔥𝔦𝔡𝔡𝔢𝔫", "W_h²", "δ", "σ′", "h\u0301", "x" * 300, "", " ", "[/]",
    "[bold]", "\x00", "\x7f", "\ud7ff", "\ufeffbom", "line\nbreak", "tab\there", "'\"", "*alias", "&anchor",
    "!!str", "- item",
]  # fmt: skip
ODD_VALUES = [
    None, True, False, "", "nan", ".inf", "-.inf", "1e400", "1e99999", "[/]", "\x1b[2J", -1, 0, 10**30, -(10**30),
    2**33, 2.5, 3.0, [], {}, [1], {"a": 1}, "full", "all", 1e300, -1e300, 1e-300,
]  # fmt: skip


class Pick:
    """The choices a generator makes."""

    def choice(self, options):  # pragma: no cover - an interface
        raise NotImplementedError

    def integer(self, low: int, high: int) -> int:  # pragma: no cover
        raise NotImplementedError

    def text(self) -> str:
        """A name or title: hostile text, but never the words a non-finite number prints as."""
        return re.sub(r"(?i)inf|nan|∞", "x", self._text())

    def _text(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def chance(self, percent: int) -> bool:
        return self.integer(0, 99) < percent

    def number(self) -> float | int:
        kind = self.integer(0, 9)
        if kind == 0:
            return self.choice(EXTREME)
        if kind == 1:
            return self.integer(-3, 3)
        return round(self.integer(-300, 300) / 100, 2)


class RandomPick(Pick):
    """Choices from a seeded random.Random: the long fuzz, reproducible case by case."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def choice(self, options):
        return options[self.rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def _text(self) -> str:
        if self.chance(60):
            return self.choice(HOSTILE_TEXT)
        ranges = [(0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x3FF), (0x4E00, 0x4E80), (0x1F600, 0x1F64F), (0x0, 0x1F)]
        chars = []
        for _ in range(self.integer(0, 8)):
            low, high = self.choice(ranges)
            chars.append(chr(self.integer(low, high)))
        return "".join(chars)


class HypothesisPick(Pick):
    """Choices hypothesis draws (and shrinks): the fuzz test in CI."""

    def __init__(self, data):
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def choice(self, options):
        return self.data.draw(self.st.sampled_from(list(options)))

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(self.st.integers(low, high))

    def _text(self) -> str:
        return self.data.draw(self.st.one_of(self.st.sampled_from(HOSTILE_TEXT), self.st.text(max_size=8)))


@dataclass
class Case:
    """A spec (with the files beside it) and one command line."""

    spec: str
    arguments: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)  # files the command may write, to check for NaN


# --- specs ---------------------------------------------------------------------------------------------


def _matrix(pick: Pick, rows: int, cols: int) -> list:
    return [[pick.number() for _ in range(cols)] for _ in range(rows)]


def spec_document(pick: Pick) -> tuple[dict, dict[str, bytes]]:
    """A spec that is valid in form, then (most of the time) made hostile in one or two ways."""
    sizes = [pick.integer(1, 3) for _ in range(pick.integer(2, 4))]
    samples = pick.integer(1, 5)
    layout = pick.choice(["rows", "columns"])
    loss = pick.choice(LOSSES)
    document: dict = {
        "inputs": _matrix(pick, samples, sizes[0]),
        "targets": [[pick.choice([0, 1, 0.25]) for _ in range(sizes[-1])] for _ in range(samples)],
        "learning_rate": pick.choice([0.1, 0.5, 1e30, 1e300, 1e-300]),
        "epochs": pick.choice([0, 1, 2, 3, 20]),
        "loss": loss,
        "layout": layout,
        "layers": [],
    }
    for a, b in zip(sizes, sizes[1:]):
        shape = (a, b) if layout == "rows" else (b, a)
        if pick.chance(10):
            shape = shape[::-1]  # typed transposed
        layer = {"weights": _matrix(pick, *shape), "biases": [pick.number() for _ in range(b)]}
        if pick.chance(50):
            layer["activation"] = pick.choice(ACTIVATIONS)
        document["layers"].append(layer)
    options = {
        "batch_size": lambda: pick.integer(1, samples),
        "shuffle": lambda: pick.integer(0, 9),
        "train_biases": lambda: pick.choice([True, False]),
        "optimizer": lambda: pick.choice(["sgd", "momentum", "rmsprop", "adam", "adamw",
                                          {"name": "adam", "beta1": pick.choice([0.0, 0.9, 0.999999, 1e-300])},
                                          {"name": "momentum", "momentum": 0.9, "nesterov": True}]),  # fmt: skip
        "update_order": lambda: pick.choice(["simultaneous", "output_first"]),
        "bias_sharing": lambda: pick.choice(["per_neuron", "per_neuron", "per_layer"]),
        "reduction": lambda: pick.choice(["sum", "mean"]),
        "name": pick.text,
    }
    for key, value in options.items():
        if pick.chance(25):
            document[key] = value()
    files: dict[str, bytes] = {}
    for _ in range(pick.choice([0, 0, 0, 1, 1, 2])):
        _corrupt(pick, document, files)
    return document, files


def _corrupt(pick: Pick, document: dict, files: dict[str, bytes]) -> None:
    way = pick.integer(0, 13)
    layers = document.get("layers") if isinstance(document.get("layers"), list) else []
    if way == 0 and document:
        del document[pick.choice(sorted(document))]
    elif way == 1 and document:
        document[pick.choice(sorted(document))] = pick.choice(ODD_VALUES)
    elif way == 2 and isinstance(document.get("inputs"), list) and document["inputs"]:
        row = document["inputs"][0]
        if isinstance(row, list) and row:
            row[0] = pick.choice(ODD_VALUES + EXTREME)
    elif way == 3:
        document[pick.choice(["unknown", "Inputs", "layer", pick.text() or "k"])] = 1
    elif way == 4:
        document["epochs"] = pick.choice([-1, 0, 10**9, 10**12, 2.0, "3", 100_000_001, 4.5])
    elif way == 5:
        document["batch_size"] = pick.choice([0, -1, 10**9, 2.5, "half", "full", None])
    elif way == 6 and layers:
        names = pick.choice([["h1", "H1"], ["O", "out"], ["h", "hidden"], ["hidden", "h"], ["a", "a"], ["x" * 40],
                             [pick.text()], ["名前"], ["h\u0301"], ["enc", "dec"]])  # fmt: skip
        for layer, name in zip(layers, names):
            if isinstance(layer, dict):
                layer["name"] = name
    elif way == 7 and layers:
        document["init"] = {"method": pick.choice(["he", "xavier", "uniform", "numpy_rand", "bogus"]),
                            "seed": pick.choice([0, 1, 2**32, -1, 2**32 - 1])}  # fmt: skip
        layer = pick.choice(layers)
        if isinstance(layer, dict):
            layer.pop("weights", None)
            layer.pop("biases", None)
            layer["size"] = pick.choice([1, 2, 64, 0, -3, 10**11, 2.0, 50_000_000])
    elif way == 8:
        document["learning_rate"] = pick.choice([0, -0.1, 1e308, 5e-324, "0.1", "nan"])
    elif way == 9:
        _csv_data(pick, document, files)
    elif way == 10:
        document["optimizer"] = pick.choice([{"name": "adam", "eps": 0}, {"name": "rmsprop", "alpha": 2},
                                             {"name": "adam", "beta2": 1e-300, "eps": 1e-300}, {"name": "nope"},
                                             {"name": "adamw", "weight_decay": 1e300}, "Adam"])  # fmt: skip
    elif way == 11 and layers:
        layer = pick.choice(layers)
        if isinstance(layer, dict):
            layer[pick.choice(["alpha", "train_biases", "size", "activation"])] = pick.choice(ODD_VALUES + [1e300])
    elif way == 12:
        document["name"] = pick.text()
    elif way == 13:
        document["shuffle"] = pick.choice([True, -1, 2**32, 2**64, 1.5, "yes"])


def _csv_data(pick: Pick, document: dict, files: dict[str, bytes]) -> None:
    """Samples from a CSV beside the spec, the CSV hostile in its own ways."""
    features = len(document["inputs"][0]) if isinstance(document.get("inputs"), list) and document["inputs"] and \
        isinstance(document["inputs"][0], list) else 2  # fmt: skip
    header = [f"x{i}" for i in range(max(features, 1))] + ["y"]
    rows = [[str(pick.number()) for _ in header[:-1]] + [str(pick.choice([0, 1]))] for _ in range(pick.integer(1, 6))]
    way = pick.integer(0, 9)
    if way == 0:
        rows[0][0] = pick.choice(["inf", "nan", "-Infinity", "x", "", "1e99999", "1,5", '"1"', "0x10", "١"])
    elif way == 1:
        header[0] = pick.choice([pick.text() or "n", "y", "\x1b[31m", "名前", ""])
    elif way == 2:
        rows.append(rows[0][:-1])  # a short row
    elif way == 3:
        header = header + [f"c{i}" for i in range(pick.choice([10, 2000]))]
        rows = [row + ["0"] * (len(header) - len(row)) for row in rows]
    text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    if way == 4:
        text = text.replace("\n", "\r")
    elif way == 5:
        text = ""
    elif way == 6:
        text = header[0] + "\n"
    raw = text.encode("utf-8")
    if way == 7:
        raw = raw[:-3] + b"\xff\xfe\n"
    files["data.csv"] = raw
    for key in ("inputs", "targets"):
        document.pop(key, None)
    document["data"] = {"csv": "data.csv", "target": pick.choice(["y", ["y"], "nope", ["y", "y"], 5]),
                        "normalize": pick.choice(["none", "max", "minmax", "z"])}  # fmt: skip
    if pick.chance(30):
        document["data"]["test_rows"] = pick.choice([0, 1, 3, 100, -1, 1.5])


def spec_text(pick: Pick, document: dict) -> str:
    """The YAML of `document`, sometimes broken or made hostile as text."""
    text = yaml.safe_dump(document, allow_unicode=pick.chance(50), sort_keys=pick.chance(50))
    way = pick.integer(0, 39)
    if way == 0:
        at = pick.integer(0, len(text))
        text = text[:at] + pick.choice(["\x01", "\t", "\x1b", "\x00", "\ufffe", "\x85"]) + text[at:]
    elif way == 1:
        text += pick.choice(["epochs: 1\n", "inputs: [[1]]\n", "learning_rate: 2\n"])  # a key given twice
    elif way == 2:
        text += "extra: " + "9" * pick.choice([309, 400, 4301]) + "\n"
    elif way == 3:
        text += pick.choice(["name: !!python/object/apply:os.system [echo hi]\n", "name: !!binary aGk=\n",
                             "name: !!set {a, b}\n", "name: 2001-12-14\n"])  # fmt: skip
    elif way == 4:
        depth = pick.choice([31, 33, 200, 1500])
        text += "name: [&a0 [1]" + "".join(f", &a{i} [*a{i - 1}]" for i in range(1, depth)) + "]\n"
    elif way == 5:
        text = text[: pick.integer(0, len(text))]  # cut anywhere
    elif way == 6:
        text += "name: " + "[" * pick.choice([30, 40, 500]) + "]" * pick.choice([30, 40, 500]) + "\n"
    elif way == 7:
        text = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 8)) + text  # fmt: skip
    elif way == 8:
        text = text.replace("0.1", pick.choice(["1e99999", "1.0e+400", "-1.0e+400", "0x1F", "1_0", ".NaN"]), 1)
    elif way == 9:
        text += "---\nepochs: 2\n"
    return text


# --- invocations ---------------------------------------------------------------------------------------

PARAMETERS = ["W_out[1,1]", "b_out[1]", "W_h[1,1]", "b_h[1]", "W_h1[2,1]", "W_h2[1,1]", "W_out[2,1]"]
BAD_PARAMETERS = ["W_out[9,9]", "nonsense", "W_out[0,1]", "W_out[1,1,1]", "W_out[-1,1]", "δ_out", "W_h²[1,1]",
                  "W_out[99999999999999999999,1]", "b_out"]  # fmt: skip
EPOCHS, BAD_EPOCHS = ["1", "2", "3", "5"], ["0", "-1", "1000000000000", "x", "2.5", "100000001"]
SELECTIONS = ["1", "1,last", "all", "last", "1-3", "2", "3,1"]
BAD_SELECTIONS = ["2-1", "9", "0", "1-100000000", "x", "1,,2", "3-", "-1"]


def _value(pick: Pick, good: list[str], bad: list[str]) -> str:
    """Mostly a value in range, one time in eight one out of it."""
    return pick.choice(bad) if pick.chance(12) else pick.choice(good)


def invocation(pick: Pick) -> tuple[list[str], list[str]]:
    """(the command line after the spec's path, the files it may write)."""
    command = pick.choice(["run", "run", "step", "forward", "explain", "gradcheck", "export", "export", "draw"])
    options: list[str] = []
    outputs: list[str] = []

    def epoch() -> str:
        return _value(pick, EPOCHS, BAD_EPOCHS)

    def selection() -> str:
        return _value(pick, SELECTIONS, BAD_SELECTIONS)

    if command == "run":
        options += pick.choice([[], [], ["--epochs", _value(pick, ["0", "3", "20"], ["-1", "100000001", "x"])],
                                ["--quiet"]])  # fmt: skip
        options += pick.choice([[], [], ["--show", selection()], ["--json", "-"], ["--json", "trace.json"],
                                ["--json", "trace.json", "--trace-epochs", selection()]])  # fmt: skip
        outputs.append("trace.json")
    elif command == "step":
        options += pick.choice([["--epoch", epoch()], ["--step", _value(pick, ["1", "3", "7"], ["99", "0"])], []])
    elif command == "explain":
        options += [_value(pick, PARAMETERS, BAD_PARAMETERS)]
        options += pick.choice([[], ["--epoch", epoch()], ["--to", "markdown"], ["--to", "latex", "-o", "x.tex"]])
        outputs.append("x.tex")
    elif command == "gradcheck":
        options += pick.choice([[], ["--tolerance", _value(pick, ["1e-5", "1e-3", "1e300"], ["0", "nan", "-1", "x"])]])
    elif command == "export":
        options += ["--to", _value(pick, ["latex", "markdown", "html"], ["pdf"])]
        options += pick.choice([[], ["--epoch", epoch()], ["--show", selection()]])
        options += pick.choice([[], ["--step", _value(pick, ["1", "2", "5"], ["99", "0"])], ["--fragment"],
                                ["-o", "doc.out"]])  # fmt: skip
        outputs.append("doc.out")
    elif command == "draw":
        options += pick.choice([[], ["--epoch", epoch()], ["--values"], ["--epoch", epoch(), "--values"]])
        options += pick.choice([[], ["--sample", _value(pick, ["1", "2"], ["9", "0"])], ["-o", "net.svg"]])
        outputs.append("net.svg")
    if command in ("run", "step", "explain", "export") and pick.chance(25):
        options += ["--batches", selection()]
    if command in ("run", "step", "forward", "export") and pick.chance(40):
        options += pick.choice([["--round", _value(pick, ["0", "2", "15"], ["16", "-1"])], ["--expand"],
                                ["--no-expand"], ["--precision", _value(pick, ["0", "6", "15"], ["16"])]])  # fmt: skip
    if command not in ("export", "draw") and pick.chance(20):
        options += ["--no-color"]
    if pick.chance(4):
        options += ["--max-input", pick.choice(["1KB", "0", "1GB", "x"])]
    return [command, *options], outputs


def other_invocation(pick: Pick) -> tuple[list[str], list[str]]:
    """The commands that take no spec: examples, new, params."""
    command = pick.choice(["examples", "new", "params"])
    if command == "examples":
        name = pick.choice(["paper", "digits", "biomarker-xor", "two-hidden", "nope", "../paper", pick.text() or "x"])
        arguments = pick.choice([[], [name], [name, "-o", pick.choice(["copy.yaml", "-", "digits.csv", "sub/x.yaml",
                                                                     "data.csv"])]])  # fmt: skip
        if pick.chance(30):
            arguments = [*arguments, "--force"]
        return ["examples", *arguments], ["copy.yaml", "digits.csv", "biomarker-xor.csv", "data.csv"]
    sizes = [_value(pick, ["1", "2", "3", "64"], ["65", "0", "-1", "x", "1000000000000", "9" * 40])
             for _ in range(pick.choice([0, 1, 2, 3, 3, 4, 5]))]  # fmt: skip
    if command == "new":
        return ["new", *sizes, *pick.choice([[], ["-o", "new.yaml"], ["-o", "new.yaml", "--force"]])], ["new.yaml"]
    return ["params", *sizes, *pick.choice([[], ["--no-color"]])], []


def case(pick: Pick) -> Case:
    """A whole case: mostly a spec and a command on it; sometimes a command that takes no spec."""
    if pick.chance(12):
        arguments, outputs = other_invocation(pick)
        return Case("", arguments, {}, outputs)
    document, files = spec_document(pick)
    arguments, outputs = invocation(pick)
    return Case(spec_text(pick, document), arguments, files, outputs)


# --- running and judging -------------------------------------------------------------------------------


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    written: dict[str, str]  # output files that exist after the run, by name


def run_case(folder: Path, one: Case) -> Outcome:
    """Run `one` in `folder` (its working directory) through click's runner, in this process."""
    from click.testing import CliRunner

    from nntrace.cli import main

    for name, content in one.files.items():
        (folder / name).write_bytes(content)
    arguments = list(one.arguments)
    if one.spec or arguments[0] not in ("examples", "new", "params"):
        (folder / "spec.yaml").write_text(one.spec, encoding="utf-8")
        arguments.insert(1, "spec.yaml")
    before = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, arguments, catch_exceptions=True)
    finally:
        os.chdir(before)
    written = {}
    for name in one.outputs:
        path = folder / name
        if path.is_file():
            written[name] = path.read_text(encoding="utf-8", errors="replace")
    return Outcome(result.exit_code, result.stdout, result.stderr, result.exception, written)


def judge(outcome: Outcome) -> str | None:
    """What is wrong with how a case ended, or None: 'traceback', 'exit N', 'non-finite'."""
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        return "traceback"
    if "Traceback" in outcome.stderr or "internal error" in outcome.stderr or outcome.exit_code == 70:
        return "traceback"
    if outcome.exit_code not in EXIT_CODES:
        return f"exit {outcome.exit_code}"
    if outcome.exit_code == 0:
        for text in (outcome.stdout, *outcome.written.values()):
            if NON_FINITE.search(text):
                return "non-finite"
    return None
