"""ASCII stand-ins for what the Unicode writer and the terminal print, for outputs whose encoding
cannot carry them. The symbols come from the symbol table's ascii column; a run of superscripts
(10⁻⁸, v², e⁻ᶻ) becomes ^ and the plain characters (10^-8).

Renderables ask rich's ConsoleOptions.ascii_only; what is laid out in columns (matrix brackets,
operators, table cells) is converted before its width is measured, the rest of a line afterwards,
so alignment holds in either case.
"""

from __future__ import annotations

import re

from nntrace.notation.symbols import GREEK, OPERATORS, SUBSCRIPTS, SUPERSCRIPTS

_PAIRS = {"ΣΣ": "sum sum"}
# fmt: off
_SINGLE = {
    **{glyph.unicode: glyph.ascii for glyph in (*GREEK.values(), *OPERATORS.values())},
    **{mark: f"_{letter}" for letter, mark in SUBSCRIPTS.items()},
    "⎡": "[", "⎢": "[", "⎣": "[", "⎤": "]", "⎥": "]", "⎦": "]",  # matrix brackets
    "⎛": "(", "⎜": "(", "⎝": "(", "⎞": ")", "⎟": ")", "⎠": ")",  # a function applied to a matrix
    "⋮": ":", "⋯": "...", "\u0302": "_hat", "→": "->", "∑": "sum",
    "⁺": "+",  # an updated parameter, as Mazur writes w⁺
    "✓": "ok", "✗": "no", "≤": "<=", "–": "-", "—": "--",
    "┤": "|", "│": "|", "└": "+", "─": "-",  # the loss curve's axes
}
# fmt: on
_PLAIN = {mark: plain for plain, mark in SUPERSCRIPTS.items() if plain not in "−"}
_RAISED = "[" + "".join(sorted(set(SUPERSCRIPTS.values()) - {"⁺"})) + "]+"
# Braille dots (the loss curve) become one star each; the empty pattern a space.
_TABLE = str.maketrans({**_SINGLE, **{chr(code): "*" for code in range(0x2801, 0x2900)}, chr(0x2800): " "})


def to_ascii(text: str) -> str:
    """`text` with every symbol nntrace uses replaced by its ASCII stand-in."""
    if text.isascii():
        return text
    for pair, plain in _PAIRS.items():
        text = text.replace(pair, plain)
    text = re.sub(_RAISED, lambda match: "^" + "".join(_PLAIN[mark] for mark in match.group()), text)
    return text.translate(_TABLE)
