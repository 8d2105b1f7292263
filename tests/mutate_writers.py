"""Deliberate mutations of the writers, one at a time, and the test that catches each (run by hand:
python tests/mutate_writers.py; it restores every file). Not collected by pytest."""
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTATIONS = [
    ("an upside-down MathML fraction", "nntrace/writers/mathml.py",
     'return f"<mfrac>{top}{bottom}</mfrac>"', 'return f"<mfrac>{bottom}{top}</mfrac>"'),
    ("a dropped prime (every medium)", "nntrace/writers/printer.py",
     "        if expr.prime:\n            out = self.prime(out)\n", ""),
    ("a dropped explanation row (the kept-fixed line)", "nntrace/documents/structure.py",
     '            Paragraph(Remark((label, " is kept fixed (train_biases: false): it stays ", Num(ex.value))))',
     '            Paragraph(Remark(()))'),
    ("a lost bracket (negative number after + or -)", "nntrace/writers/printer.py",
     "                item = _leading_signed(item)", "                pass"),
    ("no guard digits", "nntrace/notation/numbers.py", "MAX_GUARD = 12", "MAX_GUARD = 0"),
    ("a nonzero number written as zero", "nntrace/notation/numbers.py",
     '    if float(f"{size:.{fmt.decimals}f}") == 0:', '    if False:'),
    ("a power of ten written as 1e-08 in LaTeX", "nntrace/writers/latex.py",
     'power = f"10^{{{number.exponent}}}"', 'power = f"e{number.exponent}"'),
    ("a dropped hat (Unicode)", "nntrace/writers/unicode.py",
     '        return [join(base) + "\\u0302"]  # the combining circumflex: m̂', "        return base"),
    ("a dropped transpose (LaTeX)", "nntrace/writers/latex.py",
     '        return base + r"^{\\mathsf{T}}"', "        return base"),
    ("a square of a matrix written with x", "nntrace/writers/printer.py",
     "            return self.join([base, self.times(Times.HADAMARD), base])",
     "            return self.join([base, self.times(Times.CROSS), base])"),
    ("two Greek letters swapped in the symbol table", "nntrace/notation/symbols.py",
     '    "delta":   Glyph("δ",', '    "delta":   Glyph("σ",'),
    ("the sign convention ignored", "nntrace/notation/names.py",
     "    sign = convention.sign\n", "    sign = 1.0\n"),
    ("np.dot operands in the wrong order", "nntrace/writers/code.py",
     '        text = f"np.dot({text}, {operand})"', '        text = f"np.dot({operand}, {text})"'),
    ("decimal points not lined up", "nntrace/notation/numbers.py",
     "    widest = max((number.fraction_digits for number in column), default=0)",
     "    widest = 0"),
]
TESTS = ["tests/test_writers.py", "tests/test_sign_convention.py", "tests/test_number_policy.py",
         "tests/test_transcripts.py", "tests/test_documents.py", "tests/test_optimizers.py",
         "tests/test_layout_engine.py", "tests/test_expansions.py",
         "tests/test_redo_by_hand.py::test_the_issues_own_examples_now_redo",
         "tests/test_redo_by_hand.py::test_no_number_that_is_not_zero_prints_as_zero"]
for name, path, old, new in MUTATIONS:
    file = ROOT / path
    text = file.read_text()
    assert text.count(old) == 1, (name, text.count(old))
    file.write_text(text.replace(old, new))
    try:
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "--tb=no", *TESTS],
                                cwd=ROOT, capture_output=True, text=True, timeout=1200)
        failed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAILED")]
        print(f"{name}: {'caught by ' + failed[0] if failed else 'NOT CAUGHT'}", flush=True)
    finally:
        file.write_text(text)
