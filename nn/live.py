"""Watching training: the live panel of ``fit(..., live=True)``, and the maps it draws.

The panel is one PNG picture (matplotlib, Agg), shown with IPython's
``display(..., display_id=True)`` and replaced in place with
``update_display``: a message every Jupyter front end understands
(JupyterLab, Notebook 7, VS Code, Colab), needing no widget library and no
front-end extension, and leaving a plain PNG in the saved notebook, which
nbconvert, nbviewer, GitHub and an untrusted JupyterLab show as they show
any plot.  Drawing costs time, so the panel is redrawn at most
``1 / min_interval`` times a second and only when the training since the
last drawing took at least ``1 / budget`` times as long as that drawing did:
drawing stays below about ``budget`` of the training's time, whatever the
model and the machine.
"""

from __future__ import annotations

import base64
import io
import time
import warnings
from typing import Callable, Sequence

from autograd import Value, no_grad

from ._checks import checked_int, checked_number

__all__ = ["LivePanel", "in_jupyter", "plane_maps"]

CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
MAX_NEURON_MAPS = 8


def in_jupyter() -> bool:
    """True in a Jupyter kernel (JupyterLab, Notebook, VS Code, Colab), where a display can be updated."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def is_plane(X: Sequence) -> bool:
    """Whether every row of X has two numbers (a data set on the plane, whose boundary can be drawn)."""
    try:
        return len(X) > 0 and all(len(row) == 2 for row in X)
    except TypeError:
        return False


def bounds(X: Sequence, margin: float = 0.5) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the box around the points, ``margin`` wider on each side."""
    xs, ys = [float(r[0]) for r in X], [float(r[1]) for r in X]
    return min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin


def grid_points(box: tuple[float, float, float, float], resolution: int) -> list[list[float]]:
    """resolution² points over the box, row by row from the bottom (y0) up, left to right."""
    x0, x1, y0, y1 = box
    n = resolution - 1
    return [[x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * j / n] for j in range(resolution) for i in range(resolution)]


def hidden_layers(model) -> list:
    """The model's layers when it is an MLP-like stack (``model.layers``, each with ``batch``), else []."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, (list, tuple)) or not layers:
        return []
    return list(layers) if all(callable(getattr(layer, "batch", None)) for layer in layers) else []


def _floats(out) -> list[float]:
    if isinstance(out, (list, tuple)):
        return [o.data if isinstance(o, Value) else float(o) for o in out]
    return [out.data if isinstance(out, Value) else float(out)]


_NUMPY_ACTIVATIONS = {
    "relu": lambda np, z: np.maximum(z, 0.0),
    "tanh": lambda np, z: np.tanh(z),
    "sigmoid": lambda np, z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # = 1/(1+e⁻ᶻ), without overflow
    "leaky_relu": lambda np, z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda np, z: z,
}


def _numpy_layers(layers: list):
    """Each layer as (W, b, activation name) when every neuron has a named activation, else None."""
    import numpy as np

    from .layers import ACTIVATIONS

    out = []
    for layer in layers:
        neurons = getattr(layer, "neurons", None)
        if not neurons:
            return None
        names = {getattr(n, "_activation_name", None) for n in neurons}
        name = names.pop() if len(names) == 1 else None
        if name not in _NUMPY_ACTIVATIONS or any(getattr(n, "_f", 0) is not ACTIVATIONS[name] for n in neurons):
            return None
        W = np.array([[w.data for w in n.w] for n in neurons], dtype=float)
        b = np.array([n.b.data for n in neurons], dtype=float)
        out.append((W, b, name))
    return out


def layer_outputs(model, points: list) -> tuple[list, list]:
    """Each layer's outputs at each point (an MLP-like model; [] otherwise) and the model's outputs.

    Pictures need thousands of forward passes: for layers of neurons with a
    named activation they run as numpy matrix products (the same numbers as
    the engine's, to rounding; tests/nn/test_live.py checks); any other model
    runs through the engine under ``no_grad``.  Arrays of shape
    (points, neurons), or lists of lists of floats.
    """
    layers = hidden_layers(model)
    stack = _numpy_layers(layers) if layers else None
    per_layer: list = []
    if stack is not None:
        import numpy as np

        H = np.asarray(points, dtype=float).reshape(len(points), -1)
        for W, b, name in stack:
            H = _NUMPY_ACTIVATIONS[name](np, H @ W.T + b)
            per_layer.append(H)
        return per_layer, per_layer[-1]
    with no_grad():
        if not layers:
            batch = getattr(model, "batch", None)
            outs = batch(points) if callable(batch) else [model(p) for p in points]
            return [], [_floats(o) for o in outs]
        rows: list = points
        for layer in layers:
            rows = layer.batch(rows)
            per_layer.append([[v.data if isinstance(v, Value) else float(v) for v in row] for row in rows])
        return per_layer, per_layer[-1]


def class_of(scores: list[float], threshold: float, labels: list[int]) -> int:
    """The class a model's output means: argmax for several scores; for one, labels[-1] above threshold."""
    if len(scores) == 1:
        return labels[-1] if scores[0] > threshold else labels[0]
    return max(range(len(scores)), key=scores.__getitem__)


def plane_maps(model, X: Sequence, y: Sequence, *, threshold: float = 0.0, resolution: int = 40,
               neuron_resolution: int = 20, margin: float = 0.5) -> dict:  # fmt: skip
    """What the panel and the explorer draw of a model on the plane, as plain lists.

    ``{"box", "resolution", "classes" (resolution² class labels, row by row from
    the bottom), "score" (the single output there, or None), "accuracy" (on X, y),
    "neurons": [(name, neuron_resolution² outputs)] for the first hidden layer}``.
    """
    resolution = checked_int(resolution, "resolution", 2)
    neuron_resolution = checked_int(neuron_resolution, "neuron_resolution", 2)
    threshold = checked_number(threshold, "threshold")
    labels = sorted({int(round(float(t))) for t in y})
    if len(labels) == 1:
        labels = [min(labels[0], 0), max(labels[0], 1)]
    box = bounds(X, margin)
    _, outs = layer_outputs(model, grid_points(box, resolution))
    classes = [class_of(list(o), threshold, labels) for o in outs]
    score = [float(o[0]) for o in outs] if len(outs) and len(outs[0]) == 1 else None
    _, at_points = layer_outputs(model, [[float(a), float(b)] for a, b in X])
    targets = [int(round(float(t))) for t in y]
    correct = sum(class_of(list(o), threshold, labels) == t for o, t in zip(at_points, targets))
    neurons: list[tuple[str, list[float]]] = []
    per_layer, _ = layer_outputs(model, grid_points(box, neuron_resolution))
    if len(per_layer) > 1:  # a hidden layer: the first one's neurons
        for j in range(min(len(per_layer[0][0]), MAX_NEURON_MAPS)):
            neurons.append((f"layers.0.neurons.{j}", [float(row[j]) for row in per_layer[0]]))
    return {"box": box, "resolution": resolution, "classes": classes, "score": score, "labels": labels,
            "accuracy": correct / len(targets), "neurons": neurons, "neuron_resolution": neuron_resolution}


def _matplotlib():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(
            "the live view draws with matplotlib, an optional extra: pip install 'chainrule[live]' "
            "(or pip install matplotlib)"
        ) from e
    return Figure, FigureCanvasAgg


def _mosaic(maps: dict, cols: int):
    """The first hidden layer's maps side by side in one array (NaN between them), min-max scaled each."""
    import numpy as np

    r, neurons = maps["neuron_resolution"], maps["neurons"]
    rows = -(-len(neurons) // cols)
    gap = max(1, r // 8)
    out = np.full((rows * (r + gap) - gap, cols * (r + gap) - gap), np.nan)
    for j, (_, values) in enumerate(neurons):
        a = np.array(values, dtype=float).reshape(r, r)
        lo, hi = a.min(), a.max()
        a = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
        row = rows - 1 - j // cols  # the first neuron at the top left (origin="lower" puts row 0 at the bottom)
        out[row * (r + gap): row * (r + gap) + r, (j % cols) * (r + gap): (j % cols) * (r + gap) + r] = a
    return out, rows


class PanelFigure:
    """The panel as one matplotlib Figure, built once and updated in place (cheap to redraw).

    Left: the regions each class gets over the plane, with the points; right:
    loss and accuracy per epoch (training solid, validation dashed) and the
    output of each neuron of the first hidden layer over the same plane
    (each map scaled to its own range: dark low, bright high).  Without
    ``maps`` (inputs that are not 2-D): the curves alone.
    """

    def __init__(self, history: dict, *, epochs: int | None, maps: dict | None, X=None, y=None) -> None:
        Figure, _ = _matplotlib()
        import numpy as np

        self.np, self.epochs = np, epochs
        self.keys = ["loss"] + (["accuracy"] if "accuracy" in history else [])
        self.plane = maps is not None
        if not self.plane:
            self.fig = Figure(figsize=(4.0 * len(self.keys), 2.9), dpi=80)
            self.curve_axes = [self.fig.add_axes((0.08 + i / len(self.keys), 0.16, 0.84 / len(self.keys), 0.66))
                               for i in range(len(self.keys))]  # fmt: skip
        else:
            assert maps is not None and X is not None and y is not None
            self.fig = Figure(figsize=(10.0, 4.3), dpi=80)
            self.plane_ax = self.fig.add_axes((0.01, 0.03, 0.40, 0.84))
            self.curve_axes = [self.fig.add_axes((0.47 + 0.27 * i, 0.56, 0.23, 0.31)) for i in range(len(self.keys))]
            from matplotlib.colors import ListedColormap

            labels = maps["labels"]
            self.index = {c: i for i, c in enumerate(labels)}
            colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(labels))]
            x0, x1, y0, y1 = maps["box"]
            ax = self.plane_ax
            self.region = ax.imshow(self._region(maps), origin="lower", extent=(x0, x1, y0, y1),
                                    cmap=ListedColormap(colors), alpha=0.3, vmin=-0.5, vmax=len(labels) - 0.5,
                                    interpolation="nearest", aspect="equal")  # fmt: skip
            P = np.array([[float(a), float(b)] for a, b in X])
            T = np.array([int(round(float(t))) for t in y])
            for c in labels:
                mask = T == c
                if mask.any():
                    ax.scatter(P[mask, 0], P[mask, 1], s=11, color=colors[self.index[c]], edgecolors="k",
                               linewidths=0.3)  # fmt: skip
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_xticks([])
            ax.set_yticks([])
            self.neuron_image = None
            if maps["neurons"]:
                self.cols = min(4, len(maps["neurons"]))
                mosaic, rows = _mosaic(maps, self.cols)
                nax = self.fig.add_axes((0.47, 0.03, 0.50, 0.36))
                self.neuron_image = nax.imshow(mosaic, origin="lower", cmap="viridis", vmin=0, vmax=1,
                                               interpolation="bilinear", aspect="equal")  # fmt: skip
                nax.axis("off")
                nax.set_title("first hidden layer: each neuron's output over the plane", fontsize=9)
                r, gap = maps["neuron_resolution"], max(1, maps["neuron_resolution"] // 8)
                for j in range(len(maps["neurons"])):
                    row = rows - 1 - j // self.cols
                    nax.text((j % self.cols) * (r + gap) + 0.5, row * (r + gap) + r - 1.5, f"n{j}", fontsize=7,
                             color="white", va="top")  # fmt: skip
        self.lines: dict[str, object] = {}
        for ax, key in zip(self.curve_axes, self.keys):
            for k, style, who in ((key, "-", "train"), (f"val_{key}", "--", "validation")):
                if k in history:
                    (self.lines[k],) = ax.plot([], [], style, label=who)
            ax.set_title(key, fontsize=10)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            if key == "loss":  # one legend for both
                ax.legend(fontsize=7, loc="upper right")
            if key == "accuracy":
                ax.set_ylim(-0.02, 1.02)
        self.title = self.fig.suptitle("", fontsize=11, y=0.985)
        # Blitting: what changes is drawn over a copy of what does not (axes, ticks, labels), unless the
        # curves' limits change; text is most of matplotlib's drawing time.
        self.moving: list = [self.title]
        if self.plane:
            self.moving += [self.region, *self.plane_ax.collections, self.plane_ax.title]
            if self.neuron_image is not None:
                self.moving += [self.neuron_image, *self.neuron_image.axes.texts]
        self.moving += list(self.lines.values())
        for artist in self.moving:
            artist.set_animated(True)
        _, FigureCanvasAgg = _matplotlib()
        self.canvas = FigureCanvasAgg(self.fig)
        self._background = None
        self._limits: tuple | None = None
        self.full_draw = True  # whether the last png() drew everything (else only what moves)

    def _region(self, maps: dict):
        r = maps["resolution"]
        return self.np.array([self.index.get(c, 0) for c in maps["classes"]]).reshape(r, r)

    def update(self, history: dict, *, epoch: int, maps: dict | None = None):
        """Show ``history`` up to now and, on the plane, ``maps``; returns the Figure."""
        n = len(history.get("loss") or [])
        top = max(self.epochs or 1, n, 1)
        for ax, key in zip(self.curve_axes, self.keys):
            values = [v for k in (key, f"val_{key}") for v in history.get(k) or [] if v is not None]
            for k in (key, f"val_{key}"):
                if k in self.lines:
                    data = history.get(k) or []
                    self.lines[k].set_data(range(1, len(data) + 1), data)  # type: ignore[attr-defined]
            ax.set_xlim(0.5, top + 0.5)
            if key != "accuracy" and values:
                lo, hi = min(values), max(values)
                # from the extremes alone, so that a falling loss keeps the limits (and the blitting)
                want = (0.0 if lo >= 0 else lo - 0.05 * abs(lo), hi + (0.05 * abs(hi) or 0.05))
                have = ax.get_ylim() if self._limits is not None else want
                # limits only widen (a redraw of everything), and start from the first epochs' values
                ax.set_ylim(min(have[0], want[0]), max(have[1], want[1]))
        if self.plane and maps is not None:
            self.region.set_data(self._region(maps))
            self.plane_ax.set_title(f"boundary (accuracy {maps['accuracy']:.0%})", fontsize=10)
            if self.neuron_image is not None:
                self.neuron_image.set_data(_mosaic(maps, self.cols)[0])
        last = {k: v[-1] for k, v in history.items() if v and v[-1] is not None and not k.startswith("running")}
        text = ", ".join(f"{k} {v:.1%}" if k.endswith("accuracy") else f"{k} {v:.3g}" for k, v in last.items())
        shown = f"epoch {epoch}" + (f" of {self.epochs}" if self.epochs else "")
        self.title.set_text(shown + (f":  {text}" if text else ""))
        return self

    def png(self) -> bytes:
        """The panel as it is now, as PNG bytes (Agg: no pyplot, no display needed)."""
        from PIL import Image  # a dependency of matplotlib

        limits = tuple(lim for ax in self.curve_axes for lim in (*ax.get_xlim(), *ax.get_ylim()))
        self.full_draw = self._background is None or limits != self._limits
        if self.full_draw:
            self.canvas.draw()  # everything but the moving artists
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._limits = limits
        else:
            self.canvas.restore_region(self._background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=3)
        return buf.getvalue()


class LivePanel:
    """The picture ``fit(..., live=True)`` keeps up to date in a notebook cell.

    ``update(epoch, history)`` redraws when due (see the module's docstring:
    at most ``1 / min_interval`` drawings a second, drawing at most about
    ``budget`` of the time); ``close(history)`` draws the final state, which
    stays in the notebook as a PNG.  ``show(bundle, first)`` puts a display
    bundle on screen (by default IPython's display and update_display);
    ``clock`` is ``time.perf_counter``: both replaceable, for tests.  The class
    attributes ``min_interval`` and ``budget`` are the defaults ``fit`` uses
    (``nn.live.LivePanel.budget = 0.3``: livelier, slower training).
    """

    min_interval: float = 0.25  # seconds between drawings, at least
    budget: float = 0.1  # the share of the training's time that updates may take

    def __init__(self, model, X: Sequence | None = None, y: Sequence | None = None, *, epochs: int | None = None,
                 threshold: float = 0.0, classify: bool = True, min_interval: float | None = None,
                 budget: float | None = None, resolution: int = 40, show: Callable[[dict, bool], None] | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:  # fmt: skip
        _matplotlib()  # fail before training, not after the first epoch
        self.model, self.epochs = model, epochs
        self.threshold = checked_number(threshold, "LivePanel(threshold)")
        self.min_interval = checked_number(type(self).min_interval if min_interval is None else min_interval,
                                           "LivePanel(min_interval)", 0.0)  # fmt: skip
        self.budget = checked_number(type(self).budget if budget is None else budget, "LivePanel(budget)", 1e-6)
        self.resolution = checked_int(resolution, "LivePanel(resolution)", 2)
        self.plane = classify and X is not None and y is not None and is_plane(X)
        self.X: list = list(X) if self.plane and X is not None else []
        self.y: list = list(y) if self.plane and y is not None else []
        self._show = show if show is not None else _ipython_show()
        self._clock = clock
        self._first = True
        self._start = clock()
        self._last_end: float | None = None
        self._cost = 0.0
        self._drawn: int | None = None  # the epoch on screen
        self.drawings = 0
        self._figure: PanelFigure | None = None

    @classmethod
    def for_fit(cls, model, X, y, *, epochs: int, threshold: float, classify: bool) -> LivePanel | None:
        """The panel for one ``fit`` call; outside Jupyter a warning and None (training goes on without it)."""
        if not in_jupyter():
            warnings.warn(
                "fit(live=True): the live view needs a Jupyter kernel (JupyterLab, Notebook, VS Code, Colab); "
                "training without it. Afterwards: nn.plot.history_curves(history), or nn.save_run(...) for a page.",
                RuntimeWarning,
                stacklevel=3,
            )
            return None
        return cls(model, X, y, epochs=epochs, threshold=threshold, classify=classify)

    def due(self) -> bool:
        """Whether to draw now: ``min_interval`` after the start (a training shorter than that shows its
        final state only), then when the time since the last drawing is at least ``min_interval`` and
        ``1 / budget`` times what that drawing took."""
        if self._last_end is None:
            return self._clock() - self._start >= self.min_interval
        waited = self._clock() - self._last_end
        return waited >= max(self.min_interval, self._cost / self.budget)

    def update(self, epoch: int, history: dict, *args) -> bool:
        """Redraw for ``epoch`` if due; True if it drew."""
        if not self.due():
            return False
        self.draw(epoch, history)
        return True

    def close(self, history: dict) -> None:
        """Draw the final state, unless it is already on screen."""
        final = len(history.get("loss") or [])
        if self._drawn != final:
            self.draw(final, history)

    def bundle(self, epoch: int, history: dict) -> dict:
        """The display bundle for ``epoch``: the panel as PNG, and a line of text."""
        maps = None
        if self.plane:
            maps = plane_maps(self.model, self.X, self.y, threshold=self.threshold, resolution=self.resolution,
                              neuron_resolution=20)  # fmt: skip
        if self._figure is None:
            self._figure = PanelFigure(history, epochs=self.epochs, maps=maps, X=self.X, y=self.y)
        png = self._figure.update(history, epoch=epoch, maps=maps).png()
        return {"image/png": base64.b64encode(png).decode("ascii"),
                "text/plain": f"<live training panel: epoch {epoch}{f' of {self.epochs}' if self.epochs else ''}>"}

    def draw(self, epoch: int, history: dict) -> None:
        start = self._clock()
        self._show(self.bundle(epoch, history), self._first)
        self._first = False
        self._last_end = self._clock()
        cost = self._last_end - start
        if self._figure is not None and self._figure.full_draw:
            # the first drawing (and one where the curves' limits widen) draws everything, several times
            # what an update costs: the throttle reckons with updates, not with that one-off
            cost = self._cost if self._cost else cost / 4
        self._cost = cost
        self._drawn = epoch
        self.drawings += 1


def _ipython_show() -> Callable[[dict, bool], None]:
    """show(bundle, first): display the bundle in a new output the first time, then replace it in place."""
    handle = None

    def show(bundle: dict, first: bool) -> None:
        nonlocal handle
        from IPython.display import display

        if handle is None:
            handle = display(bundle, raw=True, display_id=True)
        else:
            handle.update(bundle, raw=True)

    return show
