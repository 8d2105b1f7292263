"""ASCII stand-ins for the symbols nntrace prints, for outputs whose encoding cannot carry them.

Renderables ask rich's ConsoleOptions.ascii_only; what is laid out in columns (matrix
brackets, operators, table cells) is converted before its width is measured, the rest of a
line afterwards, so alignment holds in either case.
"""

from __future__ import annotations

# Pairs first: e to the minus z, and the double sum, before their characters are replaced one by one.
_PAIRS = {"⁻ᶻ": "^-z", "ΣΣ": "sum sum"}
# fmt: off
_SINGLE = {
    "⎡": "[", "⎢": "[", "⎣": "[", "⎤": "]", "⎥": "]", "⎦": "]",  # matrix brackets
    "⎛": "(", "⎜": "(", "⎝": "(", "⎞": ")", "⎟": ")", "⎠": ")",  # a function applied to a matrix
    "⋮": ":", "⋯": "...", "…": "...",
    "σ": "sigma", "η": "eta", "δ": "delta", "α": "alpha", "∂": "d", "Σ": "sum",
    "β": "beta", "μ": "mu", "λ": "lambda", "ε": "eps", "τ": "tau", "\u0302": "_hat", "ᵗ": "^t",
    "·": ".", "⊙": "*", "×": "x", "−": "-", "←": "<-", "→": "->",
    "ᵀ": "^T", "′": "'", "½": "1/2", "²": "^2", "⁻": "^-", "ᶻ": "^z", "⁺": "+",
    "ₛ": "_s", "ₖ": "_k", "ᵢ": "_i", "ⱼ": "_j",
    "✓": "ok", "✗": "no", "≥": ">=", "≤": "<=", "≈": "~", "√": "sqrt", "–": "-", "—": "--",
    "┤": "|", "│": "|", "└": "+", "─": "-",  # the loss curve's axes
}
# fmt: on
# Braille dots (the loss curve) become one star each; the empty pattern a space.
_TABLE = str.maketrans({**_SINGLE, **{chr(code): "*" for code in range(0x2801, 0x2900)}, chr(0x2800): " "})


def to_ascii(text: str) -> str:
    """`text` with every symbol nntrace uses replaced by its ASCII stand-in."""
    if text.isascii():
        return text
    for pair, plain in _PAIRS.items():
        text = text.replace(pair, plain)
    return text.translate(_TABLE)
