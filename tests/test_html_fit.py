"""The HTML export on a phone and on a screen, printed and presented: Debian's Chromium, headless
and offline, driven by Playwright, at 390 × 844 (a phone) and 1280 × 800 (a laptop).

Every shipped example: the page never scrolls sideways at any step (a wide equation scrolls in its
own box), the controls stay in view, and the page opens at its title and list of steps. The paper's
and the digits' pages: printing shows every step, one a page; the keyboard, Back/Forward and
#step-N move the stepper; dark mode; a presentation that reveals a step's parts in turn; every
equation with its words; nothing asked of the network.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from tools import offline

from nntrace.cli import main
from nntrace.spec.shipped import example_names

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The HTML export of a shipped example, written once per module."""
    folder, paths = tmp_path_factory.mktemp("html"), {}

    def export(name: str):
        if name not in paths:
            path = folder / f"{name}.html"
            result = CliRunner().invoke(main, ["export", name, "--to", "html", "-o", str(path)], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            paths[name] = path
        return paths[name]

    return export


@pytest.fixture
def open_page(browser, exported):
    """Open an example's page offline; afterwards, assert that nothing but the file was requested."""
    opened = []

    def open_(name: str = "paper", viewport=LAPTOP, hash: str = "", **options):
        context, requested = offline(browser, viewport=viewport, **options)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        uri = exported(name).as_uri()
        page.goto(uri + hash)
        opened.append((context, requested, uri, errors))
        return page

    yield open_
    for context, requested, uri, errors in opened:
        assert errors == []
        assert {url.split("#")[0] for url in requested} == {uri}, requested  # the file itself, nothing else
        context.close()


def current(page) -> str:
    return page.locator("section.step.current h3").inner_text()


def width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def in_view(page, selector: str, viewport) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] and (
        box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"])  # fmt: skip


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390x844", "1280x800"])
@pytest.mark.parametrize("name", example_names())
def test_no_step_scrolls_the_page_sideways_and_the_controls_stay_in_view(open_page, name, viewport):
    page = open_page(name, viewport)
    assert page.evaluate("window.scrollY") == 0  # it opens at its title and list of steps
    assert in_view(page, "h1", viewport)
    assert page.locator("nav.steps h2").bounding_box()["y"] < viewport["height"]
    count = page.locator("section.step").count()
    for number in range(count):
        if number:
            page.keyboard.press("ArrowRight")
        scroll_width, inner = width(page)
        assert scroll_width <= inner, (name, number + 1, scroll_width)
        for button in ("#prev", "#next", "#present"):
            assert in_view(page, button, viewport), (name, number + 1, button)
    assert page.evaluate("document.querySelector('section.step.current') === document.querySelectorAll('section.step')"
                         f"[{count - 1}]")  # fmt: skip


def test_a_wide_equation_scrolls_in_its_own_box_with_a_cue(open_page):
    page = open_page("paper", PHONE, hash="#step-10")  # the Step 10 made the page 1192 px wide
    assert current(page).startswith("Step 10")
    assert width(page) == [390, 390]
    wide = page.locator("section.step.current .scroll.wide")
    assert wide.count() >= 1
    box = wide.first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 100")
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    assert box.get_attribute("tabindex") == "0"  # a keyboard reaches it to scroll it
    hint = page.locator("section.step.current .scroll.wide + .hint").first
    assert hint.is_visible() and hint.inner_text() == "scroll →"
    # the cue's shadow: the box paints gradients behind its content
    assert "radial-gradient" in box.evaluate("b => getComputedStyle(b).backgroundImage")
    narrow = wide.count()
    page.set_viewport_size(LAPTOP)  # wider boxes: fewer are too narrow for their equations, and only they say so
    page.wait_for_function(f"document.querySelectorAll('section.step.current .scroll.wide').length < {narrow}")
    hints = page.locator("section.step.current .hint:visible").count()
    assert hints == page.locator("section.step.current .scroll.wide").count() < narrow


def test_the_digits_matrices_are_elided_and_its_page_is_light(open_page, exported):
    assert exported("digits").stat().st_size < 300_000  # it was 2.1 MB: whole 32 × 64 matrices
    page = open_page("digits")
    html = exported("digits").read_text(encoding="utf-8")
    assert html.count("<mtd") < 5_000  # it had 33,820 cells
    page.keyboard.press("ArrowRight")  # Step 2: H1_in = X · W_h1 + b_h1, X 32 × 64, W_h1 64 × 16
    step = page.locator("section.step.current")
    assert step.locator("mtable[data-role=result] mtr").count() == 8  # 32 rows: 4, ⋮, 3
    assert step.locator("mtable[data-role=result] mtr").first.locator("mtd").count() == 6  # 16 columns: 3, ⋯, 2
    # hovering the first element: X's row 1 and W_h1's column 1, as far as they are shown
    step.locator('mtd[data-result][data-r="0"][data-c="0"]').hover()
    assert step.locator("mtable[data-pick=row] mtd.source").count() == 6  # X's 64 columns: 3, ⋯, 2
    assert step.locator("mtable[data-pick=col] mtd.source").count() == 8 + 1  # W_h1's 64 rows: 4, ⋮, 3; b's
    # a layer this large has no element lines (--expand asks for them): hovering says so
    assert step.locator(".arithmetic").first.inner_text() == "this element's arithmetic is not written out in this export"
    step.locator('mtd[data-result][data-r="31"][data-c="15"]').hover()
    assert step.locator("mtable[data-pick=row] mtd.source").count() == 6


@pytest.mark.parametrize("name, steps", [("paper", 11), ("digits", 15)])
def test_printing_gives_every_step_one_after_another(open_page, name, steps):
    page = open_page(name)
    page.keyboard.press("ArrowRight")
    page.emulate_media(media="print")
    assert page.locator("section.step").count() == steps
    assert page.locator("section.step:visible").count() == steps
    assert page.locator(".controls").is_hidden()
    assert page.locator("section.step").nth(steps - 1).evaluate("s => getComputedStyle(s).breakBefore") == "page"
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= steps + 1, pages  # the head, then a page (or more) a step


def test_the_keyboard_moves_the_stepper(open_page):
    page = open_page()
    for key, step in [("ArrowRight", 2), ("PageDown", 3), ("End", 11), ("ArrowLeft", 10), ("PageUp", 9),
                      ("Home", 1), ("ArrowLeft", 1), ("End", 11), ("ArrowRight", 11)]:  # fmt: skip
        page.keyboard.press(key)
        assert current(page).startswith(f"Step {step} ·"), key
    assert page.locator("#where").inner_text() == "Epoch 1 · Step 11 (11 of 11)"
    assert page.locator("#where").get_attribute("aria-live") == "polite"
    assert page.locator("#next").is_disabled()
    page.click("#prev")
    assert current(page).startswith("Step 10 ·")
    assert not page.locator("#next").is_disabled()


def test_back_forward_and_step_links_move_the_stepper(open_page):
    page = open_page(hash="#step-3")
    assert current(page).startswith("Step 3 ·")  # a link to a step opens at it
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert current(page).startswith("Step 5 ·") and page.url.endswith("#step-5")
    page.go_back()
    assert current(page).startswith("Step 4 ·")
    page.go_back()
    assert current(page).startswith("Step 3 ·")
    page.go_forward()
    assert current(page).startswith("Step 4 ·")
    page.evaluate("location.hash = '#step-9'")
    page.wait_for_function("document.querySelector('section.step.current').id === 'step-9'")
    assert current(page).startswith("Step 9 ·")
    page.locator("nav.steps a").nth(6).click()
    assert current(page).startswith("Step 7 ·")
    page.go_back()
    assert current(page).startswith("Step 9 ·")


def test_the_page_opens_at_the_top_with_a_key_to_what_can_be_pressed(open_page):
    page = open_page("digits", PHONE)
    assert page.evaluate("window.scrollY") == 0
    key = page.locator("p.keys")
    assert key.is_visible()
    text = key.inner_text()
    for word in ("←", "→", "Home", "End", "Hover", "Tab", "present"):
        assert word in text, word


def test_dark_mode(open_page):
    light = open_page(color_scheme="light")
    dark = open_page(color_scheme="dark")
    background = "getComputedStyle(document.body).backgroundColor"
    ink = "getComputedStyle(document.body).color"
    assert light.evaluate(background) == "rgb(255, 255, 255)"
    assert dark.evaluate(background) == "rgb(22, 24, 27)"
    assert dark.evaluate(ink) == "rgb(230, 230, 230)"


def test_presenting_shows_one_step_at_a_time_and_reveals_its_parts(open_page):
    page = open_page(viewport=PHONE)
    page.keyboard.press("ArrowRight")  # Step 2
    # a headless browser may refuse full screen (the mode holds anyway): count the asks instead
    page.evaluate("window.asked = 0; document.documentElement.requestFullscreen = "
                  "function () { window.asked += 1; return Promise.resolve(); }; 0")  # fmt: skip
    page.keyboard.press("f")
    assert page.evaluate("window.asked") == 1
    assert page.evaluate("document.documentElement.classList.contains('presenting')")
    assert width(page) == [390, 390] and in_view(page, "#next", PHONE) and in_view(page, "#present", PHONE)
    assert page.locator("#present").get_attribute("aria-pressed") == "true"
    step = page.locator("section.step.current")
    assert page.locator("header").is_hidden() and page.locator("nav.steps").is_hidden()
    formula, numbers, elements = (step.locator(f"[data-fragment='{level}']").first for level in (1, 2, 3))
    assert formula.is_visible() and numbers.is_hidden() and elements.is_hidden()
    page.keyboard.press("ArrowRight")
    assert numbers.is_visible() and elements.is_hidden()
    page.keyboard.press("ArrowRight")
    assert elements.is_visible()
    assert current(page).startswith("Step 2 ·")
    page.keyboard.press("ArrowRight")
    assert current(page).startswith("Step 3 ·")
    page.keyboard.press("ArrowLeft")  # back to Step 2, all of it shown
    assert current(page).startswith("Step 2 ·") and elements.is_visible()
    page.keyboard.press("Escape")
    assert not page.evaluate("document.documentElement.classList.contains('presenting')")
    assert page.locator("header").is_visible()
    page.click("#present")  # the button does what f does
    assert page.evaluate("document.documentElement.classList.contains('presenting')")


def test_every_equation_has_words_and_the_maths_says_what_it_means(open_page, exported):
    page = open_page()
    assert page.locator("math:not([aria-label])").count() == 0
    assert page.locator('math[aria-label=""]').count() == 0
    page.keyboard.press("ArrowRight")
    formulas = page.locator("section.step.current .scroll[data-fragment='1'] math")
    assert formulas.first.get_attribute("aria-label") == "H in equals X times W h plus b h"
    numbers = page.locator("section.step.current .equation math").first.get_attribute("aria-label")
    assert numbers == "H in equals a 3 by 4 matrix times a 4 by 3 matrix plus a 1 by 3 matrix equals a 3 by 3 matrix"
    html = exported("paper").read_text(encoding="utf-8")
    assert '<mfrac intent="partial-derivative(1, $of, $wrt)">' in html
    assert '<msup intent="transpose($m)">' in html
    assert '<mo intent="element-wise-product" aria-label="element-wise times">⊙</mo>' in html
    # the controls: buttons with names, the counter read out as it changes, focus drawn
    assert page.locator("#prev").get_attribute("aria-label") == "Previous step"
    assert page.locator("#next").get_attribute("aria-label") == "Next step"
    tree = page.locator(".controls").aria_snapshot()  # what a screen reader is given
    for line in ('button "Previous step"', "text: Epoch 1 · Step 2 (2 of 11)", 'button "Next step"', 'button "Present"'):
        assert line in tree, tree
    step = page.locator("section.step.current").aria_snapshot()
    assert '- math "H in equals X times W h plus b h"' in step
    assert "Step 3" not in page.locator("main").aria_snapshot()  # only the step shown is read
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_a_large_matrix_in_mathml_keeps_its_first_and_last_rows_and_columns():
    import numpy as np

    from nntrace.writers.mathml import MathMLWriter

    value = np.arange(300).reshape(30, 10) + 0.5  # 30 × 10: row r holds 10r + 0.5 .. 10r + 9.5
    table = MathMLWriter(max_rows=12, max_columns=8).table(value)
    rows = re.findall(r"<mtr>(.*?)</mtr>", table)
    assert len(rows) == 12  # rows 1-6, ⋮, rows 26-30
    cells = [re.findall(r"<mtd>(.*?)</mtd>", row) for row in rows]
    assert all(len(line) == 8 for line in cells)  # columns 1-4, ⋯, columns 8-10
    assert cells[0][0] == "<mn>0.500</mn>" and cells[0][3] == "<mn>3.500</mn>" and cells[0][4] == "<mo>⋯</mo>"
    assert cells[0][5] == "<mn>7.500</mn>" and cells[11][7] == "<mn>299.500</mn>"
    assert cells[5][0] == "<mn>50.500</mn>" and cells[7][0] == "<mn>250.500</mn>"
    assert cells[6] == ["<mo>⋮</mo>"] * 4 + ["<mo>⋱</mo>"] + ["<mo>⋮</mo>"] * 3
    small = MathMLWriter().table(np.array([[-0.25, 0.5], [1.5, 2.5]]))
    assert small.count("<mtd>") == 4 and "<mtd><mn>−0.250</mn></mtd>" in small  # a matrix's minus inside its number
