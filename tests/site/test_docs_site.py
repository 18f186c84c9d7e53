"""The documentation site in a real browser: home, a course page and its player, search, the API pages."""

import re

import autograd
import nn
from autograd import testing


def test_home_page_loads_offline_with_the_example(offline):
    page = offline.goto("/")
    assert "chainrule" in page.title()
    assert "8.0 4.0 2.0" in page.inner_text("article")
    assert page.locator("a[href*='playground']").count() >= 1
    assert offline.blocked == [] and offline.errors == []


def test_course_page_shows_drawings_math_and_a_player_that_steps(offline):
    page = offline.goto("/course/01_derivatives_and_the_chain_rule/")
    article = page.locator("article")
    assert article.locator("svg").count() >= 3  # the notebook's drawings, inline SVG
    page.wait_for_selector("mjx-container", timeout=20000)  # LaTeX typeset by the site's own MathJax
    player = page.frame_locator("iframe[srcdoc*='cr-player']").first
    counter = player.locator(".cr-counter")
    caption = player.locator(".cr-caption")
    assert counter.inner_text().startswith("1 / ")
    first = caption.inner_text()
    player.locator(".cr-next").click()
    player.locator(".cr-next").click()
    assert counter.inner_text().startswith("3 / ")
    assert caption.inner_text() != first and ".grad +=" in caption.inner_text()
    player.locator(".cr-prev").click()
    assert counter.inner_text().startswith("2 / ")
    assert player.locator(".cr-frame svg").count() == 1
    assert offline.blocked == [] and offline.errors == []


def test_search_finds_gradcheck(offline):
    page = offline.goto("/")
    page.locator(".md-search__input").first.click()
    page.keyboard.type("gradcheck")  # Material searches on key events, not on fill()
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20000)
    text = page.locator(".md-search-result").inner_text()
    assert "gradcheck" in text.lower()
    links = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any("api/autograd" in (h or "") for h in links), links
    assert offline.blocked == []


def _api_ids(offline, path):
    page = offline.goto(path)
    return page, set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))


def test_every_public_name_has_an_api_entry_with_its_signature_and_math(offline):
    for module, path in ((autograd, "/api/autograd/"), (testing, "/api/testing/"), (nn, "/api/nn/")):
        page, ids = _api_ids(offline, path)
        for name in module.__all__:
            assert any(i == f"{module.__name__}.{name}" or i.endswith(f".{name}") for i in ids), (path, name)
    page = offline.goto("/api/autograd/")
    # a signature and a docstring's math
    assert re.search(r"gradcheck\(\s*f", page.inner_text("article"))
    assert "∂²f/∂xᵢ∂xⱼ" in page.inner_text("article")
    # a class's entry shows its constructor's signature, as a function's does
    text = offline.goto("/api/nn/").inner_text("article")
    assert re.search(r"RMSprop\(\s*params", text), "a class entry without its signature"
    assert re.search(r"MLP\(\s*n_in\b", text), "a class entry without its signature"
    assert offline.blocked == []
