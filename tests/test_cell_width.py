"""The terminal's cell width is rich's, character for character: one cell a character where each is
one cell wide, and rich's own count wherever one is not (a control character, a combining hat, a
joiner, a wide character)."""

import random

from rich.cells import cell_len

from nntrace.terminal.console import cell_width


def test_lines_of_mathematics_take_a_cell_a_character():
    assert cell_width("H_in[1,1] = (1 × 0.420) + 0.460 = 1.480") == 39
    assert cell_width("⎡0.815 0.856⎤") == 13
    assert cell_width("σ′(H)[1,1] = 0.815 × (1 − 0.815)") == 32


def test_what_is_not_one_cell_a_character_is_measured_as_rich_measures_it():
    assert cell_width("m\u0302") == 1  # a hat's combining mark takes no cell
    assert cell_width("a\nb") == 2  # nor does a control character
    assert cell_width("中文") == 4  # a wide character takes two
    assert cell_width("ab\u200dc") == 2


def test_agrees_with_rich_on_random_text():
    alphabet = "ab 0.9×−σ′⎡⎢⎣⎤\u0302\n\t\x1b\u200d\ufe0fé中ℝ⋯⋮ᵀ₁²"
    draw = random.Random(7)
    for _ in range(5000):
        text = "".join(draw.choice(alphabet) for _ in range(draw.randint(0, 12)))
        assert cell_width(text) == cell_len(text), repr(text)
