"""A recorded pass worked out as notation data: the numbered steps, element-by-element expansions,
one parameter's chain rule, the facts at a document's head, and the options every writer of a
solution takes. Nothing here formats a number or chooses a glyph.

May import: engine, spec, model, notation, common.
"""
