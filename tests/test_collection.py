"""A batch of work collects garbage less often, and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from nntrace.common import collection


def test_a_batch_raises_the_youngest_threshold_and_restores_it_even_on_an_error():
    before = gc.get_threshold()
    with pytest.raises(KeyboardInterrupt):
        with collection.batch():
            assert gc.get_threshold() == (max(collection.YOUNGEST, before[0]), *before[1:])
            raise KeyboardInterrupt
    assert gc.get_threshold() == before


def test_cyclic_garbage_made_in_a_batch_is_still_collected():
    import weakref

    class Node:
        pass

    with collection.batch():
        gc.collect()  # counts from zero: the cycle is made and dropped before any collection moves it on
        first, second = Node(), Node()
        first.other, second.other = second, first  # a cycle: reference counting cannot free it
        watch = weakref.ref(first)
        del first, second
        held = [[] for _ in range(2 * collection.YOUNGEST)]  # enough allocations for a collection
        assert watch() is None  # collected by the collector's own schedule, in the batch
        del held
