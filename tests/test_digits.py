"""The UCI digits example: the data as shipped, a held-out test set, and mini-batch views that
cost what they show."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CONFIGS

import nntrace
from nntrace.spec.validate import SpecError, load_spec

DIGITS = CONFIGS / "digits.yaml"


def test_the_csv_holds_the_uci_digits_with_one_hot_targets():
    spec = load_spec(DIGITS)
    assert spec.inputs.shape == (1500, 64) and spec.test_inputs.shape == (297, 64)
    assert spec.targets.shape == (1500, 10) and spec.test_targets.shape == (297, 10)
    every = np.vstack([spec.inputs, spec.test_inputs])
    assert every.min() == 0 and every.max() == 16 and (every == np.round(every)).all()
    labels = np.vstack([spec.targets, spec.test_targets]).argmax(axis=1)
    # The copy scikit-learn ships: 178 zeros ... 180 nines, the first image a 0, then 1, 2.
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert labels[:3].tolist() == [0, 1, 2]
    # Its first image, row by row (sklearn.datasets.load_digits().images[0]).
    assert spec.inputs[0, :16].tolist() == [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]


def test_digits_trains_to_the_test_accuracy_the_readme_states():
    summary = nntrace.trace(str(DIGITS)).summary()
    test = summary.test
    correct = int((test.predictions.argmax(axis=1) == summary.spec.test_targets.argmax(axis=1)).sum())
    assert correct == 272  # 91.6 % of the 297 held-out images
    text = nntrace.api.tracing._plain_text(summary.__rich__())
    assert "272 of 297 samples classified correctly: accuracy 91.6%" in text
    assert "Confusion matrix" in text and "true \\ given" in text


def test_held_out_rows_are_normalised_with_the_training_rows_statistics(tmp_path):
    (tmp_path / "d.csv").write_text("a,y\n2,0\n4,1\n8,1\n", encoding="utf-8")
    spec_path = tmp_path / "s.yaml"
    spec_path.write_text(
        "data: {csv: d.csv, target: y, normalize: max, test_rows: 1}\n"
        "learning_rate: 0.1\ninit: he\nlayers: [{size: 1}]\n",
        encoding="utf-8",
    )
    spec = load_spec(spec_path)
    assert spec.inputs.ravel().tolist() == [0.5, 1.0]
    assert spec.test_inputs.ravel().tolist() == [2.0]  # 8 / 4: the training maximum, not its own


@pytest.mark.parametrize(
    "value, fragment",
    [("3", "only 3 samples"), ("-1", "a whole number of rows"), ("1.5", "a whole number of rows")],
)
def test_test_rows_errors_name_the_field(tmp_path, value, fragment):
    (tmp_path / "d.csv").write_text("a,y\n2,0\n4,1\n8,1\n", encoding="utf-8")
    spec_path = tmp_path / "s.yaml"
    spec_path.write_text(
        f"data: {{csv: d.csv, target: y, test_rows: {value}}}\nlearning_rate: 0.1\ninit: he\nlayers: [{{size: 1}}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as error:
        load_spec(spec_path)
    assert error.value.field == "data.test_rows" and fragment in str(error.value)


def test_an_epoch_of_many_batches_shows_its_first_and_says_how_to_see_the_others(cli):
    result = cli("run", str(DIGITS), "--epochs", "1")
    assert result.exit_code == 0, result.output
    assert "each epoch has 47 batches of up to 32 samples; 1 of them is worked out here" in result.output
    assert result.output.count("Step 1 \u00b7") == 1 and "batch 1 of 47" in result.output
    last = cli("step", str(DIGITS), "--batches", "last", "--step", "2")
    assert last.exit_code == 0 and "batch 47 of 47" in last.output and "batch 1 of 47" not in last.output


def test_batches_outside_the_epoch_are_a_clear_error(cli):
    result = cli("run", str(DIGITS), "--epochs", "1", "--batches", "48")
    assert result.exit_code == 2
    assert "an epoch has batches 1 to 47" in result.output and "--batches 1,last" in result.output


def test_a_few_batches_are_all_shown_by_default(cli, tmp_path):
    from nntrace.spec.validate import builtin_example_text

    path = tmp_path / "online.yaml"
    path.write_text(builtin_example_text() + "batch_size: 1\n", encoding="utf-8")  # 3 batches of 1
    result = cli("run", str(path), "--epochs", "1")
    assert "worked out here" not in result.output
    assert result.output.count("Step 1 \u00b7") == 3 and "batch 3 of 3" in result.output


def test_explain_on_digits_fits_the_terminal_and_lists_the_shown_samples(cli):
    result = cli("explain", str(DIGITS), "W_h1[20,3]")
    assert result.exit_code == 0, result.output
    assert "s=1" in result.output and "s=32" in result.output and "s=16" not in result.output
    assert "\u22ee (the samples the table leaves out)" in result.output
    assert "new W_h1[20,3]" in result.output


def test_every_matrix_row_of_the_digits_epoch_fits_on_its_line(cli):
    result = cli("run", str(DIGITS), "--epochs", "1", width="80")
    # softmax(...) of ten columns once wrapped its closing brackets onto lines of their own:
    # the function's name was not counted when the columns were fitted.
    for opening, closing in (("\u239b", "\u239e"), ("\u239c", "\u239f"), ("\u23a1", "\u23a4"), ("\u23a2", "\u23a5")):
        for line in result.output.splitlines():
            assert (opening in line) == (closing in line), line
