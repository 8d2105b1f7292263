"""One family of expression writers over the notation, in the manner of sympy's printers: a base
that dispatches on the node's type and holds the shared typographic rules, and one module per
medium (Unicode for the terminal, LaTeX, MathML, numpy code) that overrides only its leaves.

May import: notation, common.
"""
