"""The notation's nodes as values: compared and hashed by their fields, walked through every field."""

from __future__ import annotations

import numpy as np

from nntrace.notation.nodes import Apply, Fn, Frac, Group, Num, Op, Q, Root, Sym, has_matrix, mentions, seq


def _formula(leaf):
    """(1 + f([leaf])) / √2: the leaf inside a tuple of arguments inside a group inside a sum."""
    return Frac(seq(Num(1), Op.PLUS, Apply(Fn(Sym("f"), "f"), (Group(leaf, square=True),))), Root(Num(2, True)))


def test_nodes_with_the_same_fields_are_equal_and_hash_alike():
    assert Num(2, True) == Num(2.0, True)
    assert Num(2, True) != Num(2, False)
    assert Sym("W", "out", transpose=True) == Sym("W", "out", False, True)
    assert len({_formula(Sym("x")), _formula(Sym("x")), _formula(Sym("y"))}) == 2


def test_a_quantity_is_found_by_identity_anywhere_in_an_expression():
    w = Q(Sym("W"), np.ones((2, 2)), "W")
    twin = Q(Sym("W"), np.ones((2, 2)), "W")  # the same symbol and values, another quantity
    assert mentions(_formula(w), w)
    assert not mentions(_formula(w), twin)
    formula = _formula(Sym("x"))
    assert mentions(formula, formula.numerator)


def test_a_matrix_is_seen_through_every_kind_of_node():
    matrix = Q(Sym("W"), np.ones((2, 2)), "W")
    scalar = Q(Sym("eta"), 0.1, "eta")
    assert has_matrix(_formula(matrix))
    assert not has_matrix(_formula(scalar))


def test_nodes_of_two_kinds_are_unequal_and_apart_as_keys():
    """A node equals only a node of its own kind with the same fields (Root(x) is not Neg(x)); nodes
    hash as their tuples do, so two kinds may share a hash but never a key."""
    from nntrace.notation.nodes import Neg, Root

    x = Sym("x")
    root, negated = Root(x), Neg(x)
    assert root != negated and not root == negated and root != tuple(root)
    assert Root(Sym("x")) == root and hash(Root(Sym("x"))) == hash(root)
    assert {root: "root", negated: "negated"}[root] == "root" and len({root, negated, Root(x)}) == 2


def test_a_quantity_holds_its_fields_is_frozen_and_is_replaced_by_a_copy():
    import dataclasses

    import pytest

    from nntrace.common.records import replace

    value = np.ones((2, 2))
    w = Q(Sym("W"), value, "W", exact=True)
    assert (w.symbol, w.value, w.key, w.result, w.exact) == (Sym("W"), value, "W", False, True)
    assert Q(Sym("n")).value is None and Q(Sym("n")).key is None and not Q(Sym("n")).result
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.key = "V"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del w.value
    bold = replace(w, result=True)
    assert bold is not w and bold != w and bold.result and bold.value is value and bold.exact
    assert repr(Q(Sym("x"), 2.0, "x")) == (
        "Q(symbol=Sym(base='x', sub=None, prime=False, transpose=False, hat=False), value=2.0, key='x', result=False, "
        "exact=False)"
    )
