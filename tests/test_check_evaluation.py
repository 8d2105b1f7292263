"""One evaluation of a claims file (checking/evaluation.py) gives the same numbers whatever was
evaluated before it: the network an evaluation of the same spec used is set back, not rebuilt, and
an evaluation's results share no memory with a later one's network."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from nntrace.checking.claims import parse_claims
from nntrace.checking.evaluation import ALWAYS, NEVER, WHEN_RIGHT, evaluate
from nntrace.checking.slips import Convention, Cut, OtherWeights, RateTwice, ScaledError, TermsRounded
from nntrace.common.records import replace

# Two layers, two epochs of two batches, momentum: the parameters, the optimiser's state and the
# update order all carry from one pass to the next. Some claims are right (to be fed on), some not.
CLAIMS = """spec:
  inputs: [[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]]
  targets: [[1], [1], [0]]
  learning_rate: 0.5
  batch_size: 2
  epochs: 2
  optimizer: {name: momentum, momentum: 0.9}
  layers:
    - weights: [[0.42, 0.88, 0.55], [0.10, 0.73, 0.68], [0.60, 0.18, 0.47], [0.92, 0.11, 0.52]]
      biases: [0.46, 0.72, 0.08]
    - weights: [[0.30], [0.25], [0.23]]
      biases: [0.69]
claims:
  - W_h: [[0.42, 0.88, 0.55], [0.10, 0.73, 0.68], [0.60, 0.18, 0.47], [0.92, 0.11, 0.51]]
    H_out[1,1]: 0.7
    W_out+: [0.31, 0.26, 0.24]
  - epoch: 2
    batch: 1
    O_out: [0.8, 0.9]
    b_h+: [0.5, 0.7, 0.1]
    L: 0.05
"""

CONVENTIONS = [Convention(), OtherWeights(None, "", "update-order"), RateTwice(None, "", "rate-twice"),
               ScaledError(None, "", "half", 2.0), Convention(2, "", "rounding"), Cut(3, "", "cut-steps"),
               TermsRounded(2, "", "terms-rounded")]  # fmt: skip


def claims_file():
    return parse_claims(CLAIMS, "<test>", Path("."))


def fresh(file):
    """The file with a spec equal to its own but not the same object: evaluated on a network built anew."""
    return dataclasses.replace(file, spec=replace(file.spec))


def numbers(evaluation) -> dict:
    """Everything an evaluation computed, as plain data to compare bit for bit."""
    def plain(arrays):
        return {key: np.asarray(value).tobytes() for key, value in arrays.items()}

    passes = {at: (plain(p.seen), plain(p.before), plain(p.after), p.loss) for at, p in evaluation.passes.items()}
    start = evaluation.start and (evaluation.start.epoch, evaluation.start.batch, plain(evaluation.start.parameters),
                                  repr(evaluation.start.optimizer))  # fmt: skip
    return {"values": plain(evaluation.values), "off": plain(evaluation.off), "arrays": plain(evaluation.arrays),
            "order": evaluation.order, "passes": passes, "start": start}  # fmt: skip


@pytest.mark.parametrize("inject", [NEVER, WHEN_RIGHT, ALWAYS])
def test_an_evaluation_after_others_of_the_same_spec_is_the_evaluation_on_a_new_network(inject):
    file = claims_file()
    start = evaluate(fresh(file), Convention(), inject).start
    asked = [(convention, begin, judged) for convention in CONVENTIONS for begin in (None, start)
             for judged in (True, False)]  # fmt: skip
    alone = [numbers(evaluate(fresh(file), convention, inject, begin, judged)) for convention, begin, judged in asked]
    one_after_another = [numbers(evaluate(file, convention, inject, begin, judged))
                         for convention, begin, judged in asked]  # fmt: skip
    assert one_after_another == alone


def test_a_later_evaluation_leaves_what_an_earlier_one_returned_as_it_was():
    file = claims_file()
    first = evaluate(file, OtherWeights(None, "", "update-order"), ALWAYS)
    kept = copy.deepcopy(numbers(first))
    for convention in CONVENTIONS:
        evaluate(file, convention, ALWAYS, first.start)
        evaluate(file, convention, WHEN_RIGHT)
    assert numbers(first) == kept
    assert first.start.parameters["W_h"][3, 2] == 0.52  # the spec's, where the first claimed pass starts
    assert first.passes[1, 1].before["W_h"][3, 2] == 0.51  # the claimed weight, fed on
    assert first.passes[1, 1].before["W_out"].ravel().tolist() == [0.30, 0.25, 0.23]
