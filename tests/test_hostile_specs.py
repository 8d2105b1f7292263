"""Hostile and oversized input: refused with a clear message (exit 2), never hung on, never
a traceback; text from the spec or its CSV cannot reach the terminal as control sequences."""

from __future__ import annotations

import re

import pytest

from nntrace.common.epochs import EpochSelection
from nntrace.common.errors import SpecError

GOOD = """
inputs: [[1, 0], [0, 1]]
targets: [[1], [0]]
learning_rate: 0.1
layers:
  - weights: [[0.1, 0.3], [0.2, 0.1]]
    biases: [0, 0]
  - weights: [[0.1], [0.2]]
    biases: [0]
"""


def run_spec(cli, tmp_path, text: str, *options: str):
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return cli("run", str(path), *options)


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "\n  fix: " in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def alias_bomb() -> str:
    """853 bytes or so whose nested aliases stand for 9^9 (about 3.9e8) numbers."""
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\ninputs: *a9\n"


def test_an_alias_bomb_is_refused_before_anything_is_built(cli, tmp_path):
    text = alias_bomb()
    assert len(text) < 1000
    assert_refused(run_spec(cli, tmp_path, text), "line", "aliases (*name) are expanded")


def test_one_matrix_aliased_into_300_layers_is_refused(cli, tmp_path):
    row = "[" + ", ".join(["0.1"] * 100) + "]"
    matrix = "[" + ", ".join([row] * 100) + "]"
    layers = "\n".join(["  - {weights: *m, biases: 0}"] * 300)
    text = f"m: &m {matrix}\n" if False else f"inputs: &m {matrix}\nlayers:\n{layers}\n"
    assert_refused(run_spec(cli, tmp_path, text), "aliases (*name) are expanded")


def test_deep_nesting_is_a_clear_error(cli, tmp_path):
    assert_refused(run_spec(cli, tmp_path, "inputs: " + "[" * 500 + "]" * 500 + "\n"), "nests more than")


def test_an_alias_inside_itself_is_a_clear_error(cli, tmp_path):
    assert_refused(run_spec(cli, tmp_path, "inputs: &loop [1, *loop]\n"), "refers to the list or mapping")


def test_an_integer_beyond_float_range_is_a_clear_error(cli, tmp_path):
    assert_refused(
        run_spec(cli, tmp_path, GOOD.replace("learning_rate: 0.1", "learning_rate: 1" + "0" * 400)),
        "learning_rate",
        "float64 can hold",
        "401 digits",
    )


def test_too_many_epochs_are_refused_before_any_memory_is_taken(cli):
    assert_refused(cli("run", "--epochs", str(10**12)), "--epochs", "at most 100,000,000")
    assert_refused(cli("step", "--epoch", str(10**12)), "--epoch", "at most")


@pytest.mark.parametrize("key", ["shuffle", "init"])
def test_seeds_beyond_numpys_range_are_refused(cli, tmp_path, key):
    setting = f"shuffle: {2**32}\n" if key == "shuffle" else f"init: {{method: he, seed: {2**32}}}\n"
    assert_refused(run_spec(cli, tmp_path, GOOD + setting), "seed from 0 to 4294967295")


def test_dev_zero_is_refused_as_spec_and_as_csv(cli, tmp_path):
    assert_refused(cli("run", "/dev/zero"), "is a device")
    spec = "data: {csv: /dev/zero, target: y}\nlearning_rate: 0.1\nlayers:\n  - {size: 1, init: he}\n"
    assert_refused(run_spec(cli, tmp_path, spec), "data.csv", "is a device")


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_a_tolerance_that_is_not_a_finite_positive_number_is_refused(cli, value):
    result = cli("gradcheck", "--tolerance", value)
    assert result.exit_code == 2 and "finite positive" in result.stderr


def test_a_duplicate_yaml_key_names_both_lines(cli, tmp_path):
    assert_refused(
        run_spec(cli, tmp_path, GOOD + "learning_rate: 5\n"),
        "learning_rate",
        "given twice: on line 4 and on line 10",
    )


def test_duplicate_csv_columns_name_both(cli, tmp_path):
    (tmp_path / "data.csv").write_text("a,b,a,y\n1,2,3,1\n4,5,6,0\n", encoding="utf-8")
    spec = "data: {csv: data.csv, target: y}\nlearning_rate: 0.1\ninit: he\nlayers:\n  - {size: 1}\n"
    assert_refused(run_spec(cli, tmp_path, spec), "columns 1 and 3 are both called 'a'")


def test_epoch_selections_are_ranges_not_sets():
    every = EpochSelection.of(("all",), 5_000_000, "--show")
    assert every.ranges == ((1, 5_000_000),) and len(every) == 5_000_000
    picked = EpochSelection.of(("1", "10-20", "15-30", "last"), 100, "--show")
    assert picked.ranges == ((1, 1), (10, 30), (100, 100))
    assert [epoch for epoch in (1, 2, 9, 10, 30, 31, 99, 100) if epoch in picked] == [1, 10, 30, 100]
    assert (picked | EpochSelection.of(("2",), 100, "--show")).ranges == ((1, 2), (10, 30), (100, 100))


def test_a_json_trace_estimated_above_1_gb_is_refused_with_the_way_out(cli, tmp_path):
    path = tmp_path / "trace.json"
    assert_refused(cli("run", "--epochs", "5000000", "--json", str(path)), "about 11.0 GB", "--trace-epochs")
    assert not path.exists()


def test_spec_and_csv_text_cannot_inject_escape_sequences_or_markup(cli, tmp_path):
    (tmp_path / "data.csv").write_text("[/],[bold]x\x1b[2J,y\n1,0,1\n0,1,1\n", encoding="utf-8")
    spec = (
        'name: "evil \\e[31mred\\e]0;title\\a [/]"\ndata: {csv: data.csv, target: y}\n'
        "learning_rate: 0.1\nepochs: 3\nlayers:\n  - {weights: [[0.5], [0.5]], biases: [0]}\n"
    )
    path = tmp_path / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    for command in ("run", "forward"):
        result = cli(command, str(path))
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\a" not in result.stdout
        assert "evil \\x1b[31mred" in result.stdout
    forward = cli("forward", str(path)).stdout
    assert re.search(r"\[/\]\s+\[bold\]x\\x1b\[2J", forward)


def test_an_unknown_key_with_control_characters_is_escaped_in_the_message(cli, tmp_path):
    result = run_spec(cli, tmp_path, GOOD + '"bad\\e[2Jkey": 1\n')
    assert_refused(result, "bad\\x1b[2Jkey")
    assert "\x1b" not in result.stderr


# --- the loader on libyaml's events (issues 25 and 26) ----------------------------------------------

LOADER_CASES = [
    "a: [1, 2.5, -3, 1e-3, 1.0e+3, .inf, x, null, ~, true, no, '5', \"q\"]\nb: {c: &q [1, {d: 2}], e: *q}\n",
    "base: &b {x: 1, y: 2}\nm: {<<: *b, y: 3}\n",  # a merge key: PyYAML's constructor builds it
    "a: !!str 5\nb: !!float 1\nc: 2001-12-14\nd: 0x1F\ne: 1_000\nf: 1:30\n",
    "- [[1, 2], [3, 4]]\n- {? complex : 1}\n",
    "",
    "# only a comment\n",
    "5\n",
    "a: |\n  text\n  over lines\nb: >\n  folded\n  text\n",
]


@pytest.mark.parametrize("text", LOADER_CASES)
def test_the_loader_gives_what_pyyamls_safe_loader_gives(text):
    import yaml

    from nntrace.spec import safe_yaml

    assert safe_yaml.load(text) == yaml.safe_load(text)


def test_every_shipped_file_loads_as_pyyaml_loads_it():
    import yaml
    from conftest import CONFIGS

    from nntrace.spec import safe_yaml

    for path in sorted(CONFIGS.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert safe_yaml.load(text) == yaml.safe_load(text), path.name


BROKEN = {
    "a tab": "inputs:\n\t- [1]\n",
    "a colon": "inputs: [[1]]\nname: a: b\n",
    "an indented key": "inputs: [[1]]\n  targets: [[1]]\n",
    "an indented list item": "layers:\n  - 1\n - 2\n",
    "an open list": "inputs: [[1, 0]\ntargets: [[1]]\n",
    "an open mapping": "init: {method: he\nepochs: 2\n",
    "an undefined alias": "inputs: *nothing\n",
    "a python tag": "inputs: !!python/object/apply:os.system [echo]\n",
    "an open quote": 'name: "abc\n',
    "a key without a colon": "inputs: [[1]]\n? b\nc\n",
    "an unhashable key": "? [1]\n: 2\n",
    "two documents": "inputs: [[1]]\n---\ntargets: [[1]]\n",
    "a duplicate anchor": "a: &x 1\nb: &x 2\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_explained_in_the_same_words_by_either_parser(monkeypatch, name):
    from nntrace.spec import safe_yaml

    with pytest.raises(SpecError) as reworded:  # libyaml refuses it, PyYAML's parser words it
        safe_yaml.load(BROKEN[name])
    monkeypatch.setattr(safe_yaml, "REWORD_LIMIT", 0)  # as for a file too large to parse twice
    with pytest.raises(SpecError) as mapped:
        safe_yaml.load(BROKEN[name])
    monkeypatch.setattr(safe_yaml, "_FastParser", None)  # PyYAML without libyaml
    with pytest.raises(SpecError) as python_only:
        safe_yaml.load(BROKEN[name])
    assert str(python_only.value) == str(reworded.value)
    assert reworded.value.field.startswith("line ") or reworded.value.field == "YAML", str(reworded.value)
    if name != "a duplicate anchor":  # libyaml words only this one its own way ("found duplicate anchor;")
        assert str(mapped.value) == str(reworded.value)


def test_a_duplicate_key_is_found_whichever_way_the_document_is_built():
    from nntrace.spec import safe_yaml

    for text in ("a: 1\nb: {c: 1, d: 2, c: 3}\n", "base: &b {x: 1}\nm: {<<: *b, y: 2, y: 3}\n"):
        with pytest.raises(SpecError, match="given twice"):
            safe_yaml.load(text)
