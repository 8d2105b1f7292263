"""Mathematics as data: the expression nodes a worked solution is made of, the names of a network's
quantities (key, symbol and sign convention), how matrices are oriented (the layout), the one
number policy and the one symbol table. No glyph is chosen here except in the symbol table.

May import: common.
"""
