"""One pass through the claimed epochs, judging every claim where its quantity is computed.

The engine's tap sees each quantity as it is computed and may replace it: the judge applies a
convention (the engine's own computation, or one with a slip made throughout), judges the claims
of that quantity against it, and, where the injection says so, feeds the claimed numbers on in
its place, so the rest of the pass goes on from them. Beside the engine's quantities it works out
those people print that the pass has no step for (quantities.py): softmax's exponentials and their
sum on the way to its output, σ′(O) where cross-entropy cancels it, the output's delta as a step of
its own where it is the error, the gradient of the inputs, the update's change, an optimiser's
lines, the loss of a whole epoch.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from nntrace.checking.quantities import (
    INPUT_ERROR,
    Stage,
    change_key,
    elementwise_slope,
    line_key,
    part_key,
)
from nntrace.engine.network import BatchOrder, Network, build_network

if TYPE_CHECKING:
    from nntrace.checking.claims import ClaimsFile
    from nntrace.checking.slips import Convention

CellId = tuple[int, int]  # (claim number, cell number)


@dataclass
class PassValues:
    """What one pass computed (as fed on), for reading a slip off another number of it."""

    seen: dict[str, np.ndarray]
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray]
    loss: float

    def value(self, key: str, stage: Stage) -> np.ndarray | None:
        """The engine-signed array of `key` at `stage` in this pass, if the pass has it."""
        if stage is Stage.BEFORE:
            return self.before.get(key)
        if stage is Stage.AFTER:
            parameter = key.rsplit(":", 1)[0]
            if key != parameter:  # the change an optimiser made
                return self.after[parameter] - self.before[parameter]
            return self.after.get(key)
        if stage is Stage.LOSS:
            return np.float64(self.loss)
        return self.seen.get(key)


@dataclass
class Evaluation:
    """What one pass through the claimed epochs computed for every claim."""

    values: dict[int, np.ndarray] = field(default_factory=dict)  # each claim's cells' values
    off: dict[int, np.ndarray] = field(default_factory=dict)  # units of the last digit off (NaN: not finite)
    arrays: dict[int, np.ndarray] = field(default_factory=dict)  # each claim's whole array (engine's orientation)
    order: dict[int, tuple] = field(default_factory=dict)  # (epoch, batch, stage rank, tick): computation order
    passes: dict[tuple[int, int], PassValues] = field(default_factory=dict)  # the claimed passes and those before
    start: Start | None = None  # where the first claimed pass began (kept by an evaluation from the first pass)

    def value(self, ident: CellId) -> float:
        return float(self.values[ident[0]][ident[1]])

    def units_off(self, ident: CellId) -> int | None:
        off = self.off[ident[0]][ident[1]]
        return None if np.isnan(off) else int(off)

    def holds(self, ident: CellId, tolerance: int) -> bool:
        return bool(np.abs(self.off[ident[0]][ident[1]]) <= tolerance)


class Injection:
    """Which claimed numbers are fed on in place of the computed ones: none."""

    def mask(self, number: int, right: np.ndarray) -> np.ndarray:
        return np.zeros(right.shape, dtype=bool)


class Always(Injection):
    def mask(self, number, right):
        return np.ones(right.shape, dtype=bool)


class WhenRight(Injection):
    def mask(self, number, right):
        return right.copy()


class Also(Injection):
    """Another injection, and the one cell `ident` besides."""

    def __init__(self, base: Injection, ident: CellId):
        self.base, self.ident = base, ident

    def mask(self, number, right):
        mask = self.base.mask(number, right)
        if number == self.ident[0]:
            mask[self.ident[1]] = True
        return mask


NEVER, ALWAYS, WHEN_RIGHT = Injection(), Always(), WhenRight()


class Judge:
    """The engine's tap for one evaluation (see the module's docstring)."""

    def __init__(self, file: ClaimsFile, network: Network, convention: Convention, inject: Injection,
                 judged: bool = True):  # fmt: skip
        self.file, self.network, self.convention, self.inject = file, network, convention, inject
        self.judged = judged
        self.feeds = type(inject).mask is not Injection.mask  # else no claim is ever fed on
        self.result = Evaluation()
        self.here: dict[str, list[int]] = {}
        self.seen: dict[str, np.ndarray] = {}
        self.fed: set[str] = set()
        self.lines: dict[str, int] = {}
        self.at: tuple[int, int] = (0, 0)
        self.tick = 0
        layers = network.layers
        names = [layer.names for layer in layers]
        claimed = {claim.quantity.key for claim in file.claims}
        self.cancels = network.loss.slope_cancels
        self.output = names[-1]
        self.first_delta = names[0].delta.key
        # softmax's exponentials and sum: worked out where claimed, or where the convention works by hand
        self.by_hand = {
            layer.names.a.key: layer
            for layer in layers
            if layer.activation.hand_parts
            and (convention.works_by_hand or any(part_key(layer.names.z.key, p.name) in claimed
                                                for p in layer.activation.hand_parts))
        }  # fmt: skip
        last = layers[-1]
        self.cancelled_slope = self.cancels and elementwise_slope(last)
        # each parameter's layer, to read the one parameter a claim names (a bias flat, as
        # Network.parameters gives it) without copying all of them
        self.layer_of = {name.weights.key: (layer, False) for layer, name in zip(layers, names)}
        self.layer_of.update({name.biases.key: (layer, True) for layer, name in zip(layers, names)})
        plain = network.updates is None
        self.changes = {}
        if plain:
            for name in names:
                self.changes[name.weight_gradient.key] = name.weights.key
                self.changes[name.bias_gradient.key] = name.biases.key

    def begin(self, epoch: int, batch: int, claims: list[int]) -> None:
        self.at, self.tick = (epoch, batch), 0
        self.here, self.seen, self.fed, self.lines = {}, {}, set(), {}
        for number in claims:
            self.here.setdefault(self.file.claims[number].quantity.key, []).append(number)

    def __call__(self, key: str, value: np.ndarray) -> np.ndarray:
        if key.endswith(":update"):
            return self._line(key[: -len(":update")], value)
        layer = self.by_hand.get(key)
        if layer is not None:
            value = self._by_hand(layer, value)
        value = self.step(key, value)
        output = self.output
        if key == output.a.key and self.cancelled_slope:  # σ′(O), which cross-entropy cancels
            self.step(output.slope.key, self.network.layers[-1].slope(self.seen[output.z.key], value))
        if key == output.error.key and self.cancels:  # the output's delta is its error: a step of its own
            value = self.step(output.delta.key, value)
            key = output.delta.key
        if key == self.first_delta:  # −∂L/∂X = δ₁ · W₁ᵀ, with the weights the pass started with
            self.step(INPUT_ERROR, np.dot(value, self.network.layers[0].weights.T))
        parameter = self.changes.get(key)
        if parameter is not None:  # the paper's update adds η times the gradient
            self.step(change_key(parameter), self.network.learning_rate * value)
        return value

    def step(self, key: str, value: np.ndarray) -> np.ndarray:
        """One quantity: as the convention computes it, judged, and with claims fed on."""
        value = self.convention.computed(key, value, self.network, self.seen)
        self.tick += 1
        numbers = self.here.get(key, ())
        raw = np.array(value, dtype=np.float64) if numbers else None
        carried = None
        if self.convention.rounding is not None:
            value = self.convention.rounded(value)
            carried = np.array(value, dtype=np.float64) if numbers else None
        for number in numbers:
            self.settle(number, raw, value, Stage.PASS.rank, carried)
        self.seen[key] = value
        return value

    def given(self, key: str, value: np.ndarray) -> np.ndarray:
        """X or y: judged and fed on as given, not computed."""
        self.tick += 1
        fed = np.array(value, dtype=np.float64)
        for number in self.here.get(key, ()):
            self.settle(number, value, fed, Stage.PASS.rank)
        self.seen[key] = fed
        return fed

    def _by_hand(self, layer, value: np.ndarray) -> np.ndarray:
        """The exponentials of softmax and their sum, each a step; the output from them where the
        convention works by hand or a claimed one was fed on."""
        z = layer.names.z.key
        fed = len(self.fed)
        by_hand = layer.activation.by_hand(self.seen[z], lambda name, part: self.step(part_key(z, name), part))
        return by_hand if self.convention.works_by_hand or len(self.fed) > fed else value

    def _line(self, parameter: str, value: np.ndarray) -> np.ndarray:
        """The next of an optimiser's lines for `parameter` (they come in the order of its lines)."""
        count = self.lines.get(parameter, 0)
        self.lines[parameter] = count + 1
        target = self.network.updates.lines()[count][0]
        return self.step(line_key(parameter, target), value)

    def settle(self, number: int, raw, fed, rank: int, carried=None) -> bool:
        """Judge claim `number` against `raw`, and write the claims to feed on into `fed` (whether
        any was). Where the step was `carried` at some decimals (rounded or cut), a claim printed
        with just as many is the number so carried (cut, it is not `raw` rounded); one printed with
        more was not carried so, and one with fewer is `raw` rounded once (not twice). `raw` is only
        read: what the result keeps is a new array."""
        claim = self.file.claims[number]
        shape = (-1,) if len(claim.quantity.shape) == 1 else np.shape(raw)
        array = claim.quantity.sign * np.asarray(raw, dtype=np.float64).reshape(shape)
        values = claim.values_in(array)
        if carried is not None:
            places = claim.decimals == self.convention.rounding
            if places.any():
                as_carried = claim.values_in(claim.quantity.sign * carried.reshape(shape))
                values = np.where(places, as_carried, values)
        # unjudged, a claim is off by infinitely many units: never right, never fed on
        off = claim.units_off(values) if self.judged else _never_right(len(values))
        result = self.result
        result.arrays[number], result.values[number], result.off[number] = array, values, off
        result.order[number] = (*self.at, rank, self.tick)
        if fed is None or not self.feeds or not np.ndim(fed):
            return False
        mask = self.inject.mask(number, np.abs(off) <= self.file.tolerance)
        if not mask.any():
            return False
        target = fed.reshape(shape)
        target[tuple(axis[mask] for axis in claim.where)] = claim.quantity.sign * claim.claimed[mask]
        if not np.shares_memory(target, fed):
            fed[...] = target.reshape(np.shape(fed))
        self.fed.add(claim.quantity.key)
        return True

    def _parameter(self, key: str) -> np.ndarray:
        """The network's parameter `key` as Network.parameters gives it (a bias flat), not copied."""
        layer, bias = self.layer_of[key]
        return layer.biases.ravel() if bias else layer.weights

    def parameters(self, numbers: list[int], rank: int) -> None:
        """Claims of parameters (as the pass starts, or after its update), fed into the network."""
        network = self.network
        for number in numbers:
            key = self.file.claims[number].quantity.key
            value = self._parameter(key)
            fed = value.copy()
            if self.settle(number, value, fed, rank):  # else `fed` is the parameter as it is
                network.set_parameter(key, fed)

    def changed(self, numbers: list[int], before: dict[str, np.ndarray], rank: int) -> None:
        """The change an update made: claimed after an optimiser's update, or fed on (W⁺ = W + ΔW)
        where a claim of the paper's η·(−∂L/∂W) was."""
        network = self.network
        for number in numbers:
            parameter = self.file.claims[number].quantity.key.rsplit(":", 1)[0]
            value = self._parameter(parameter) - before[parameter]
            fed = value.copy()
            self.settle(number, value, fed, rank)
            network.set_parameter(parameter, before[parameter] + fed)
        for parameter in self.changes.values():
            if change_key(parameter) in self.fed:
                network.set_parameter(parameter, before[parameter] + self.seen[change_key(parameter)])


@dataclass
class Start:
    """Where a run stands as the first claimed pass begins: its parameters, an optimiser's state, the
    epoch's batches and the generator that shuffles the next ones, and the epoch's loss so far."""

    epoch: int
    batch: int
    parts: list
    rng: tuple | None
    parameters: dict[str, np.ndarray]
    optimizer: tuple[int, dict] | None
    epoch_loss: float

    @classmethod
    def taken(cls, epoch: int, batch: int, parts: list, order: BatchOrder, network: Network, epoch_loss: float):
        updates = network.updates
        return cls(
            epoch,
            batch,
            parts,
            order.rng.get_state() if order.rng is not None else None,
            network.parameters(),
            (updates.t, copy.deepcopy(updates.state)) if updates is not None else None,
            epoch_loss,
        )

    def restore(self, order: BatchOrder, network: Network) -> None:
        if self.rng is not None:
            order.rng.set_state(self.rng)
        for key, value in self.parameters.items():
            network.set_parameter(key, value)
        if self.optimizer is not None:
            network.updates.t, state = self.optimizer
            network.updates.state = copy.deepcopy(state)


def evaluate(file: ClaimsFile, convention: Convention, inject: Injection, start: Start | None = None,
             judged: bool = True) -> Evaluation:  # fmt: skip
    """Run the passes up to the last claimed one under `convention`, judging and feeding claims as
    `inject` says: from the first pass, or from `start` (the passes before it as they were).
    From the first, the evaluation keeps where the first claimed pass starts (`Evaluation.start`).
    Not `judged`, the claims are only read off (their values), not judged against what is claimed."""
    spec = file.spec
    network = _network(spec)
    convention.prepare(network)
    judge = Judge(file, network, convention, inject, judged)
    at: dict[tuple[int, int], list[int]] = {}
    for number, claim in enumerate(file.claims):
        at.setdefault((claim.epoch, claim.batch), []).append(number)
    first, last = min(at), max(at)
    order = BatchOrder(spec.inputs, spec.targets, spec.batch_size, spec.shuffle)
    samples = len(spec.inputs)
    averaged = network.loss.averaged
    keep = _kept_passes(at, -(-samples // (spec.batch_size or samples)))
    if start is not None:
        start.restore(order, network)
    network.tap = judge
    try:
        _run_judged(file, convention, judge, network, order, at, first, last, keep, start, samples, averaged)
    finally:
        # The network and its judge refer to each other: let go here, reference counting frees both
        # at once, not a collection that may come thousands of evaluations later (a class makes one
        # evaluation for each slip of each variant).
        network.tap = None
    return judge.result


class _Built:
    """The network of the spec last evaluated, for the next evaluation of that spec (a diagnosis
    evaluates one claims file some thirty times, an exercise each variant a dozen): set back to
    what build_network made, every attribute as it was and every array a new copy of the first, so
    that nothing an evaluation returned shares memory with a later one's network."""

    spec = None

    def network(self, spec) -> Network:
        if spec is not self.spec:
            self.spec, self.built = spec, build_network(spec)  # the spec kept: its id stays its own
            self.settings = dict(vars(self.built))
            self.layers = [(dict(vars(layer)), layer.stacked.copy()) for layer in self.built.layers]
            return self.built
        network = self.built
        vars(network).update(self.settings)  # a convention's prepare may have changed one (output_first)
        for layer, (settings, stacked) in zip(network.layers, self.layers):
            vars(layer).update(settings)
            fresh = stacked.copy()  # the weights over the biases, both views of it, as build_network makes them
            layer.stacked, layer.weights, layer.biases = fresh, fresh[:-1], fresh[-1:]
        if network.updates is not None:  # an optimiser's state starts at zeros, as it did
            network.updates.t, network.updates.state = 0, {}
        return network


_network = _Built().network


_STAGES = tuple(Stage)  # (iterating an enum costs more than a pass's bookkeeping)


def _run_judged(file, convention, judge, network, order, at, first, last, keep, start, samples, averaged) -> None:
    with np.errstate(all="ignore"):
        for epoch in range(start.epoch if start else 1, last[0] + 1):
            resumed = start is not None and epoch == start.epoch
            parts = start.parts if resumed else order.next_epoch()
            epoch_loss, per_epoch = (start.epoch_loss if resumed else 0.0), []
            for batch, (_, Xb, yb) in enumerate(parts, start=1):
                if resumed and batch < start.batch:
                    continue
                if (epoch, batch) > last:
                    break
                if start is None and (epoch, batch) == first:
                    judge.result.start = Start.taken(epoch, batch, parts, order, network, epoch_loss)
                claims = at.get((epoch, batch), [])
                judge.begin(epoch, batch, claims)
                stages = {stage: [] for stage in _STAGES}
                for number in claims:
                    stages[file.claims[number].quantity.stage].append(number)
                judge.parameters(stages[Stage.BEFORE], Stage.BEFORE.rank)
                before = network.parameters()
                Xb, yb = judge.given("X", Xb), judge.given("y", yb)
                loss = network.run_pass(Xb, yb, record=False, update=True)[0]
                convention.after_update(network, before)
                loss *= convention.loss_factor(network, len(Xb))
                for number in stages[Stage.LOSS]:
                    judge.settle(number, np.float64(loss), None, Stage.LOSS.rank)
                changes = [n for n in stages[Stage.AFTER] if ":" in file.claims[n].quantity.key]
                judge.changed(changes, before, Stage.AFTER.rank)
                judge.parameters([n for n in stages[Stage.AFTER] if n not in changes], Stage.AFTER.rank)
                epoch_loss += loss * len(Xb) / samples if averaged else loss
                per_epoch += stages[Stage.EPOCH]
                if (epoch, batch) in keep:
                    judge.result.passes[epoch, batch] = PassValues(dict(judge.seen), before, network.parameters(), loss)
            for number in per_epoch:
                judge.settle(number, np.float64(epoch_loss), None, Stage.EPOCH.rank)


@functools.lru_cache(maxsize=64)
def _never_right(cells: int) -> np.ndarray:
    """The units off of `cells` claims not judged: infinitely many (never right, never fed on);
    read-only, shared as Claim.units_off shares its judgements."""
    off = np.full(cells, np.inf)
    off.setflags(write=False)
    return off


def _kept_passes(at: dict[tuple[int, int], list[int]], batches: int) -> set[tuple[int, int]]:
    """The claimed passes, and the one before each and the same batch of the epoch before (where a
    number may have been copied from)."""
    kept = set(at)
    for epoch, batch in at:
        kept.add((epoch, batch - 1) if batch > 1 else (epoch - 1, batches))
        kept.add((epoch - 1, batch))
    return kept


def previous_passes(at: tuple[int, int], batches: int) -> list[tuple[tuple[int, int], str]]:
    """The passes a number of pass `at` may have been copied from, with how to say so."""
    epoch, batch = at
    found = []
    if batches > 1 and (batch > 1 or epoch > 1):
        found.append(((epoch, batch - 1) if batch > 1 else (epoch - 1, batches), "the pass before"))
    if epoch > 1:
        found.append(((epoch - 1, batch), f"epoch {epoch - 1}"))
    return found
