"""The playground in headless Chromium: chainrule itself, on Pyodide, with no network."""

import json

import pytest

from .conftest import Offline

LOAD_TIMEOUT_MS = 120_000  # a generous bound for a loaded CI machine; the time itself is printed, not asserted


@pytest.fixture(scope="module")
def playground(browser, base_url):
    """One page for the module: Pyodide loads once (several seconds), then each test runs code in it."""
    o = Offline(browser, base_url)
    page = o.goto("/playground/")
    page.wait_for_function("window.playground && window.playground.ready", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function("window.playground.runs >= 1", timeout=LOAD_TIMEOUT_MS)
    log = page.evaluate("window.playground.log")
    print(f"\nplayground ready in {page.evaluate('window.playground.readyMs')} ms: {json.dumps(log)}")
    yield o
    o.close()


def _choose(page, index):
    runs = page.evaluate("window.playground.runs")
    page.select_option("#example", str(index))  # choosing an example runs it
    page.wait_for_function(f"window.playground.runs > {runs}", timeout=LOAD_TIMEOUT_MS)


def _run(page, code):
    runs = page.evaluate("window.playground.runs")
    page.fill("#code", code)
    page.click("#run")
    page.wait_for_function(f"window.playground.runs > {runs}", timeout=LOAD_TIMEOUT_MS)


def test_the_first_example_ran_on_load_with_the_readme_numbers_and_a_drawing(playground):
    page = playground.page
    assert page.inner_text("#output").strip() == "8.0 4.0 2.0"  # a.grad == 4.0, b.grad == 2.0
    assert page.locator("#graph svg").count() == 1
    assert "grad 4.0" in page.locator("#graph svg").text_content()  # a.grad
    assert page.inner_text("#graph-title") == "Graph of the last backward()"
    assert page.locator("#error").is_hidden()
    assert "Ready" in page.inner_text("#status") or "Ran" in page.inner_text("#status")
    assert playground.blocked == [] and playground.errors == []


def test_the_player_steps_through_the_last_backward(playground):
    page = playground.page
    assert page.locator("#player").is_visible()
    assert page.inner_text("#counter") == "1 / 6"
    assert page.inner_text("#caption").startswith("seed")
    page.click("#next")
    page.click("#next")
    page.wait_for_function("document.getElementById('counter').textContent === '3 / 6'")
    assert ".grad +=" in page.inner_text("#caption")
    page.wait_for_function("document.querySelector('#frame svg') !== null")
    page.click("#prev")
    page.wait_for_function("document.getElementById('counter').textContent === '2 / 6'")


def test_the_neuron_example(playground):
    page = playground.page
    _choose(page, 1)
    out = page.inner_text("#output").splitlines()
    assert out == ["o = 0.7071", "x1.grad = -1.5  w1.grad = 1.0", "x2.grad = 0.5  w2.grad = 0.0"]
    page.wait_for_function("(document.querySelector('#graph svg') || {}).textContent?.includes('tanh')")
    assert page.inner_text("#counter").endswith("/ 11")  # seed, one step per edge (9), done


def test_the_training_example_redraws_the_decision_boundary_as_it_learns(playground):
    page = playground.page
    page.wait_for_function("!document.getElementById('run').disabled")
    runs = page.evaluate("window.playground.runs")
    before = page.evaluate("window.playground.boundaryUpdates")
    page.select_option("#example", "2")
    page.wait_for_function(f"window.playground.boundaryUpdates >= {before + 1}", timeout=LOAD_TIMEOUT_MS)
    first = page.evaluate("document.getElementById('boundary').toDataURL()")
    page.wait_for_function(f"window.playground.runs > {runs}", timeout=LOAD_TIMEOUT_MS)
    last = page.evaluate("document.getElementById('boundary').toDataURL()")
    assert page.evaluate("window.playground.boundaryUpdates") - before >= 5
    assert first != last  # the boundary moved while it trained
    assert page.inner_text("#output").splitlines()[-1].endswith("accuracy 100%")
    assert "step 60" in page.inner_text("#boundary-title")
    # one prediction's graph, collapsed to a box per neuron (show(..., collapse="neuron"))
    page.wait_for_function("document.querySelector('#graph svg') !== null")
    assert "layers.1" in page.locator("#graph svg").text_content()
    assert page.inner_text("#graph-title") == "Graph drawn by show()"  # not the loss's backward
    assert page.locator("#error").is_hidden()


def test_a_user_error_shows_pythons_traceback_in_the_page(playground):
    page = playground.page
    _run(page, "from autograd import Value\n\nx = Value(-1.0, 'x')\nprint('before')\ny = x.log()\n")
    assert page.inner_text("#output").strip() == "before"
    error = page.locator("#error")
    assert error.is_visible()
    text = error.inner_text()
    assert "Traceback (most recent call last)" in text
    assert 'File "<editor>", line 5' in text and "ValueError" in text
    assert "exception" in page.inner_text("#status")
    # the panes show only this run: no drawing, player or boundary left from the example before
    assert page.locator("#graph svg").count() == 0
    assert page.inner_text("#graph-title") == "Graph of the last backward()"  # the last example's title is gone
    assert page.locator("#player").is_hidden() and page.locator("#training").is_hidden()
    # and the page still works afterwards
    _run(page, "print(2 + 2)")
    assert page.inner_text("#output").strip() == "4" and error.is_hidden()
    assert playground.blocked == []


def test_python_started_from_the_snapshot_and_the_package_files_are_installed(playground):
    page = playground.page
    assert page.evaluate("window.playground.how") == "snapshot"
    assert any("snapshot" in text for text, _ in page.evaluate("window.playground.log"))
    # a module the snapshot did not import is read from the files written after it
    _run(page, "import autograd.graphcopy, nn.gpt_demo\nprint(autograd.graphcopy.__name__, nn.gpt_demo.__name__)")
    assert page.inner_text("#output").strip() == "autograd.graphcopy nn.gpt_demo"
    # an error raised inside the package shows the package's own source lines
    _run(page, "from autograd import Value\nValue('a')")
    text = page.locator("#error").inner_text()
    assert "autograd/operands.py" in text and 'raise TypeError(f"{where}: expected a real number' in text


def test_each_load_seeds_random_afresh_though_the_snapshot_froze_it(playground, browser, base_url):
    code = "import random\nprint(random.random())"
    _run(playground.page, code)
    first = playground.page.inner_text("#output").strip()
    other = Offline(browser, base_url)
    try:
        page = other.goto("/playground/")
        page.wait_for_function("window.playground.runs >= 1", timeout=LOAD_TIMEOUT_MS)
        assert page.evaluate("window.playground.how") == "snapshot"
        _run(page, code)
        assert page.inner_text("#output").strip() != first
    finally:
        other.close()


def test_without_its_snapshot_the_playground_starts_python_from_scratch(browser, base_url):
    o = Offline(browser, base_url)
    o.context.route("**/python.snapshot.gz", lambda route: route.fulfill(status=404, body="gone"))
    try:
        page = o.goto("/playground/")
        page.wait_for_function("window.playground.runs >= 1", timeout=LOAD_TIMEOUT_MS)
        assert page.evaluate("window.playground.how") == "scratch"
        log = [text for text, _ in page.evaluate("window.playground.log")]
        assert any("did not load" in text and "404" in text for text in log), log
        assert page.inner_text("#output").strip() == "8.0 4.0 2.0"
        assert page.locator("#graph svg").count() == 1
    finally:
        o.close()

