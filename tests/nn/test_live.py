"""The live panel of fit(live=True), the explorer page and the saved run: everything but the browser.

(tests/nn/test_live_browser.py drives them in chromium and in JupyterLab.)
"""

import base64
import json
import re
import warnings

import pytest

pytest.importorskip("matplotlib", reason="the live view draws with matplotlib (pip install 'chainrule[live]')")

import nn  # noqa: E402
import nn.plot  # noqa: E402
from nn import MLP, live  # noqa: E402


def _circles():
    X, y = nn.make_circles(80, noise=0.08, factor=0.5, seed=0)
    return X, y


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_the_pictures_forward_pass_gives_the_engines_numbers(activation):
    model = MLP(2, [5, 3, 2], activation=activation, seed=3)
    points = [[0.3, -1.2], [2.0, 0.5], [-0.7, -0.1]]
    per_layer, outs = live.layer_outputs(model, points)
    assert len(per_layer) == 3
    assert [list(map(float, o)) for o in outs] == [pytest.approx(p, abs=1e-12) for p in nn.predict(model, points)]
    first = [[n(p).data for n in model.layers[0].neurons] for p in points]
    assert [list(map(float, r)) for r in per_layer[0]] == [pytest.approx(r, abs=1e-12) for r in first]


def test_a_model_with_a_hand_made_activation_runs_through_the_engine():
    model = MLP(2, [3, 1], seed=0)
    for n in model.layers[0].neurons:
        n.activation = lambda v: v * v  # a callable: no numpy twin, the engine computes it
    per_layer, outs = live.layer_outputs(model, [[0.5, 0.25]])
    assert outs[0][0] == pytest.approx(nn.predict(model, [[0.5, 0.25]])[0])


def test_plane_maps_agree_with_predict_and_accuracy():
    X, y = _circles()
    model = MLP(2, [4, 1], activation="relu", output_activation="sigmoid", seed=1)
    maps = live.plane_maps(model, X, y, threshold=0.5, resolution=7, neuron_resolution=5)
    grid = live.grid_points(maps["box"], 7)
    assert maps["classes"] == [int(p > 0.5) for p in nn.predict(model, grid)]
    assert maps["accuracy"] == pytest.approx(nn.accuracy(nn.predict(model, X), y, threshold=0.5))
    assert [name for name, _ in maps["neurons"]] == [f"layers.0.neurons.{j}" for j in range(4)]
    grid5 = live.grid_points(maps["box"], 5)
    assert maps["neurons"][2][1] == pytest.approx([model.layers[0].neurons[2](p).data for p in grid5])


class _Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_the_panel_draws_when_due_at_most_every_min_interval_and_within_its_budget():
    X, y = _circles()
    clock, shown = _Clock(), []

    def show(bundle, first):  # putting it on screen takes 0.5 s of the fake clock
        clock.t += 0.5
        shown.append((bundle, first))

    panel = live.LivePanel(MLP(2, [3, 1], seed=0), X, y, epochs=100, min_interval=0.25, budget=0.1, show=show,
                           clock=clock)
    h = {"loss": [], "accuracy": []}
    assert not panel.update(0, h)  # nothing before min_interval has passed
    clock.t = 0.3
    assert panel.update(1, h)  # the first drawing draws everything: reckoned as a quarter of its 0.5 s
    clock.t += 1.0
    assert not panel.update(2, h)  # 1.0 s < 0.125 s / budget
    clock.t += 0.3
    assert panel.update(3, h)  # an update: 0.5 s
    clock.t += 4.9
    assert not panel.update(4, h)  # 4.9 s < 0.5 s / budget
    clock.t += 0.2
    assert panel.update(5, h)
    assert [first for _, first in shown] == [True, False, False]
    panel.close({"loss": [0.1] * 6})  # the final state, always
    panel.close({"loss": [0.1] * 6})  # ... once
    assert panel.drawings == 4 and shown[-1][0]["text/plain"] == "<live training panel: epoch 6 of 100>"


def test_a_panel_bundle_is_a_png_of_the_boundary_curves_and_neurons():
    X, y = _circles()
    model = MLP(2, [4, 1], activation="relu", output_activation="sigmoid", seed=1)
    panel = live.LivePanel(model, X, y, epochs=3, threshold=0.5, show=lambda b, f: None)
    h = nn.fit(model, X, y, loss="bce", epochs=3, progress=False)
    assert h["loss"][0] > h["loss"][1] > h["loss"][2]
    first = {k: v[:2] for k, v in h.items()}
    bundle = panel.bundle(2, first)
    png = base64.b64decode(bundle["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    fig = panel._figure
    assert fig is not None and fig.plane and fig.neuron_image is not None
    assert fig.title.get_text().startswith("epoch 2 of 3:  loss ")
    assert f"accuracy {first['accuracy'][-1]:.1%}" in fig.title.get_text()  # a percentage, as the boundary's title
    assert list(fig.lines["loss"].get_ydata()) == first["loss"]  # type: ignore[attr-defined]
    assert fig.full_draw  # the first drawing draws everything ...
    higher = {k: [v + 1.0 for v in vs] for k, vs in h.items()}  # a loss above all before
    for history, full in ((h, False), (higher, True), (higher, False)):  # h: the loss fell further
        panel.bundle(3, history)
        assert fig.full_draw is full  # ... an update only what moves, unless the curves' limits widen
    # not 2-D: the curves alone
    curves_only = live.LivePanel(MLP(3, [2, 1], seed=0), [[1, 2, 3]], [1], epochs=1, show=lambda b, f: None)
    curves_only.bundle(0, {"loss": [0.5]})
    assert curves_only._figure is not None and not curves_only._figure.plane


def test_live_outside_jupyter_warns_and_trains_as_without_it():
    X, y = _circles()

    def run(**kw):
        m = MLP(2, [3, 1], seed=0)
        return nn.fit(m, X, y, loss="bce_with_logits", epochs=2, seed=0, progress=False, **kw)

    with pytest.warns(RuntimeWarning, match="live view needs a Jupyter kernel"):
        h = run(live=True)
    assert h == run()
    with pytest.raises(TypeError, match="fit\\(live\\) must be True or False"):
        run(live="yes")


def test_live_in_a_kernel_shows_then_updates_one_display(monkeypatch):
    X, y = _circles()
    shown = []
    monkeypatch.setattr(live, "in_jupyter", lambda: True)
    monkeypatch.setattr(live, "_ipython_show", lambda: lambda bundle, first: shown.append(first))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.fit(MLP(2, [3, 1], seed=0), X, y, loss="bce_with_logits", epochs=2, progress=False, live=True)
    assert shown and shown[0] is True and all(f is False for f in shown[1:])  # the final state at least


def _trained(epochs=4):
    X, y = _circles()
    model = MLP(2, [4, 3, 1], activation="relu", output_activation="sigmoid", seed=1)
    recorder = nn.plot.BoundaryRecorder(model, every=2)
    h = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=epochs,
               batch_size=16, seed=0, progress=False, callbacks=[recorder])
    return model, X, y, recorder, h


def test_explore_keeps_each_recorded_epoch_with_the_engines_numbers_at_every_point():
    model, X, y, recorder, h = _trained()
    page = nn.explore(model, X, y, recorder=recorder, history=h, resolution=8)
    d = page.data
    assert [s["epoch"] for s in d["snapshots"]] == [0, 2, 4]
    graph = d["graph"]
    assert graph["keys"][:2] == ["c0_0", "c0_1"] and len(graph["keys"]) == 2 + 4 + 3 + 1
    assert "<svg" in graph["svg"] and "<?xml" not in graph["svg"]
    for (epoch, params), snap in zip(recorder.snapshots, d["snapshots"]):
        assert snap["epoch"] == epoch
        with nn.plot._parameters_set(model, params):
            out = nn.predict(model, d["points"])
            acc = nn.accuracy(out, d["targets"], threshold=0.5)
        assert [v[-1] for v in snap["values"]] == pytest.approx(out, rel=1e-3, abs=1e-4)
        assert snap["accuracy"] == pytest.approx(acc)
        assert len(snap["regions"]) == 64 and len(snap["neurons"]) == 4
    assert d["history"]["loss"] == h["loss"] and "running_loss" not in d["history"]
    assert [p.data for p in model.parameters()] == recorder.snapshots[-1][1]  # the model is left as it was


def test_the_saved_run_is_one_offline_file(tmp_path):
    model, X, y, recorder, h = _trained()
    path = nn.save_run(tmp_path / "run.html", model, X, y, recorder=recorder, history=h, resolution=8)
    text = open(path, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>") and "chainruleRun" in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # nothing fetched from the network
    data = json.loads(re.search(r'<script type="application/json" id="cr-run-data">(.*?)</script>', text, re.S)[1])
    assert [s["epoch"] for s in data["snapshots"]] == [0, 2, 4]
    with pytest.raises(ValueError, match="should end in .html"):
        nn.explore(model, X, y).save(tmp_path / "run.txt")


def test_the_page_in_jupyter_is_an_iframe_with_a_png_for_viewers_that_run_no_script():
    model, X, y, recorder, h = _trained(2)
    bundle = nn.explore(model, X, y, recorder=recorder, history=h, resolution=8)._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert bundle["text/html"].startswith('<img id="cr-still-') and 'sandbox="allow-scripts"' in bundle["text/html"]
    assert "<RunPage" in bundle["text/plain"]


def test_explore_without_a_recorder_shows_the_model_now():
    model, X, y, _, h = _trained(2)
    page = nn.explore(model, X, y, history=h, graph=False, resolution=6)
    assert [s["epoch"] for s in page.data["snapshots"]] == [2] and page.data["graph"] is None


def test_explore_names_what_is_wrong():
    model, X, y, recorder, h = _trained(2)
    with pytest.raises(TypeError, match="expected an nn.MLP"):
        nn.explore(lambda x: x[0], X, y)
    with pytest.raises(ValueError, match="2 numbers per row"):
        nn.explore(model, [[1.0, 2.0, 3.0]], [1])
    with pytest.raises(ValueError, match="takes 3 inputs"):
        nn.explore(MLP(3, [2, 1], seed=0), X, y)
    with pytest.raises(ValueError, match="X has 40 rows and y 80 labels"):
        nn.explore(model, X[:40], y)
    with pytest.raises(ValueError, match="records another model"):
        nn.explore(MLP(2, [4, 3, 1], seed=5), X, y, recorder=recorder)
    with pytest.raises(ValueError, match="recorded nothing yet"):
        nn.explore(model, X, y, recorder=nn.plot.BoundaryRecorder(model))
    with pytest.raises(TypeError, match="BoundaryRecorder"):
        nn.explore(model, X, y, recorder=[(0, [])])
    with pytest.raises(TypeError, match="explore\\(history\\)"):
        nn.explore(model, X, y, history=[0.5, 0.4])
    with pytest.raises(ValueError, match="resolution"):
        nn.explore(model, X, y, resolution=1)


def test_a_classifier_with_several_outputs_draws_only_its_own_neurons():
    X, y = nn.make_blobs(45, centers=3, seed=0)
    model = MLP(2, [3, 3], seed=0)
    page = nn.explore(model, X, y, resolution=6)
    graph = page.data["graph"]
    assert graph["outputs"] == ["g3", "g4", "g5"] and len(graph["keys"]) == 2 + 3 + 3
    titles = re.findall(r'class="node">\s*<title>([^<]*)</title>', graph["svg"])
    assert sorted(titles) == sorted(graph["keys"])  # the sum that joined the outputs for draw_dot is gone
    assert page.data["snapshots"][0]["accuracy"] == pytest.approx(nn.accuracy(nn.predict(model, X), y))
