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


def test_the_console_script_runs_as_one_batch_and_a_library_caller_keeps_its_thresholds():
    """The console script raises the threshold before its imports (nntrace.__main__); importing and
    using nntrace as a library leaves the caller's collector alone."""
    import subprocess
    import sys

    script = (
        "import gc, sys; sys.argv = ['nntrace', 'params', '2,2']\n"
        "from nntrace.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.get_threshold()[0], file=sys.stderr)"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert int(ran.stderr.split()[-1]) == collection.PROCESS_YOUNGEST
    library = "import gc, nntrace; nntrace.trace('paper').epoch(1); print(gc.get_threshold()[0])"
    ran = subprocess.run([sys.executable, "-c", library], capture_output=True, text=True, check=True)
    assert int(ran.stdout.split()[-1]) == 700  # Python's own


def test_the_console_script_leaves_what_it_holds_to_the_exit_and_a_library_caller_does_not():
    """When its command is done, the console script freezes what is alive out of the collections
    the interpreter makes at exit (nntrace.__main__, common.collection.at_the_end), on every way
    out, an error's too; importing and using nntrace as a library freezes nothing."""
    import subprocess
    import sys

    for argv in (["nntrace", "params", "2,2"], ["nntrace", "run", "no-such-spec.yaml"]):
        script = (
            f"import gc, sys; sys.argv = {argv!r}\n"
            "from nntrace.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(gc.get_freeze_count(), file=sys.stderr)"
        )
        ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert int(ran.stderr.split()[-1]) > 1000, ran.stderr
    library = "import gc, nntrace; nntrace.trace('paper').epoch(1); print(gc.get_freeze_count())"
    ran = subprocess.run([sys.executable, "-c", library], capture_output=True, text=True, check=True)
    assert int(ran.stdout.split()[-1]) == 0


def test_a_process_never_lowers_a_threshold_already_higher():
    before = gc.get_threshold()
    try:
        gc.set_threshold(10 * collection.PROCESS_YOUNGEST, *before[1:])
        collection.for_a_process()
        assert gc.get_threshold()[0] == 10 * collection.PROCESS_YOUNGEST
        gc.set_threshold(700, *before[1:])
        collection.for_a_process()
        assert gc.get_threshold()[0] == collection.PROCESS_YOUNGEST
    finally:
        gc.set_threshold(*before)
