"""nn.plot: every plot is saved to PNG headless; models as score, probability or class scores."""

import math
import random
import subprocess
import sys

import pytest

from autograd import Value

pytest.importorskip("matplotlib")

from nn import plot  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


class Linear:
    """A tiny trainable model: score = w·x + b, with .parameters() like an nn Module."""

    def __init__(self, w0, w1, b):
        self.w = [Value(w0, "w.0"), Value(w1, "w.1")]
        self.b = Value(b, "b")

    def parameters(self):
        return [*self.w, self.b]

    def __call__(self, x):
        return self.w[0] * x[0] + self.w[1] * x[1] + self.b


def blobs(n=40, seed=0, labels=(0, 1)):
    rng = random.Random(seed)
    X = [[rng.gauss(-1, 0.4), rng.gauss(-1, 0.4)] for _ in range(n // 2)]
    X += [[rng.gauss(1, 0.4), rng.gauss(1, 0.4)] for _ in range(n // 2)]
    return X, [labels[0]] * (n // 2) + [labels[1]] * (n // 2)


def test_decision_boundary_needs_two_features():
    with pytest.raises(ValueError, match="X: the plot needs 2 features per row.*row 0 has 3"):
        plot.decision_boundary(lambda p: 0.0, [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], [0, 1])
    with pytest.raises(ValueError, match="row 1 has 1"):
        plot.decision_boundary(lambda p: 0.0, [[0.0, 0.0], [1.0]], [0, 1])


def test_decision_boundary_of_a_score_model_is_saved_as_png(tmp_path):
    X, y = blobs()
    fig = plot.decision_boundary(Linear(1.0, 1.0, 0.0), X, y, path=tmp_path / "b.png", resolution=20)
    assert (tmp_path / "b.png").read_bytes().startswith(PNG)
    assert fig.axes[0].get_title() == "decision boundary (accuracy 100%)"


def test_a_wrong_model_shows_a_low_accuracy_and_the_threshold_is_an_option():
    X, y = blobs()
    fig = plot.decision_boundary(Linear(-1.0, -1.0, 0.0), X, y, resolution=10)
    assert fig.axes[0].get_title() == "decision boundary (accuracy 0%)"
    # a probability: sigmoid output, class 1 above 0.5 (at threshold 0.0 every point would be class 1)
    prob = lambda x: (Value(x[0]) + x[1]).sigmoid()  # noqa: E731
    assert "100%" in plot.decision_boundary(prob, X, y, threshold=0.5, resolution=10).axes[0].get_title()
    assert "50%" in plot.decision_boundary(prob, X, y, resolution=10).axes[0].get_title()


def test_minus_one_one_labels_and_float_outputs():
    X, y = blobs(labels=(-1, 1))
    model = lambda x: float(x[0] + x[1])  # noqa: E731
    assert "100%" in plot.decision_boundary(model, X, y, resolution=10).axes[0].get_title()


def test_class_scores_are_classified_by_argmax(tmp_path):
    centres = [(0.0, 2.0), (-2.0, -1.0), (2.0, -1.0)]
    rng = random.Random(1)
    X, y = [], []
    for c, (cx, cy) in enumerate(centres):
        for _ in range(10):
            X.append([cx + rng.gauss(0, 0.3), cy + rng.gauss(0, 0.3)])
            y.append(c)

    def model(x):  # minus the squared distance to each centre
        return [Value(-((x[0] - cx) ** 2 + (x[1] - cy) ** 2)) for cx, cy in centres]

    fig = plot.decision_boundary(model, X, y, path=tmp_path / "three.png", resolution=15)
    assert "100%" in fig.axes[0].get_title()
    assert (tmp_path / "three.png").read_bytes().startswith(PNG)


def test_draws_on_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot(1, 2, 2)
    X, y = blobs(10)
    assert plot.decision_boundary(Linear(1, 1, 0), X, y, ax=ax, resolution=5, title="mine") is fig
    assert ax.get_title() == "mine"


def test_history_curves_with_and_without_validation(tmp_path):
    history = {"loss": [1.0, 0.6, 0.4], "accuracy": [0.5, 0.7, 0.9]}
    fig = plot.history_curves(history, path=tmp_path / "h.png")
    assert (tmp_path / "h.png").read_bytes().startswith(PNG)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(ax.lines) for ax in fig.axes] == [1, 1]
    history.update(val_loss=[1.1, 0.8, 0.7], val_accuracy=[0.4, 0.6, 0.7])
    fig = plot.history_curves(history)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    assert list(fig.axes[0].lines[1].get_ydata()) == [1.1, 0.8, 0.7]
    assert len(plot.history_curves({"loss": [3.0, 2.0]}).axes) == 1  # regression: no accuracy
    with pytest.raises(ValueError, match="loss"):
        plot.history_curves({"accuracy": [0.1]})


def train(model, X, y, epochs, recorder):
    """Hinge-loss gradient descent, calling the recorder once per epoch like a training callback."""
    recorder(0)
    for epoch in range(1, epochs + 1):
        for p in model.parameters():
            p.grad = 0.0
        loss = sum((1 - (2 * t - 1) * model(x)).relu() for x, t in zip(X, y)) * (1 / len(X))
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
        recorder(epoch)


def test_boundary_snapshots_from_a_recorder_and_from_callables(tmp_path):
    X, y = blobs(20)
    model = Linear(-1.0, 0.3, 0.5)
    recorder = plot.BoundaryRecorder(model, every=2)
    train(model, X, y, 6, recorder)
    assert [e for e, _ in recorder.snapshots] == [0, 2, 4, 6]
    after = [p.data for p in model.parameters()]
    fig = recorder.plot(X, y, path=tmp_path / "snap.png", resolution=8, ncols=2)
    assert (tmp_path / "snap.png").read_bytes().startswith(PNG)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("epoch 0: accuracy") and titles[-1] == "epoch 6: accuracy 100%"
    assert titles[0] != "epoch 0: accuracy 100%"
    assert [p.data for p in model.parameters()] == after  # the model is left as it was
    fig = plot.boundary_snapshots([(1, Linear(1, 1, 0)), (2, lambda x: -x[0])], X, y, resolution=6)
    assert len(fig.axes) == 2
    with pytest.raises(TypeError, match="model="):
        plot.boundary_snapshots([(0, [1.0, 2.0, 3.0])], X, y)


def test_boundary_animation_writes_a_gif(tmp_path):
    from PIL import Image

    X, y = blobs(20)
    model = Linear(-1.0, 0.3, 0.5)
    recorder = plot.BoundaryRecorder(model, every=3)
    train(model, X, y, 6, recorder)
    path = recorder.animate(X, y, tmp_path / "train.gif", resolution=6)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 3


def test_plots_need_no_display_and_no_pyplot(tmp_path):
    code = (
        "import sys; from nn import plot; "
        "plot.history_curves({'loss': [1.0, 0.5]}, path=sys.argv[1]); "
        "assert 'matplotlib.pyplot' not in sys.modules"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(plot.__file__).rsplit("/nn/", 1)[0]}  # no DISPLAY, no MPLBACKEND
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "h.png")], check=True, env=env, timeout=120)
    assert (tmp_path / "h.png").read_bytes().startswith(PNG)


def test_without_matplotlib_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'chainrule\[plot\]'"):
        plot.history_curves({"loss": [1.0]})


def test_contour_is_at_the_threshold():
    X, y = blobs(10)
    fig = plot.decision_boundary(lambda x: x[0] - 0.25, X, y, resolution=30, margin=0.0)
    ax = fig.axes[0]
    paths = [p for c in ax.collections if hasattr(c, "get_paths") and c.get_linewidth().size for p in c.get_paths()]
    xs = [v[0] for p in paths for v in p.vertices if len(p.vertices) and math.isfinite(v[0])]
    assert any(abs(x - 0.25) < 1e-9 for x in xs)


def test_a_recorders_assigned_every_is_used():
    from nn import MLP

    recorder = plot.BoundaryRecorder(MLP(2, [1], seed=0), every=2)
    recorder.every = 3
    for epoch in range(7):
        recorder(epoch)
    assert [e for e, _ in recorder.snapshots] == [0, 3, 6]
    with pytest.raises(TypeError, match=r"BoundaryRecorder\(every\) must be an int"):
        plot.BoundaryRecorder(MLP(2, [1], seed=0), every=True)
