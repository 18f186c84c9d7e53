"""The backward pass, one chain-rule step at a time.

``backward_steps(L)`` replays exactly the loop of ``Value.backward`` (nodes
in reverse topological order, ``parent.grad += local_grad · node.grad`` for
each parent) on a private table of grads, and records a :class:`Frame` after
the seed and after every ``+=``.  (``backward`` skips a node whose grad is 0,
since it adds 0 to every parent; the frames show those steps too, so a
learner sees the zeros flow.)  Nothing in the graph is changed: ``.grad``
stays as it was.  ``steps.player()`` shows the frames with previous / next /
play buttons and a slider, inline in Jupyter or saved as one HTML file.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .opinfo import formula as _formula
from .value import Value, topological_order
from .value import real as _real

__all__ = ["backward_steps", "BackwardSteps", "Frame", "Player"]


@dataclass(frozen=True)
class Frame:
    """One step: ``parent.grad += local_grad × upstream`` on the edge node ← parents[parent_index].

    The seed frame has ``parent_index=None`` (only ``root.grad = 1`` is known);
    the last frame has ``node=None`` (the pass is done).  ``grads`` holds every
    grad known after this step; a node missing from it has received nothing yet.
    """

    index: int
    node: Value | None
    parent_index: int | None
    local_grad: float | None
    upstream: float | None
    contribution: float | None
    grads: Mapping[Value, float] = field(repr=False)
    caption: str = ""

    @property
    def parent(self) -> Value | None:
        """The Value whose grad this step updates."""
        if self.node is None or self.parent_index is None:
            return None
        return self.node.parents[self.parent_index]


def _fmt(x: float) -> str:
    s = f"{x:.4g}"
    return s + ".0" if s.lstrip("-").isdigit() else s


class BackwardSteps:
    """The frames of one backward pass from ``root``; indexable, and a player in Jupyter."""

    def __init__(self, root: Value, *, gradient: float = 1.0, max_frames: int = 500) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"backward_steps(root): expected a Value, got {type(root).__name__}")
        gradient = _real(gradient, "backward_steps(gradient)")
        self.root = root
        order = topological_order(root)
        # unlabelled nodes get a name (#index) so captions can refer to them
        self.names = {v: v.label or f"#{i}" for i, v in enumerate(order)}
        n_frames = 2 + sum(len(v.parents) for v in order)
        if n_frames > max_frames:
            raise ValueError(
                f"backward_steps: {n_frames} frames, more than max_frames={max_frames}; the step-through is made "
                f"for graphs of a few dozen nodes. Pass max_frames={n_frames} to build it anyway, or step through "
                "a smaller expression."
            )
        name = self.names.get
        grads: dict[Value, float] = {root: float(gradient)}
        frames = [
            Frame(
                0,
                root,
                None,
                None,
                None,
                None,
                MappingProxyType(dict(grads)),
                f"seed: {name(root)}.grad = {_fmt(gradient)}  (∂{name(root)}/∂{name(root)} = 1)",
            )
        ]
        # the same order and the same loop as Value.backward (zero steps included)
        for node in reversed(order):
            g = grads[node]
            for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
                before = grads.get(parent)
                contribution = local * g
                grads[parent] = (before or 0.0) + contribution
                caption = (
                    f"at {_formula(node, name)}:  {name(parent)}.grad += ∂{name(node)}/∂{name(parent)} · "
                    f"{name(node)}.grad = {_fmt(local)} × {_fmt(g)} = {_fmt(contribution)}"
                )
                if before is not None:  # a second path into parent: the grads add up
                    caption += f"  (now {_fmt(before)} + {_fmt(contribution)} = {_fmt(grads[parent])})"
                frames.append(
                    Frame(len(frames), node, i, local, g, contribution, MappingProxyType(dict(grads)), caption)
                )
        frames.append(
            Frame(len(frames), None, None, None, None, None, MappingProxyType(dict(grads)), "done: every grad is known")
        )
        self.frames = frames
        self._widths: dict[Value, int] | None = None

    def __repr__(self) -> str:
        return f"<BackwardSteps: {len(self)} frames of the backward pass from {self.names[self.root]}>"

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, i):
        return self.frames[i]

    def __iter__(self):
        return iter(self.frames)

    def draw(self, i: int, **options):
        """Frame ``i`` as a Drawing: node processed (red border), parent updated (blue), edge followed (red).

        The edge shows ``local × upstream = product``; a grad not known yet shows ``?``.
        """
        from .viz import _draw

        f = self.frames[i]
        edge = (f.node, f.parent_index) if f.parent_index is not None else None
        current = f.node if f.parent_index is not None else None
        edge_label = None
        if edge is not None:
            edge_label = f"{_fmt(f.local_grad)} × {_fmt(f.upstream)} = {_fmt(f.contribution)}"
        options.setdefault("max_nodes", None)
        return _draw(
            self.root,
            grads=self._texts(f),
            current=current,
            edge=edge,
            names=self.names,
            edge_label=edge_label,
            **options,
        )

    def _texts(self, frame: Frame) -> dict[Value, str]:
        """Each grad as text, padded to its widest text over all frames, so the layout does not jump."""
        if self._widths is None:
            self._widths = {}
            for f in self.frames:
                for v, g in f.grads.items():
                    self._widths[v] = max(self._widths.get(v, 1), len(_fmt(g)))
        texts = {}
        for v, width in self._widths.items():
            g = frame.grads.get(v)
            text = "?" if g is None else _fmt(g)
            texts[v] = text + "\u2007" * (width - len(text))  # figure space: as wide as a digit
        return texts

    def svgs(self, **options) -> list[str]:
        """Every frame rendered to SVG text (draw_dot options apply, e.g. rankdir="TB")."""
        from .viz import render_source

        return [_strip_svg(render_source(self.draw(i, **options).source).decode("utf-8")) for i in range(len(self))]

    def player(self, *, interval_ms: int = 900, **options) -> Player:
        """A previous / next / play / slider player over the frames."""
        return Player(self.svgs(**options), [f.caption for f in self.frames], interval_ms=interval_ms)

    def save_html(self, path, **options) -> str:
        """Write the player as one self-contained HTML file (no server, no kernel); returns the path."""
        return self.player(**options).save(path)

    def _repr_html_(self) -> str:
        return self.player()._repr_html_()


def backward_steps(root: Value, *, gradient: float = 1.0, max_frames: int = 500) -> BackwardSteps:
    """The backward pass from ``root`` as frames: the seed, one per chain-rule ``+=``, and the end.

    Same order and same local_grads as ``root.backward()``; ``.grad`` is not touched.
    """
    return BackwardSteps(root, gradient=gradient, max_frames=max_frames)


def _strip_svg(svg: str) -> str:
    """SVG text to inline in HTML: without the XML prolog, doctype and comments."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    return re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Backward pass, step by step</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 12px; }}
.cr-controls {{ display: flex; gap: 6px; align-items: center; margin: 6px 0; }}
.cr-controls input[type=range] {{ flex: 1; max-width: 480px; }}
.cr-caption {{ font-family: Menlo, Consolas, monospace; font-size: 14px; margin: 6px 0; min-height: 1.4em; }}
.cr-legend {{ font-size: 12px; color: #555; }}
.cr-frame svg {{ max-width: 100%; height: auto; }}
</style></head>
<body>
{body}
</body></html>
"""

_BODY = """<div class="cr-player" id="{pid}">
<div class="cr-controls">
<button class="cr-prev" title="previous (←)">◀ prev</button>
<button class="cr-play" title="play / pause">▶ play</button>
<button class="cr-next" title="next (→)">next ▶</button>
<input class="cr-slider" type="range" min="0" max="{last}" value="0" step="1" aria-label="frame">
<span class="cr-counter">1 / {count}</span>
</div>
<div class="cr-caption"></div>
<div class="cr-legend"><span style="color:#d62728">red</span>: the node being processed and the edge followed
(local derivative × its grad) · <span style="color:#1f77b4">blue</span>: the grad being updated ·
<b>?</b>: not known yet</div>
<div class="cr-frame"></div>
<script type="application/json" class="cr-data">{data}</script>
<script>
(function () {{
  var root = document.getElementById("{pid}");
  var data = JSON.parse(root.querySelector(".cr-data").textContent);
  var frames = data.frames, captions = data.captions, i = 0, timer = null;
  var view = root.querySelector(".cr-frame"), caption = root.querySelector(".cr-caption");
  var slider = root.querySelector(".cr-slider"), counter = root.querySelector(".cr-counter");
  var play = root.querySelector(".cr-play");
  function show(k) {{
    i = Math.max(0, Math.min(frames.length - 1, k));
    view.innerHTML = frames[i];
    caption.textContent = captions[i];
    slider.value = i;
    counter.textContent = (i + 1) + " / " + frames.length;
  }}
  function stop() {{ if (timer) {{ clearInterval(timer); timer = null; play.textContent = "▶ play"; }} }}
  root.querySelector(".cr-prev").onclick = function () {{ stop(); show(i - 1); }};
  root.querySelector(".cr-next").onclick = function () {{ stop(); show(i + 1); }};
  slider.oninput = function () {{ stop(); show(parseInt(slider.value, 10)); }};
  play.onclick = function () {{
    if (timer) {{ stop(); return; }}
    if (i >= frames.length - 1) show(0);
    play.textContent = "❚❚ pause";
    timer = setInterval(function () {{ if (i >= frames.length - 1) stop(); else show(i + 1); }}, data.interval);
  }};
  root.tabIndex = 0;
  root.onkeydown = function (e) {{
    if (e.key === "ArrowRight") {{ stop(); show(i + 1); }} else if (e.key === "ArrowLeft") {{ stop(); show(i - 1); }}
  }};
  show(0);
}})();
</script>
</div>"""


class Player:
    """SVG frames with captions, played by a little vanilla-JS player.

    ``save(path)`` writes one self-contained HTML file; in Jupyter the same
    page shows inline (in an iframe, so several players on a page never clash).
    """

    def __init__(self, svgs: list[str], captions: list[str], *, interval_ms: int = 900) -> None:
        if len(svgs) != len(captions) or not svgs:
            raise ValueError("Player: needs one caption per frame and at least one frame")
        self.svgs, self.captions, self.interval_ms = list(svgs), list(captions), int(interval_ms)

    def html(self) -> str:
        """The player as a complete HTML document."""
        data = json.dumps({"frames": self.svgs, "captions": self.captions, "interval": self.interval_ms})
        # "</script>" or "<!--" inside a <script> would end or derail it: JSON can spell "<" as \u003c
        data = data.replace("<", "\\u003c")
        pid = f"cr-player-{hashlib.sha1(data.encode()).hexdigest()[:12]}"  # from the content: same page each run
        body = _BODY.format(pid=pid, last=len(self.svgs) - 1, count=len(self.svgs), data=data)
        return _PAGE.format(body=body)

    def save(self, path) -> str:
        """Write the player as one HTML file; returns the path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return str(path)

    def _height(self) -> int:
        heights = [float(m[1]) for s in self.svgs if (m := re.search(r'<svg[^>]*height="([\d.]+)pt"', s))]
        return int(max(heights, default=300) * 4 / 3) + 120

    def __repr__(self) -> str:
        return f"<Player: {len(self.svgs)} frames; .save(path) writes one HTML file>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" style="width: 100%; border: none;" '
            f'height="{self._height()}" sandbox="allow-scripts"></iframe>'
        )
