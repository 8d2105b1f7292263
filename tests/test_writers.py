"""The writer table: one row per kind of node (and the containers: a formula, an element line, a
remark), the text each writer gives for it. A dropped prime, an upside-down fraction, a lost
bracket or a drifted rule shows as a changed cell. Every expected text was read and checked by hand
against the typographic rules in writers/printer.py's docstring; "WriterError": the medium has no
form for it (code has no symbols)."""

from __future__ import annotations

import numpy as np
import pytest

from nntrace.notation.nodes import (
    EULER,
    LN,
    Apply,
    At,
    Compare,
    Const,
    Deriv,
    Digits,
    Elided,
    Equation,
    Expansion,
    Fn,
    Frac,
    Group,
    Neg,
    Num,
    Op,
    Power,
    Q,
    Remark,
    Root,
    Signed,
    Sum,
    Sym,
    Where,
    seq,
)
from nntrace.notation.numbers import NumberFormat
from nntrace.writers.code import CodeWriter
from nntrace.writers.latex import LatexWriter
from nntrace.writers.mathml import MathMLWriter
from nntrace.writers.printer import Printer, WriterError
from nntrace.writers.speech import SpeechWriter
from nntrace.writers.typst import TypstWriter
from nntrace.writers.unicode import MatrixPiece, UnicodeWriter, join

M = Q(Sym("W", "h"), np.array([[0.5, -1.25], [2.0, 0.0]]), "W_h")
x = Q(Sym("x"), 0.25, "x")
neg = Q(Sym("e"), -0.049, "e")
CASES = [  # (name, node, written with its numbers)
  ("symbol", Sym("W", "out"), False),
  ("greek with subscript", Sym("delta", "out"), False),
  ("prime of a word", Sym("relu", prime=True), False),
  ("hat", Sym("m", hat=True), False),
  ("transpose", Sym("W", "out", transpose=True), False),
  ("function applied", Apply(Fn(Sym("sigma"), "sigmoid"), (Sym("z"),)), False),
  ("word function", Apply(LN, (Sym("O"),), parens=False), False),
  ("computed number", Num(0.0348), True),
  ("exact number", Num(1e-8, exact=True), True),
  ("tiny number", Num(2.4e-6), True),
  ("negative after minus", seq(Num(0.8), Op.MINUS, Num(-0.2)), True),
  ("negative after plus, leading a product", seq(Num(1, True), Op.PLUS, Num(-0.5), Op.PRODUCT, Num(2.0)), True),
  ("negative after times", Group(seq(Num(0.815), Op.PRODUCT, Num(-0.131))), True),
  ("product of symbols", seq(Sym("eta"), Op.PRODUCT, Sym("g")), False),
  ("juxtaposed", seq(Num(2, True), Op.IMPLICIT, Group(seq(Sym("y"), Op.MINUS, Sym("O")))), False),
  ("space before a word", seq(Sym("y"), Op.IMPLICIT, Apply(LN, (Sym("O"),), parens=False)), False),
  ("element-wise of matrices", seq(M, Op.HADAMARD, M), False),
  ("fraction of atoms", Frac(Num(1, True), Sym("n")), False),
  ("fraction", Frac(Sym("m"), Group(seq(Num(1, True), Op.MINUS, Sym("beta", "1")))), False),
  ("one half", Frac(Num(1, True), Num(2, True)), False),
  ("square of a number", Power(Num(0.3), Num(2, True)), True),
  ("square of a matrix", Power(M, Num(2, True)), False),
  ("e to the minus z", Power(EULER, Neg(Sym("z"))), False),
  ("power with numbers", Power(Num(0.999, True), Num(1, True)), True),
  ("root of an atom", Root(Num(0.0025)), True),
  ("root of a tiny number", Root(Num(5.4e-6)), True),
  ("negated", Neg(Deriv(Sym("L"), Sym("W"))), False),
  ("derivative", Deriv(Sym("L"), At(Sym("W", "out"), (1, 2))), False),
  ("sum over an index", Sum(Sym("z"), index="k"), False),
  ("double sum", Sum(Sym("z"), count=2), False),
  ("index letter", At(Sym("z"), ("i",)), False),
  ("where, element", Where(Compare(At(Sym("z"), (1, 1)), Op.GREATER, Num(0, True)), Num(1, True), Num(0, True)), False),
  ("where, matrix", Where(Compare(Sym("z"), Op.GREATER, Num(0, True)), Sym("z"), Num(0, True)), False),
  ("constant", Const(1.0, M), False),
  ("elided terms", seq(Num(1.0), Op.PLUS, Elided(5), Op.PLUS, Num(2.0)), True),
  ("signed negative", seq(Num(0.3), Op.PLUS, Num(0.1, True), Op.PRODUCT, Signed(neg)), True),
  ("signed positive", Signed(x), True),
  ("a matrix with its numbers", M, True),
  ("numbers as written down", seq(Digits("0.1739"), Op.PRODUCT, Digits("-0.30")), False),  # a claim's, digits kept
]

EXPECTED = {
    'numbers as written down': {
        'typst': '0.1739 times -0.30',
        'speech': '0.1739 times negative 0.30',
        'unicode': '0.1739 × -0.30',
        'latex': '0.1739 \\times -0.30',
        'mathml': '<mrow><mn>0.1739</mn><mo>×</mo><mrow><mo>-</mo><mn>0.30</mn></mrow></mrow>',
        'code': 'WriterError',
    },
    'symbol': {
        'typst': 'W_"out"',
        'speech': 'W out',
        'unicode': 'W_out',
        'latex': 'W_{\\mathrm{out}}',
        'mathml': '<msub><mi>W</mi><mi mathvariant="normal">out</mi></msub>',
        'code': 'WriterError',
    },
    'greek with subscript': {
        'typst': 'delta_"out"',
        'speech': 'delta out',
        'unicode': 'δ_out',
        'latex': '\\delta_{\\mathrm{out}}',
        'mathml': '<msub><mi>δ</mi><mi mathvariant="normal">out</mi></msub>',
        'code': 'WriterError',
    },
    'prime of a word': {
        'typst': '"relu"\'',
        'speech': 'relu prime',
        'unicode': 'relu′',
        'latex': "\\mathrm{relu}'",
        'mathml': '<msup><mi mathvariant="normal">relu</mi><mo>′</mo></msup>',
        'code': 'WriterError',
    },
    'hat': {
        'typst': 'hat(m)',
        'speech': 'm hat',
        'unicode': 'm̂',
        'latex': '\\hat{m}',
        'mathml': '<mover accent="true"><mi>m</mi><mo>^</mo></mover>',
        'code': 'WriterError',
    },
    'transpose': {
        'typst': 'W_"out"^T',
        'speech': 'W out transposed',
        'unicode': 'W_outᵀ',
        'latex': 'W_{\\mathrm{out}}^{\\mathsf{T}}',
        'mathml': '<msup intent="transpose($m)"><mrow arg="m"><msub><mi>W</mi><mi mathvariant="normal">out</mi></msub></mrow><mi>T</mi></msup>',
        'code': 'WriterError',
    },
    'function applied': {
        'typst': 'sigma(z)',
        'speech': 'sigma of z',
        'unicode': 'σ(z)',
        'latex': '\\sigma\\left(z\\right)',
        'mathml': '<mrow><mi>σ</mi><mo>\u2061</mo><mrow><mo stretchy="true">(</mo><mrow><mi>z</mi></mrow><mo stretchy="true">)</mo></mrow></mrow>',
        'code': 'WriterError',
    },
    'word function': {
        'typst': 'op("ln") O',
        'speech': 'the natural log of O',
        'unicode': 'ln O',
        'latex': '\\operatorname{ln} O',
        'mathml': '<mrow><mi mathvariant="normal">ln</mi><mo>\u2061</mo><mi>O</mi></mrow>',
        'code': 'WriterError',
    },
    'computed number': {
        'typst': '0.035',
        'speech': '0.035',
        'unicode': '0.035',
        'latex': '0.035',
        'mathml': '<mn>0.035</mn>',
        'code': '0.0348',
    },
    'exact number': {
        'typst': '10^(-8)',
        'speech': '10 to the power minus 8',
        'unicode': '10⁻⁸',
        'latex': '10^{-8}',
        'mathml': '<msup><mn>10</mn><mrow><mo>−</mo><mn>8</mn></mrow></msup>',
        'code': '1e-08',
    },
    'tiny number': {
        'typst': '2.4 times 10^(-6)',
        'speech': '2.4 times 10 to the power minus 6',
        'unicode': '2.4 × 10⁻⁶',
        'latex': '2.4 \\times 10^{-6}',
        'mathml': '<mrow><mn>2.4</mn><mo>×</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>6</mn></mrow></msup></mrow>',
        'code': '2.4e-06',
    },
    'negative after minus': {
        'typst': '0.800 - lr((-0.200))',
        'speech': '0.800 minus negative 0.200',
        'unicode': '0.800 − (-0.200)',
        'latex': '0.800 - \\left(-0.200\\right)',
        'mathml': '<mrow><mn>0.800</mn><mo>−</mo><mrow><mo stretchy="true">(</mo><mrow><mo>-</mo><mn>0.200</mn></mrow><mo stretchy="true">)</mo></mrow></mrow>',
        'code': '0.8 - -0.2',
    },
    'negative after plus, leading a product': {
        'typst': '1 + lr((-0.500)) times 2',
        'speech': '1 plus negative 0.500 times 2',
        'unicode': '1 + (-0.500) × 2',
        'latex': '1 + \\left(-0.500\\right) \\times 2',
        'mathml': '<mrow><mn>1</mn><mo>+</mo><mrow><mo stretchy="true">(</mo><mrow><mo>-</mo><mn>0.500</mn></mrow><mo stretchy="true">)</mo></mrow><mo>×</mo><mn>2</mn></mrow>',
        'code': '1 + -0.5 * 2',
    },
    'negative after times': {
        'typst': 'lr((0.815 times -0.131))',
        'speech': 'the quantity 0.815 times negative 0.131',
        'unicode': '(0.815 × -0.131)',
        'latex': '\\left(0.815 \\times -0.131\\right)',
        'mathml': '<mrow><mo stretchy="true">(</mo><mrow><mn>0.815</mn><mo>×</mo><mrow><mo>-</mo><mn>0.131</mn></mrow></mrow><mo stretchy="true">)</mo></mrow>',
        'code': '(0.815 * -0.131)',
    },
    'product of symbols': {
        'typst': 'eta dot g',
        'speech': 'eta times g',
        'unicode': 'η · g',
        'latex': '\\eta \\cdot g',
        'mathml': '<mrow><mi>η</mi><mo>·</mo><mi>g</mi></mrow>',
        'code': 'WriterError',
    },
    'juxtaposed': {
        'typst': '2 lr((y - O))',
        'speech': '2 times the quantity y minus O',
        'unicode': '2(y − O)',
        'latex': '2\\left(y - O\\right)',
        'mathml': '<mrow><mn>2</mn><mrow><mo stretchy="true">(</mo><mrow><mi>y</mi><mo>−</mo><mi>O</mi></mrow><mo stretchy="true">)</mo></mrow></mrow>',
        'code': 'WriterError',
    },
    'space before a word': {
        'typst': 'y op("ln") O',
        'speech': 'y times the natural log of O',
        'unicode': 'y ln O',
        'latex': 'y\\,\\operatorname{ln} O',
        'mathml': '<mrow><mi>y</mi><mo>\u2006</mo><mrow><mi mathvariant="normal">ln</mi><mo>\u2061</mo><mi>O</mi></mrow></mrow>',
        'code': 'WriterError',
    },
    'element-wise of matrices': {
        'typst': 'W_"h" dot.o W_"h"',
        'speech': 'W h element-wise times W h',
        'unicode': 'W_h ⊙ W_h',
        'latex': 'W_{\\mathrm{h}} \\odot W_{\\mathrm{h}}',
        'mathml': '<mrow><msub><mi>W</mi><mi mathvariant="normal">h</mi></msub><mo intent="element-wise-product" aria-label="element-wise times">⊙</mo><msub><mi>W</mi><mi mathvariant="normal">h</mi></msub></mrow>',
        'code': 'W_h * W_h',
    },
    'fraction of atoms': {
        'typst': '(1)/(n)',
        'speech': '1 over n',
        'unicode': '1/n',
        'latex': '\\tfrac{1}{n}',
        'mathml': '<mfrac><mn>1</mn><mi>n</mi></mfrac>',
        'code': 'WriterError',
    },
    'fraction': {
        'typst': '(m)/(1 - beta_"1")',
        'speech': 'the fraction m over the quantity 1 minus beta 1',
        'unicode': 'm / (1 − β_1)',
        'latex': '\\frac{m}{1 - \\beta_{\\mathrm{1}}}',
        'mathml': '<mfrac><mi>m</mi><mrow><mn>1</mn><mo>−</mo><msub><mi>β</mi><mi mathvariant="normal">1</mi></msub></mrow></mfrac>',
        'code': 'WriterError',
    },
    'one half': {
        'typst': '(1)/(2)',
        'speech': '1 over 2',
        'unicode': '½',
        'latex': '\\tfrac{1}{2}',
        'mathml': '<mfrac><mn>1</mn><mn>2</mn></mfrac>',
        'code': '1 / 2',
    },
    'square of a number': {
        'typst': '0.300 times 0.300',
        'speech': '0.300 times 0.300',
        'unicode': '0.300 × 0.300',
        'latex': '0.300 \\times 0.300',
        'mathml': '<mrow><mn>0.300</mn><mo>×</mo><mn>0.300</mn></mrow>',
        'code': '0.3 * 0.3',
    },
    'square of a matrix': {
        'typst': 'W_"h" dot.o W_"h"',
        'speech': 'W h element-wise times W h',
        'unicode': 'W_h ⊙ W_h',
        'latex': 'W_{\\mathrm{h}} \\odot W_{\\mathrm{h}}',
        'mathml': '<mrow><msub><mi>W</mi><mi mathvariant="normal">h</mi></msub><mo intent="element-wise-product" aria-label="element-wise times">⊙</mo><msub><mi>W</mi><mi mathvariant="normal">h</mi></msub></mrow>',
        'code': 'W_h * W_h',
    },
    'e to the minus z': {
        'typst': 'e^(-z)',
        'speech': 'e to the power minus z',
        'unicode': 'e⁻ᶻ',
        'latex': 'e^{-z}',
        'mathml': '<msup><mi>e</mi><mrow><mo>−</mo><mi>z</mi></mrow></msup>',
        'code': 'WriterError',
    },
    'power with numbers': {
        'typst': '(0.999)^(1)',
        'speech': '0.999 to the power 1',
        'unicode': '0.999^1',
        'latex': '{0.999}^{1}',
        'mathml': '<msup><mn>0.999</mn><mn>1</mn></msup>',
        'code': '0.999',
    },
    'root of an atom': {
        'typst': 'sqrt(0.003)',
        'speech': 'the square root of 0.003',
        'unicode': '√0.003',
        'latex': '\\sqrt{0.003}',
        'mathml': '<msqrt><mn>0.003</mn></msqrt>',
        'code': 'np.sqrt(0.0025)',
    },
    'root of a tiny number': {
        'typst': 'sqrt(5.4 times 10^(-6))',
        'speech': 'the square root of 5.4 times 10 to the power minus 6',
        'unicode': '√(5.4 × 10⁻⁶)',
        'latex': '\\sqrt{5.4 \\times 10^{-6}}',
        'mathml': '<msqrt><mrow><mn>5.4</mn><mo>×</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>6</mn></mrow></msup></mrow></msqrt>',
        'code': 'np.sqrt(5.4e-06)',
    },
    'negated': {
        'typst': '-(partial L)/(partial W)',
        'speech': 'minus the derivative of L with respect to W',
        'unicode': '−∂L/∂W',
        'latex': '-\\frac{\\partial L}{\\partial W}',
        'mathml': '<mrow><mo>−</mo><mfrac intent="partial-derivative(1, $of, $wrt)"><mrow><mo>∂</mo><mrow arg="of"><mi>L</mi></mrow></mrow><mrow><mo>∂</mo><mrow arg="wrt"><mi>W</mi></mrow></mrow></mfrac></mrow>',
        'code': 'WriterError',
    },
    'derivative': {
        'typst': '(partial L)/(partial W_"out" [1,2])',
        'speech': 'the derivative of L with respect to W out, row 1 column 2,',
        'unicode': '∂L/∂W_out[1,2]',
        'latex': '\\frac{\\partial L}{\\partial W_{\\mathrm{out}}[1,2]}',
        'mathml': '<mfrac intent="partial-derivative(1, $of, $wrt)"><mrow><mo>∂</mo><mrow arg="of"><mi>L</mi></mrow></mrow><mrow><mo>∂</mo><mrow arg="wrt"><mrow><msub><mi>W</mi><mi mathvariant="normal">out</mi></msub><mo stretchy="false">[</mo><mn>1,2</mn><mo stretchy="false">]</mo></mrow></mrow></mrow></mfrac>',
        'code': 'WriterError',
    },
    'sum over an index': {
        'typst': 'sum_k z',
        'speech': 'the sum over k of z',
        'unicode': 'Σₖ z',
        'latex': '\\sum_{k} z',
        'mathml': '<mrow><munder><mo>∑</mo><mi>k</mi></munder><mi>z</mi></mrow>',
        'code': 'WriterError',
    },
    'double sum': {
        'typst': 'sum sum z',
        'speech': 'the sum over all entries of z',
        'unicode': 'ΣΣ z',
        'latex': '\\sum\\sum z',
        'mathml': '<mrow><mo>∑</mo><mo>∑</mo><mi>z</mi></mrow>',
        'code': 'WriterError',
    },
    'index letter': {
        'typst': 'z_i',
        'speech': 'z i',
        'unicode': 'zᵢ',
        'latex': 'z_{i}',
        'mathml': '<msub><mi>z</mi><mi>i</mi></msub>',
        'code': 'WriterError',
    },
    'where, element': {
        'typst': '1 quad "if" quad z [1,1] > 0, quad "else" 0',
        'speech': '1 if z, row 1 column 1, is greater than 0, else 0',
        'unicode': '1 if z[1,1] > 0, else 0',
        'latex': '1 \\text{ if } z[1,1] > 0,\\ \\text{else } 0',
        'mathml': '<mrow><mn>1</mn><mtext>\u2002if\u2002</mtext><mrow><mrow><mi>z</mi><mo stretchy="false">[</mo><mn>1,1</mn><mo stretchy="false">]</mo></mrow><mo>&gt;</mo><mn>0</mn></mrow><mtext>,\u2002else\u2002</mtext><mn>0</mn></mrow>',
        'code': 'WriterError',
    },
    'where, matrix': {
        'typst': 'z quad "where" quad z > 0, quad "else" 0',
        'speech': 'z where z is greater than 0, else 0',
        'unicode': 'z where z > 0, else 0',
        'latex': 'z \\text{ where } z > 0,\\ \\text{else } 0',
        'mathml': '<mrow><mi>z</mi><mtext>\u2002where\u2002</mtext><mrow><mi>z</mi><mo>&gt;</mo><mn>0</mn></mrow><mtext>,\u2002else\u2002</mtext><mn>0</mn></mrow>',
        'code': 'WriterError',
    },
    'constant': {
        'typst': '1',
        'speech': '1',
        'unicode': '1',
        'latex': '1',
        'mathml': '<mn>1</mn>',
        'code': 'np.ones_like(W_h)',
    },
    'elided terms': {
        'typst': '1 + dots.c "(5 more)" dots.c + 2',
        'speech': '1 plus 5 more terms plus 2',
        'unicode': '1 + … 5 more … + 2',
        'latex': '1 + \\cdots\\ (\\text{5 more})\\ \\cdots + 2',
        'mathml': '<mrow><mn>1</mn><mo>+</mo><mtext>… 5 more …</mtext><mo>+</mo><mn>2</mn></mrow>',
        'code': 'WriterError',
    },
    'signed negative': {
        'typst': '0.300 + 0.1 times lr((-0.049))',
        'speech': '0.300 plus 0.1 times negative 0.049',
        'unicode': '0.300 + 0.1 × (-0.049)',
        'latex': '0.300 + 0.1 \\times \\left(-0.049\\right)',
        'mathml': '<mrow><mn>0.300</mn><mo>+</mo><mn>0.1</mn><mo>×</mo><mrow><mo stretchy="true">(</mo><mrow><mo>-</mo><mn>0.049</mn></mrow><mo stretchy="true">)</mo></mrow></mrow>',
        'code': '0.3 + 0.1 * e',
    },
    'signed positive': {
        'typst': '0.250',
        'speech': '0.250',
        'unicode': '0.250',
        'latex': '0.250',
        'mathml': '<mn>0.250</mn>',
        'code': 'x',
    },
    'a matrix with its numbers': {
        'typst': 'mat(delim: "[", align: #right, 0.500, -1.250; 2.000, 0.000)',
        'speech': 'a 2 by 2 matrix',
        'unicode': None,
        'latex': '\\left[\\begin{array}{rr}0.500 & -1.250 \\\\ 2.000 & 0.000\\end{array}\\right]',
        'mathml': '<mrow><mo stretchy="true">[</mo><mtable columnalign="right right"><mtr><mtd><mn>0.500</mn></mtd><mtd><mn>−1.250</mn></mtd></mtr><mtr><mtd><mn>2.000</mn></mtd><mtd><mn>0.000</mn></mtd></mtr></mtable><mo stretchy="true">]</mo></mrow>',
        'code': 'W_h',
    },

}
WRITERS = {"unicode": UnicodeWriter, "latex": LatexWriter, "mathml": MathMLWriter, "code": CodeWriter,
           "typst": TypstWriter, "speech": SpeechWriter}


def written(medium: str, node, numeric: bool):
    writer = WRITERS[medium]()
    try:
        out = writer.values(node) if numeric else writer.symbols(node)
    except WriterError:
        return "WriterError"
    if medium == "unicode":
        return None if any(isinstance(piece, MatrixPiece) for piece in out) else join(out)
    return out


@pytest.mark.parametrize("medium", list(WRITERS))
@pytest.mark.parametrize(("name", "node", "numeric"), CASES, ids=[case[0] for case in CASES])
def test_the_writer_table(medium, name, node, numeric):
    assert written(medium, node, numeric) == EXPECTED[name][medium]


def test_every_kind_of_node_has_a_row():
    from nntrace.notation.nodes import NODES

    kinds = {type(node) for _, node, _ in CASES}
    inner = set()

    def walk(node):
        if isinstance(node, (tuple, list)):
            if type(node) in NODES:
                inner.add(type(node))
            for part in node:
                walk(part)
        elif isinstance(node, Q):
            inner.add(Q)

    for _, node, _ in CASES:
        walk(node)
    written_kinds = set(NODES) - {Equation, Expansion, Remark, type(CASES[0][1]).__class__} - {
        __import__("nntrace.notation.nodes", fromlist=["Expansions"]).Expansions}
    assert written_kinds <= kinds | inner, sorted(k.__name__ for k in written_kinds - kinds - inner)


# The containers: a formula line, an element line (its guard digits chosen so it redoes), a remark.
FORMULA = Equation(
    Sym("delta", "out"),
    seq(Q(Sym("E"), np.ones((2, 1)), "E"), Op.HADAMARD, Apply(Sym("sigma", prime=True), (Sym("O"),))),
)
LINE = Expansion(
    At(Sym("b", "out"), (1,)), seq(Num(0.03503), Op.PLUS, Num(0.03254), Op.MINUS, Num(0.13125)), -0.06368
)
UPDATE = Expansion(
    At(Sym("W"), (1, 1)),
    seq(Num(0.3), Op.MINUS, Num(0.1, True), Op.PRODUCT, Signed(Num(-0.049))),
    0.3049,
    formula=seq(At(Sym("W"), (1, 1)), Op.MINUS, Sym("eta"), Op.PRODUCT, Deriv(Sym("L"), At(Sym("W"), (1, 1)))),
    label="new ",
)
REMARK = Remark(("Loss ", Equation(Sym("L"), Frac(Num(1, True), Num(2, True))), " = ", Num(0.35410631), " (epoch 1)"))


@pytest.mark.parametrize(
    ("medium", "formula", "line", "update", "remark"),
    [
        (
            "unicode",
            "δ_out = E ⊙ σ′(O)",
            "b_out[1] = 0.035 + 0.0325 − 0.1313 = -0.064",
            "new W[1,1] = W[1,1] − η · ∂L/∂W[1,1] = 0.300 − 0.1 × (-0.049) = 0.305",
            "Loss L = ½ = 0.354 (epoch 1)",
        ),
        (
            "latex",
            r"\delta_{\mathrm{out}} = E \odot \sigma'\left(O\right)",
            r"b_{\mathrm{out}}[1] = 0.035 + 0.0325 - 0.1313 = -0.064",
            r"\text{new }W[1,1] = W[1,1] - \eta \cdot \frac{\partial L}{\partial W[1,1]} = "
            r"0.300 - 0.1 \times \left(-0.049\right) = 0.305",
            r"Loss $L = \tfrac{1}{2}$ = $0.354$ (epoch 1)",
        ),
    ],
)
def test_the_containers(medium, formula, line, update, remark):
    writer = WRITERS[medium]()
    text = join if medium == "unicode" else (lambda out: out)
    assert text(writer.formula(FORMULA)) == formula
    assert text(writer.element_line(LINE)) == line
    assert text(writer.element_line(UPDATE)) == update
    assert text(writer.remark(REMARK)) == remark


def test_a_missing_method_names_the_writer_and_the_node():
    class Bare(Printer):
        medium = "unicode"

    with pytest.raises(WriterError, match="Bare has no way to write"):
        Bare().symbols(Sym("x"))
    with pytest.raises(WriterError, match="no way to write a int node"):
        UnicodeWriter().symbols(3)


def test_nodes_of_different_kinds_never_compare_equal():
    x = Sym("x")
    assert Root(x) != Neg(x) and Signed(x) != Neg(x) and Group(x) != Signed(x)
    assert len({Root(x), Neg(x), Signed(x)}) == 3
    assert Root(x) == Root(Sym("x"))


def test_digits_mode_and_the_medium_of_a_power_of_ten():
    writer = LatexWriter(NumberFormat(digits=3))
    assert writer.values(seq(Num(0.0348), Op.PLUS, Num(2.4e-6))) == r"0.0348 + 2.40 \times 10^{-6}"
    assert join(UnicodeWriter(NumberFormat(digits=3)).values(Num(1480.2))) == "1480"
    assert MathMLWriter().values(Num(1e-8, exact=True)).count("<msup>") == 1


def test_spoken_parts_are_joined_one_space_apart():
    speech = SpeechWriter()
    assert speech.join(["H in", "  ", "", " equals\u2006 ", "x ,  row 1", "\n0.5 "]) == "H in equals x, row 1 0.5"
    assert speech.join([]) == ""
    assert speech.join(["a", "", "b"]) == "a b"
