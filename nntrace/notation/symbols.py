"""The one symbol table: every Greek letter and operator nntrace writes, in every medium.

A notation node names a symbol by its English name (sigma, partial) or an operator by its `Op`;
each writer looks it up here, in its own column. Adding a Greek letter, or a medium, is adding a
row, or a column, here.
"""

from __future__ import annotations

from nntrace.common.records import NamedTuple


class Glyph(NamedTuple):
    """One symbol in each medium (ascii: for outputs that cannot carry Unicode)."""

    unicode: str
    latex: str
    mathml: str
    ascii: str
    typst: str


# fmt: off
GREEK: dict[str, Glyph] = {
    "alpha":   Glyph("α", r"\alpha", "α", "alpha", "alpha"),
    "beta":    Glyph("β", r"\beta", "β", "beta", "beta"),
    "delta":   Glyph("δ", r"\delta", "δ", "delta", "delta"),
    "Delta":   Glyph("Δ", r"\Delta", "Δ", "Delta", "Delta"),
    "epsilon": Glyph("ε", r"\varepsilon", "ε", "eps", "epsilon"),
    "eta":     Glyph("η", r"\eta", "η", "eta", "eta"),
    "lambda":  Glyph("λ", r"\lambda", "λ", "lambda", "lambda"),
    "mu":      Glyph("μ", r"\mu", "μ", "mu", "mu"),
    "partial": Glyph("∂", r"\partial", "∂", "d", "partial"),
    "sigma":   Glyph("σ", r"\sigma", "σ", "sigma", "sigma"),
    "Sigma":   Glyph("Σ", r"\Sigma", "Σ", "sum", "Sigma"),
    "tau":     Glyph("τ", r"\tau", "τ", "tau", "tau"),
    "theta":   Glyph("θ", r"\theta", "θ", "theta", "theta"),
}

# Operators and marks, by name (an Op's value, or a mark the writers share).
OPERATORS: dict[str, Glyph] = {
    "plus":          Glyph("+", "+", "+", "+", "+"),
    "minus":         Glyph("−", "-", "−", "-", "-"),
    "equals":        Glyph("=", "=", "=", "=", "="),
    "approx":        Glyph("≈", r"\approx", "≈", "~", "approx"),
    "assign":        Glyph("←", r"\leftarrow", "←", "<-", "<-"),
    "greater":       Glyph(">", ">", ">", ">", ">"),
    "greater_equal": Glyph("≥", r"\geq", "≥", ">=", ">="),
    "hadamard":      Glyph("⊙", r"\odot", "⊙", "*", "dot.o"),
    "distributed":   Glyph("∼", r"\sim", "∼", "~", "tilde.op"),
    "cross":         Glyph("×", r"\times", "×", "x", "times"),
    "dot":           Glyph("·", r"\cdot", "·", ".", "dot"),
    "sum":           Glyph("Σ", r"\sum", "∑", "sum", "sum"),
    "root":          Glyph("√", r"\sqrt", "√", "sqrt", "sqrt"),
    "prime":         Glyph("′", "'", "′", "'", "'"),
    "transpose":     Glyph("ᵀ", r"\mathsf{T}", "T", "^T", "T"),
    "ellipsis":      Glyph("…", r"\dots", "…", "...", "dots"),
    "half":          Glyph("½", r"\tfrac{1}{2}", "½", "1/2", "1/2"),
}
# fmt: on

# Index letters written as subscripts in Unicode (Σₖ, z_i); others are written in brackets.
SUBSCRIPTS = {"s": "ₛ", "k": "ₖ", "i": "ᵢ", "j": "ⱼ"}
# Exponents written as superscripts in Unicode; and the digits of a power of ten.
SUPERSCRIPTS = {"z": "ᶻ", "t": "ᵗ", "T": "ᵀ", "-": "⁻", "−": "⁻", "+": "⁺",
                **{str(d): "⁰¹²³⁴⁵⁶⁷⁸⁹"[d] for d in range(10)}}  # fmt: skip


def greek(name: str) -> Glyph | None:
    """The Greek letter called `name` (a symbol's base), if it is one."""
    return GREEK.get(name)


def is_word(base: str) -> bool:
    """A symbol base written as a word (ln, tanh, relu) rather than a letter or a Greek letter."""
    return len(base) > 1 and base not in GREEK


def superscript(text: str) -> str | None:
    """`text` in Unicode superscripts (t, z, digits and signs), or None where one has none."""
    if all(character in SUPERSCRIPTS for character in text):
        return "".join(SUPERSCRIPTS[character] for character in text)
    return None
