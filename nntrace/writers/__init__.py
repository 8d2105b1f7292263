"""One family of expression writers over the notation, in the manner of sympy's printers: a base
that dispatches on the node's type and holds the shared typographic rules, and one module per
medium (Unicode for the terminal, LaTeX, MathML, Typst, numpy code, and speech: the words a screen
reader or a PDF's alt text says) that overrides only its leaves. `forms` finds an expression's form
(the expression with its numbers' digits taken out), by which a writer writes the lines and formulas
that every epoch and every student's variant repeat once, and fills in the digits.

May import: notation, common.
"""

# The writers by medium, each a Printer subclass, imported when first asked for: a run that only
# prints to the terminal does not import the LaTeX and MathML writers. Adding a writer is adding its
# module and a line here.
WRITERS = {
    "unicode": "nntrace.writers.unicode:UnicodeWriter",
    "latex": "nntrace.writers.latex:LatexWriter",
    "mathml": "nntrace.writers.mathml:MathMLWriter",
    "code": "nntrace.writers.code:CodeWriter",
    "typst": "nntrace.writers.typst:TypstWriter",
    "speech": "nntrace.writers.speech:SpeechWriter",
}


def writer(medium: str):
    """The writer class for `medium` (a key of WRITERS)."""
    import importlib

    where = WRITERS[medium]
    if not isinstance(where, str):
        return where
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)
