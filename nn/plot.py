"""Plots for training: decision boundaries, loss and accuracy curves, boundary snapshots.

matplotlib is an optional extra (``pip install 'chainrule[plot]'``), imported
when a plot is made.  Every function builds a ``matplotlib.figure.Figure``
directly (no pyplot, no display needed), returns it (a notebook shows it
inline) and, given ``path``, saves it (PNG, SVG, PDF … by the suffix).

A *model* here is anything callable on a list of two floats that returns a
score (a Value or a float: class by ``score > threshold``; pass
``threshold=0.5`` for a probability) or a list of scores, one per class
(class by argmax).
"""

from __future__ import annotations

import contextlib
import io
from typing import Callable, Iterable, Sequence

from autograd import Value, no_grad

from ._checks import checked_int, checked_number

__all__ = [
    "decision_boundary",
    "history_curves",
    "boundary_snapshots",
    "boundary_animation",
    "BoundaryRecorder",
]

_CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(
            "nn.plot needs matplotlib, an optional extra: pip install 'chainrule[plot]' (or pip install matplotlib)"
        ) from e
    return Figure


def _np():
    import numpy as np  # a dependency of matplotlib

    return np


def _float(x) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _scores(model: Callable, point: list[float]) -> list[float]:
    """The model's output at one point as a list of floats (one score, or one per class)."""
    return _as_scores(model(point))


def _as_scores(out) -> list[float]:
    if isinstance(out, (list, tuple)):
        return [_float(o) for o in out]
    return [_float(out)]


def _classes_of(scores: list[float], threshold: float, negative: int) -> int:
    if len(scores) == 1:
        return 1 if scores[0] > threshold else negative
    return max(range(len(scores)), key=scores.__getitem__)


def _points_and_labels(X, y):
    """X as an (n, 2) float array and y as an int array, for plotting."""
    np = _np()
    X = list(X)
    for i, row in enumerate(X):
        if len(row) != 2:
            raise ValueError(f"X: the plot needs 2 features per row (a 2-D data set), row {i} has {len(row)}")
    X = np.asarray([[float(a), float(b)] for a, b in X], dtype=float)
    y = np.asarray([int(round(float(t))) for t in y])
    if len(X) != len(y):
        raise ValueError(f"X and y differ in length ({len(X)} and {len(y)})")
    if len(X) == 0:
        raise ValueError("X is empty: no points to plot")
    return X, y


def _grid(X, resolution: int, margin: float):
    np = _np()
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    return np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))


def _evaluate(model: Callable, xx, yy, threshold: float, negative: int):
    """Predicted class and (for a one-score model) the score at every grid point."""
    np = _np()
    classes = np.empty(xx.shape, dtype=int)
    score = np.empty(xx.shape, dtype=float)
    idxs = list(np.ndindex(xx.shape))
    points = [[float(xx[idx]), float(yy[idx])] for idx in idxs]
    with no_grad():  # no graph: 10⁴ forward passes stay cheap
        batch = getattr(model, "batch", None)  # nn's modules: the grid as one batch
        outs = batch(points) if callable(batch) else map(model, points)
        for idx, out in zip(idxs, outs):
            s = _as_scores(out)
            classes[idx] = _classes_of(s, threshold, negative)
            score[idx] = s[0] if len(s) == 1 else np.nan
    return classes, score


def _plot_options(threshold, resolution, margin) -> tuple[float, int, float]:
    """The options every boundary plot takes, checked once per plot."""
    return (checked_number(threshold, "threshold"), checked_int(resolution, "resolution", 2),
            checked_number(margin, "margin", 0.0))


def _draw_boundary(ax, model, X, y, *, threshold, resolution, margin, title):
    from matplotlib.colors import ListedColormap

    np = _np()
    negative = -1 if (y == -1).any() else 0
    xx, yy = _grid(X, resolution, margin)
    classes, score = _evaluate(model, xx, yy, threshold, negative)
    labels = sorted(set(np.unique(y).tolist()) | set(np.unique(classes).tolist()))
    index = {c: i for i, c in enumerate(labels)}
    colors = [_CLASS_COLORS[i % len(_CLASS_COLORS)] for i in range(len(labels))]
    cmap = ListedColormap(colors)
    region = np.vectorize(index.get)(classes)
    ax.contourf(xx, yy, region, levels=np.arange(len(labels) + 1) - 0.5, cmap=cmap, alpha=0.3)
    if not np.isnan(score).all() and score.min() < threshold < score.max():
        ax.contour(xx, yy, score, levels=[threshold], colors="k", linewidths=1)
    for c in labels:
        mask = y == c
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=18, color=colors[index[c]], edgecolors="k", linewidths=0.4,
                       label=f"class {c}")  # fmt: skip
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_aspect("equal", adjustable="box")  # circles look like circles
    if title:
        ax.set_title(title)
    accuracy = float((np.array([_classify_point(model, p, threshold, negative) for p in X]) == y).mean())
    return accuracy


def _classify_point(model, p, threshold, negative) -> int:
    with no_grad():
        return _classes_of(_scores(model, [float(p[0]), float(p[1])]), threshold, negative)


def _save(fig, path):
    if path is not None:
        fig.savefig(path, dpi=fig.dpi, bbox_inches="tight")
    return fig


def decision_boundary(
    model: Callable,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    ax=None,
    path=None,
    threshold: float = 0.0,
    resolution: int = 60,
    margin: float = 0.5,
    title: str | None = None,
):
    """The classes a 2-D classifier assigns over the plane, with the data points on top.

    ``model([x0, x1])`` returns a score (class 1 where score > ``threshold``,
    else 0, or -1 when ``y`` uses -1/1 labels; ``threshold=0.5`` for a
    sigmoid output) or a list of class scores (class = argmax).  The black
    line is where a single score equals the threshold.  Draws on ``ax`` if
    given, else on a new Figure; returns the Figure, saved to ``path`` if given.
    The model runs ``resolution²`` times, under ``no_grad``.
    """
    Figure = _matplotlib()
    threshold, resolution, margin = _plot_options(threshold, resolution, margin)
    X, y = _points_and_labels(X, y)
    if ax is None:
        fig = Figure(figsize=(5, 4.5), dpi=100)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    accuracy = _draw_boundary(ax, model, X, y, threshold=threshold, resolution=resolution, margin=margin,
                              title=title)  # fmt: skip
    if title is None:
        ax.set_title(f"decision boundary (accuracy {accuracy:.0%})")
    ax.legend(loc="best", fontsize=8)
    return _save(fig, path)


def history_curves(history: dict, *, path=None):
    """Loss (and accuracy, when the history has it) per epoch; validation curves dashed.

    ``history`` is what ``fit`` returns: lists under "loss", "accuracy" and,
    with validation data, "val_loss", "val_accuracy".
    """
    Figure = _matplotlib()
    if not isinstance(history, dict) or not history.get("loss"):
        raise ValueError('history_curves(history): expected a dict with a non-empty "loss" list, as fit returns')
    panels = [("loss", "loss")] + ([("accuracy", "accuracy")] if history.get("accuracy") else [])
    fig = Figure(figsize=(5 * len(panels), 3.6), dpi=100)
    for i, (key, name) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        for k, style, who in ((key, "-", "train"), (f"val_{key}", "--", "validation")):
            values = history.get(k)
            if values:
                ax.plot(range(1, len(values) + 1), values, style, marker="." if len(values) < 30 else None,
                        label=who)  # fmt: skip
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(name)
        if key == "accuracy":
            ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return _save(fig, path)


@contextlib.contextmanager
def _parameters_set(model, state: Sequence[float]):
    """Temporarily give ``model.parameters()`` the numbers in ``state``."""
    params = list(model.parameters())
    if len(params) != len(state):
        raise ValueError(f"a snapshot has {len(state)} numbers, the model {len(params)} parameters")
    saved = [p.data for p in params]
    try:
        for p, d in zip(params, state):
            p.data = float(d)
        yield
    finally:
        for p, d in zip(params, saved):
            p.data = d


def _as_callable(snapshot, model):
    """A snapshot's model as a callable and a context that makes it valid."""
    if callable(snapshot):
        return snapshot, contextlib.nullcontext()
    if model is None:
        raise TypeError("a snapshot that is a list of parameter values needs model= (the model they belong to)")
    return model, _parameters_set(model, snapshot)


def boundary_snapshots(
    snapshots: Iterable[tuple[int, object]],
    X,
    y,
    *,
    model=None,
    path=None,
    ncols: int = 4,
    threshold: float = 0.0,
    resolution: int = 40,
    margin: float = 0.5,
):
    """The decision boundary at several moments of training, as a grid of small plots.

    ``snapshots`` is a list of ``(epoch, m)``: ``m`` is a callable model (e.g.
    a copy taken at that epoch) or the list of its parameter values
    (``[p.data for p in model.parameters()]``, what :class:`BoundaryRecorder`
    keeps) together with ``model=``.  Returns the Figure, saved to ``path`` if given.
    """
    Figure = _matplotlib()
    threshold, resolution, margin = _plot_options(threshold, resolution, margin)
    ncols = checked_int(ncols, "boundary_snapshots(ncols)", 1)
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("boundary_snapshots: no snapshots to plot")
    X, y = _points_and_labels(X, y)
    ncols = min(ncols, len(snapshots))
    nrows = -(-len(snapshots) // ncols)
    fig = Figure(figsize=(3.2 * ncols, 3.0 * nrows), dpi=100)
    for i, (epoch, snap) in enumerate(snapshots):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        fn, ctx = _as_callable(snap, model)
        with ctx:
            acc = _draw_boundary(ax, fn, X, y, threshold=threshold, resolution=resolution, margin=margin, title=None)
        ax.set_title(f"epoch {epoch}: accuracy {acc:.0%}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return _save(fig, path)


def boundary_animation(
    snapshots: Iterable[tuple[int, object]],
    X,
    y,
    path,
    *,
    model=None,
    threshold: float = 0.0,
    resolution: int = 40,
    margin: float = 0.5,
    ms_per_frame: int = 500,
) -> str:
    """The decision boundary through training as an animated GIF at ``path``; returns the path.

    Snapshots as for :func:`boundary_snapshots`.  In a notebook:
    ``IPython.display.Image(filename=path)``.
    """
    Figure = _matplotlib()
    from PIL import Image  # Pillow is a dependency of matplotlib

    threshold, resolution, margin = _plot_options(threshold, resolution, margin)
    ms_per_frame = checked_int(ms_per_frame, "boundary_animation(ms_per_frame)", 1)
    X, y = _points_and_labels(X, y)
    frames = []
    for epoch, snap in snapshots:
        fig = Figure(figsize=(4.5, 4), dpi=80)
        ax = fig.add_subplot()
        fn, ctx = _as_callable(snap, model)
        with ctx:
            acc = _draw_boundary(ax, fn, X, y, threshold=threshold, resolution=resolution, margin=margin, title=None)
        ax.set_title(f"epoch {epoch}: accuracy {acc:.0%}")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        buf.seek(0)
        frames.append(Image.open(buf).convert("RGB"))
    if not frames:
        raise ValueError("boundary_animation: no snapshots to animate")
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=ms_per_frame, loop=0)
    return str(path)


class BoundaryRecorder:
    """Keeps the model's parameter values at some epochs, to plot the boundary's history later.

    Call it once per epoch (``recorder(epoch)``, e.g. as a training callback;
    extra arguments are ignored); it records epochs 0, every, 2·every … and
    any epoch you pass with ``force=True``.  Then ``recorder.plot(X, y)`` or
    ``recorder.animate(X, y, "training.gif")``.
    """

    def __init__(self, model, *, every: int = 1) -> None:
        self.model, self.every = model, checked_int(every, "BoundaryRecorder(every)", 1)
        self.snapshots: list[tuple[int, list[float]]] = []

    def __call__(self, epoch: int, *args, force: bool = False, **kwargs) -> None:
        if force or epoch % self.every == 0:
            self.snapshots.append((epoch, [p.data for p in self.model.parameters()]))

    def plot(self, X, y, **options):
        """:func:`boundary_snapshots` of what was recorded."""
        return boundary_snapshots(self.snapshots, X, y, model=self.model, **options)

    def animate(self, X, y, path, **options) -> str:
        """:func:`boundary_animation` of what was recorded."""
        return boundary_animation(self.snapshots, X, y, path, model=self.model, **options)
