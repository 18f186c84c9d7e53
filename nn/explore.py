"""A trained model to explore, and a training run as one offline HTML page.

``explore(model, X, y, recorder=..., history=...)`` computes, with the real
model, everything the page shows: for each epoch a ``BoundaryRecorder`` kept,
the class regions over the plane, each first-hidden-layer neuron's output
over it and every neuron's output at every point; once, the model's forward
pass drawn by ``autograd.draw.draw_dot`` with one box per neuron
(``collapse="neuron"``).  The page (run.html, shipped with the package: its
CSS and JS inline, no network) draws them: a slider moves through the
epochs, clicking a point fills that drawing with the point's numbers at the
chosen epoch.  In Jupyter it shows inline, in a sandboxed iframe, beside a
PNG of its last epoch for front ends that run no script; ``save(path)``
writes the same page as one file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

from autograd import Value
from autograd.draw import draw_dot
from autograd.value import topological_order

from ._checks import checked_int, checked_number
from .live import CLASS_COLORS, PanelFigure, hidden_layers, is_plane, layer_outputs, plane_maps
from .plot import BoundaryRecorder, _parameters_set

__all__ = ["explore", "save_run", "RunPage"]

_TEMPLATE_NUMBER = -0.1235  # the widest usual number: the drawing's boxes are sized for it


class RunPage:
    """A training run (or one trained model) as a page: ``save(path)``, or show it in Jupyter.

    ``data`` is what the page draws (JSON-ready); ``still`` the PNG bytes of
    its last epoch (or a function that makes them, called when first shown),
    shown where no script runs.
    """

    def __init__(self, data: dict, still: bytes | Callable[[], bytes] | None = None) -> None:
        self.data, self._still = data, still

    def still(self) -> bytes | None:
        """The PNG of the last epoch (the picture a viewer that runs no script shows), or None."""
        if callable(self._still):
            self._still = self._still()
        return self._still

    def html(self) -> str:
        """The page as one complete HTML document (no external resources)."""
        text = json.dumps(self.data, separators=(",", ":"), allow_nan=False)
        text = text.replace("<", "\\u003c")  # "</script>" inside the JSON would end its <script>
        template = resources.files(__package__).joinpath("run.html").read_text(encoding="utf-8")
        return template.replace("{{title}}", html.escape(self.data["title"])).replace("{{data}}", text)

    def save(self, path) -> str:
        """Write the page as one HTML file that works offline; returns the path."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"save: the path should end in .html, got {str(path)!r}")
        path.write_text(self.html(), encoding="utf-8")
        return str(path)

    def __repr__(self) -> str:
        epochs = [s["epoch"] for s in self.data["snapshots"]]
        return f"<RunPage {self.data['title']!r}: epochs {epochs}; .save(path) writes one HTML file>"

    def _height(self) -> int:
        graph = self.data.get("graph")
        extra = 0
        if graph:
            m = re.search(r'<svg[^>]*height="([\d.]+)pt"', graph["svg"])
            w = re.search(r'<svg[^>]*width="([\d.]+)pt"', graph["svg"])
            if m and w:
                scale = min(1.0, 900 / (float(w[1]) * 4 / 3))
                extra = int(float(m[1]) * 4 / 3 * scale) + 60
        return 560 + extra

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" style="width: 100%; border: none;" '
                f'height="{self._height()}" sandbox="allow-scripts"></iframe>')  # fmt: skip

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        """The page as HTML, and its last epoch as PNG: a front end that runs no script shows the PNG."""
        bundle = {"text/html": self._repr_html_(), "text/plain": repr(self)}
        still = self.still()
        if still is not None:
            data = base64.b64encode(still).decode("ascii")
            bundle["image/png"] = data
            # an untrusted JupyterLab picks the HTML, sanitised (no iframe, no script): it carries the
            # picture too, and where scripts run this script removes it again (as autograd's Player does)
            sid = "cr-still-" + hashlib.sha1(data.encode()).hexdigest()[:12]
            bundle["text/html"] = (f'<img id="{sid}" src="data:image/png;base64,{data}" alt="the training run">'
                                   + bundle["text/html"]
                                   + f'<script>document.getElementById("{sid}").remove();</script>')  # fmt: skip
        return {k: v for k, v in bundle.items() if (not include or k in include) and k not in (exclude or ())}


def _round(v: float) -> float:
    return float(f"{v:.4g}")


def _graph_template(model) -> tuple[str, list[str], list[tuple[int, int] | int]]:
    """The forward pass drawn once, one box per neuron, every number the same placeholder.

    Returns the SVG, the drawing's node ids (``c0_1``, ``g5`` …) and what each
    shows: an input index, or (layer, neuron).
    """
    n_in = len(hidden_layers(model)[0].neurons[0].w)
    out = model([_TEMPLATE_NUMBER] * n_in)
    outs = out if isinstance(out, list) else [out]
    root: Value = outs[0]
    for o in outs[1:]:  # several outputs: one root above them all, to draw them in one picture
        root = root + o
    for v in topological_order(root):
        if v.parents:
            v.data = _TEMPLATE_NUMBER
    drawing = draw_dot(root, collapse="neuron", show_grad=False, max_nodes=None)
    keys: list[str] = []
    shows: list[tuple[int, int] | int] = []
    node = re.compile(r'^\s*(\w+) \[label="\{ (?:x\[(\d+)\]|(?:.*\.)?layers\.(\d+)\.neurons\.(\d+)) \|', re.M)
    for m in node.finditer(drawing.source):
        keys.append(m[1])
        shows.append(int(m[2]) if m[2] is not None else (int(m[3]), int(m[4])))
    svg = drawing.pipe(format="svg", encoding="utf-8")
    svg = svg[svg.index("<svg"):]  # no XML prolog or doctype inside an HTML page
    if len(outs) > 1:  # the sum that joined the outputs into one root is no part of the model: drop it
        kept = set(keys)

        def drop(m: re.Match) -> str:
            title = html.unescape(m[2])
            ends = [end.split(":")[0] for end in title.split("->")] if m[1] == "edge" else [title]
            return m[0] if all(e in kept for e in ends) else ""

        svg = re.sub(r'<g id="[^"]*" class="(node|edge)">\s*<title>([^<]*)</title>.*?</g>\n?', drop, svg, flags=re.S)
    return svg, keys, shows


def explore(
    model,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    recorder: BoundaryRecorder | None = None,
    history: dict | None = None,
    threshold: float | None = None,
    resolution: int = 60,
    max_points: int = 400,
    graph: bool = True,
    title: str | None = None,
) -> RunPage:
    """A page to explore a trained 2-D classifier: its boundary, curves, neuron maps and forward pass.

    ``model`` is an :class:`nn.MLP` (or a stack of nn layers in ``model.layers``)
    on 2 inputs; X, y the points to show (at most ``max_points`` of them, evenly
    picked).  ``recorder`` (a :class:`nn.plot.BoundaryRecorder` of this model):
    the epochs it kept are on a slider; without it, the model as it is now.
    ``history`` (what ``fit`` returns): the loss and accuracy curves, with the
    slider's epoch marked.  ``threshold``: a single output above it is class 1
    (default 0.5 after a sigmoid output, else 0).  Clicking a point shows
    ``draw_dot`` of its forward pass, one box per neuron with its output, the
    numbers at the slider's epoch (``graph=False``: no drawing, no Graphviz
    needed).  Returns a :class:`RunPage`: shown inline in Jupyter,
    ``.save("run.html")`` for one offline file.
    """
    if not hidden_layers(model):
        raise TypeError(f"explore(model): expected an nn.MLP (a model with .layers of nn layers), "
                        f"got {type(model).__name__}")  # fmt: skip
    X, y = list(X), list(y)
    if len(X) != len(y) or not X:
        raise ValueError(f"explore: X has {len(X)} rows and y {len(y)} labels; need equal and non-zero")
    if len({int(round(float(t))) for t in y}) > 40:
        raise ValueError("explore(y): more than 40 classes; the page colours at most 40")
    if not is_plane(X):
        raise ValueError("explore(X): the page draws the plane, so X needs 2 numbers per row")
    n_in = len(hidden_layers(model)[0].neurons[0].w)
    if n_in != 2:
        raise ValueError(f"explore(model): the model takes {n_in} inputs; the page needs a model on 2")
    if threshold is None:
        threshold = 0.5 if getattr(model, "output_activation", None) == "sigmoid" else 0.0
    threshold = checked_number(threshold, "explore(threshold)")
    resolution = checked_int(resolution, "explore(resolution)", 2)
    max_points = checked_int(max_points, "explore(max_points)", 1)
    if history is not None and (not isinstance(history, dict) or "loss" not in history):
        raise TypeError("explore(history) must be what fit returns (a dict with a 'loss' list)")
    if recorder is not None:
        if not isinstance(recorder, BoundaryRecorder):
            raise TypeError(f"explore(recorder) must be an nn.plot.BoundaryRecorder, got {type(recorder).__name__}")
        if recorder.model is not model:
            raise ValueError("explore(recorder): the recorder records another model than the one given")
        if not recorder.snapshots:
            raise ValueError("explore(recorder): it recorded nothing yet (pass it to fit(callbacks=[recorder]))")
        snapshots = list(recorder.snapshots)
    else:
        epoch = len(history["loss"]) if history and history.get("loss") else 0
        snapshots = [(epoch, [p.data for p in model.parameters()])]
    step = max(1, -(-len(X) // max_points))
    points = [[float(a), float(b)] for a, b in X[::step]]
    labels = [int(round(float(t))) for t in y[::step]]

    template = _graph_template(model) if graph else None
    frames, last_maps = [], None
    for epoch, params in snapshots:
        with _parameters_set(model, params):
            maps = plane_maps(model, points, labels, threshold=threshold, resolution=resolution,
                              neuron_resolution=24)  # fmt: skip
            values = None
            if template is not None:
                per_layer, _ = layer_outputs(model, points)
                values = [[_round(points[i][s]) if isinstance(s, int) else _round(float(per_layer[s[0]][i][s[1]]))
                           for s in template[2]] for i in range(len(points))]  # fmt: skip
        index = {c: k for k, c in enumerate(maps["labels"])}
        frames.append({
            "epoch": epoch,
            "accuracy": maps["accuracy"],
            "regions": "".join(chr(48 + index.get(c, 0)) for c in maps["classes"]),  # one character a cell
            "neurons": [[_round(v) for v in vals] for _, vals in maps["neurons"]],
            "values": values,
        })
        last_maps = maps
    assert last_maps is not None
    curves = None
    if history is not None:
        curves = {k: [None if v is None else float(v) for v in vs] for k, vs in history.items()
                  if k in ("loss", "accuracy", "val_loss", "val_accuracy") and vs}  # fmt: skip
    output_key = None
    if template is not None:
        last_layer = len(hidden_layers(model)) - 1
        output_key = [k for k, s in zip(template[1], template[2]) if isinstance(s, tuple) and s[0] == last_layer]
    data = {
        "title": title or f"training run: {type(model).__name__}",
        "box": list(last_maps["box"]),
        "resolution": resolution,
        "labels": last_maps["labels"],
        "colors": [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(last_maps["labels"]))],
        "threshold": threshold,
        "points": points,
        "targets": labels,
        "neuron_names": [name for name, _ in last_maps["neurons"]],
        "neuron_resolution": last_maps["neuron_resolution"],
        "history": curves,
        "snapshots": frames,
        "graph": None if template is None else {"svg": template[0], "keys": template[1], "outputs": output_key},
    }
    still_history = history if history is not None else {"loss": []}

    def still() -> bytes:
        fig = PanelFigure(still_history, epochs=None, maps=last_maps, X=points, y=labels)
        return fig.update(still_history, epoch=snapshots[-1][0], maps=last_maps).png()

    return RunPage(data, still)


def save_run(path, model, X, y, **options) -> str:
    """``explore(model, X, y, **options).save(path)``: a training run as one offline HTML file."""
    return explore(model, X, y, **options).save(path)

