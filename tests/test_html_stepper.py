"""The HTML export in a real browser: Debian's Chromium, headless and offline, driven by
Playwright. Steps 1 to 11 with the keyboard, their numbers in the page, MathML laid out,
hovering a result element shows where it came from and its arithmetic; without JavaScript
the page is one long worked solution."""

from __future__ import annotations

import pytest
from tools import offline


@pytest.fixture
def page_of(cli, tmp_path, browser):
    opened = []

    def open_export(*args, javascript=True):
        path = tmp_path / "solution.html"
        result = cli("export", *args, "--to", "html", "-o", str(path))
        assert result.exit_code == 0, result.stderr
        context, requested = offline(browser, java_script_enabled=javascript, viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.goto(path.as_uri())
        opened.append((context, requested))
        return page

    yield open_export
    for context, requested in opened:
        assert all(url.startswith("file://") for url in requested), requested
        context.close()


def current(page):
    return page.locator("section.step.current")


def test_the_stepper_walks_the_papers_eleven_steps_with_the_keyboard(page_of, tmp_path):
    page = page_of()
    texts = {}
    for number in range(1, 12):
        if number > 1:
            page.keyboard.press("ArrowRight")
        heading = current(page).locator("h3").inner_text()
        assert heading.startswith(f"Step {number} ·"), heading
        assert page.locator("section.step:visible").count() == 1
        texts[number] = current(page).inner_text()
    assert "1.620" in texts[2] and "1.452" not in texts[2]  # H_in[2,3]
    assert "0.684" in texts[11]  # the new b_out
    page.keyboard.press("ArrowLeft")
    assert current(page).locator("h3").inner_text().startswith("Step 10")
    page.screenshot(path=str(tmp_path / "stepper.png"))
    assert (tmp_path / "stepper.png").stat().st_size > 10_000


def test_mathml_is_laid_out(page_of):
    page = page_of()
    page.keyboard.press("ArrowRight")  # Step 2
    table = current(page).locator("mtable[data-role=result]").first
    box = table.bounding_box()
    assert box and box["width"] > 40 and box["height"] > 30  # three rows of numbers, stacked


def test_hovering_a_result_element_shows_its_sources_and_arithmetic(page_of):
    page = page_of()
    page.keyboard.press("ArrowRight")  # Step 2: H_in = X . W_h + b_h
    cell = current(page).locator('mtd[data-result][data-r="1"][data-c="2"]')
    cell.hover()
    arithmetic = current(page).locator(".arithmetic").first.inner_text()
    assert arithmetic == "H_in[2,3] = (1 × 0.550) + (0 × 0.680) + (1 × 0.470) + (1 × 0.520) + 0.080 = 1.620"
    rows = current(page).locator("mtable[data-pick=row] mtd.source")
    columns = current(page).locator("mtable[data-pick=col] mtd.source")
    assert rows.count() == 4  # X's second row
    assert columns.count() == 4 + 1  # W_h's third column and b_h's third bias


def test_without_javascript_the_page_is_one_long_solution(page_of):
    page = page_of(javascript=False)
    assert page.locator("section.step:visible").count() == 11
    assert page.locator(".controls").is_hidden()


def test_the_step_list_jumps_to_a_step(page_of):
    page = page_of()
    page.locator("nav.steps a").nth(6).click()
    assert current(page).locator("h3").inner_text().startswith("Step 7 ·")
