"""What the README says a change touches, done at run time: an optimiser with a Greek letter of its
own (its class in model/optimizers.py, its letter a row of notation/symbols.py), and a writer (one
Printer subclass, registered in writers.WRITERS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from conftest import CONFIGS, write_spec
from nntrace.model import optimizers
from nntrace.model.optimizers import OPTIMIZERS, SYMBOLS, THETA, Line, Optimizer
from nntrace.notation.nodes import Num, Op, Sym, seq
from nntrace.notation.symbols import GREEK, Glyph
from nntrace.writers import WRITERS, writer
from nntrace.writers.printer import Printer, Times


@dataclass(frozen=True)
class Leaky(Optimizer):
    """A decaying velocity: v <- gamma . v + g, theta <- theta - eta . v."""

    name: ClassVar[str] = "leaky"
    title: ClassVar[str] = "Leaky velocity"
    states: ClassVar[tuple[str, ...]] = ("v",)
    gamma: float = 0.5

    def lines(self, first: bool) -> tuple[Line, ...]:
        return (
            Line("g", lambda x: x[optimizers.GRADIENT], assigns=False),
            Line("v", lambda x: seq(x["gamma"], Op.PRODUCT, x["v"], Op.PLUS, x["g"])),
            Line(THETA, lambda x: seq(x[THETA], Op.MINUS, x["eta"], Op.PRODUCT, x["v"])),
        )


@pytest.fixture
def leaky():
    GREEK["gamma"] = Glyph("γ", r"\gamma", "γ", "gamma", "gamma")
    SYMBOLS["gamma"] = Sym("gamma")
    OPTIMIZERS["leaky"] = Leaky
    yield
    del GREEK["gamma"], SYMBOLS["gamma"], OPTIMIZERS["leaky"]


def test_an_optimiser_with_a_greek_letter_of_its_own(cli, tmp_path, leaky):
    spec = (CONFIGS / "paper.yaml").read_text("utf-8") + "optimizer: {name: leaky, gamma: 0.25}\n"
    path = write_spec(tmp_path, spec)
    out = cli("run", path, "--epochs", "2", "--show", "2", width="100").stdout
    assert "        v ← γ · v + g" in out
    assert "γ = 0.25" in out
    latex = cli("export", path, "--to", "latex", "--epoch", "2").stdout
    assert r"v &\leftarrow \gamma \cdot v + g" in latex
    # The numbers, by hand: epoch 1 starts v at 0, so v = g = 0.0485 and W_out[1,1] = 0.3 - 0.1 x 0.0485.
    first = cli("run", path, "--show", "1", width="100").stdout
    assert "v[1,1] = 0.25 × 0 + 0.049 = 0.049" in first and "W_out[1,1] = 0.300 − 0.1 × 0.049 = 0.295" in first


class Ascii(Printer):
    """A writer for plain ASCII, as a user might add one: only the leaves."""

    medium = "ascii"

    def name(self, base):
        return GREEK[base].ascii if base in GREEK else base

    def relation(self, op):
        return {Op.EQUALS: " = ", Op.PLUS: " + ", Op.MINUS: " - "}.get(op, f" {op.value} ")

    def times(self, how):
        return {Times.CROSS: " x ", Times.DOT: " . "}.get(how, " * ")

    def number(self, number):
        return number.plain()

    def join(self, parts):
        return "".join(parts)

    def prose(self, words):
        return words

    def bracket(self, inner, square=False):
        return f"[{inner}]" if square else f"({inner})"

    def subscript(self, base, sub, index=False):
        return f"{base}_{sub}"


def test_a_writer_is_one_class_and_its_registration():
    WRITERS["ascii"] = Ascii
    try:
        printer = writer("ascii")()
        expr = seq(Sym("W", "out"), Op.MINUS, Sym("eta"), Op.PRODUCT, Sym("g"))
        assert printer.symbols(expr) == "W_out - eta . g"
        assert printer.values(seq(Num(0.3), Op.PLUS, Num(-0.0485))) == "0.300 + (-0.049)"
    finally:
        del WRITERS["ascii"]
