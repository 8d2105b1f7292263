"""ASCII stand-ins for the symbols nntrace prints, for outputs whose encoding cannot carry them.

Renderables ask rich's ConsoleOptions.ascii_only; what is laid out in columns (matrix
brackets, operators, table cells) is converted before its width is measured, the rest of a
line afterwards, so alignment holds in either case.
"""

from __future__ import annotations

# Pairs first: e to the minus z, and the double sum, before their characters are replaced one by one.
_PAIRS = {"\u207b\u1dbb": "^-z", "\u03a3\u03a3": "sum sum"}
_SINGLE = {
    "\u23a1": "[", "\u23a2": "[", "\u23a3": "[", "\u23a4": "]", "\u23a5": "]", "\u23a6": "]",
    "\u239b": "(", "\u239c": "(", "\u239d": "(", "\u239e": ")", "\u239f": ")", "\u23a0": ")",
    "\u22ee": ":", "\u22ef": "...", "\u2026": "...",
    "\u03c3": "sigma", "\u03b7": "eta", "\u03b4": "delta", "\u03b1": "alpha", "\u2202": "d", "\u03a3": "sum",
    "\u00b7": ".", "\u2299": "*", "\u00d7": "x", "\u2212": "-", "\u2190": "<-", "\u2192": "->",
    "\u1d40": "^T", "\u2032": "'", "\u00bd": "1/2", "\u00b2": "^2", "\u207b": "^-", "\u1dbb": "^z",
    "\u209b": "_s", "\u2096": "_k", "\u1d62": "_i", "\u2c7c": "_j",
    "\u2713": "ok", "\u2717": "no", "\u2265": ">=", "\u2264": "<=", "\u2248": "~", "\u221a": "sqrt",
    "\u2013": "-", "\u2014": "--", "\u2524": "|", "\u2502": "|", "\u2514": "+", "\u2500": "-",
}  # fmt: skip
_TABLE = str.maketrans({**_SINGLE, **{chr(code): "*" for code in range(0x2801, 0x2900)}, "\u2800": " "})


def to_ascii(text: str) -> str:
    """`text` with every symbol nntrace uses replaced by its ASCII stand-in."""
    if text.isascii():
        return text
    for pair, plain in _PAIRS.items():
        text = text.replace(pair, plain)
    return text.translate(_TABLE)
