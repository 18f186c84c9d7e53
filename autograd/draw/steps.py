"""The backward pass, one chain-rule step at a time.

``backward_steps(L)`` replays the loop of :func:`autograd.value.backward_pass`
(the computed nodes in reverse ``computed_order``, ``parent.grad +=
local_grad · node.grad`` for each parent, nothing from a node whose grad is
0, even through an infinite local derivative) on a private table of grads,
and records a :class:`Frame` after the seed and after every ``+=``.  A node
whose grad is 0 still has its frames, which say it adds nothing, so a
learner sees the zeros flow; the grads are always backward's.  Nothing in
the graph is changed: ``.grad`` stays as it was.  ``steps.player()`` shows
the frames with previous / next / play buttons and a slider, inline in
Jupyter (with a filmstrip PNG for viewers that run no script) or saved as
one HTML file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterator, Mapping

from ..opinfo import formula, number_text
from ..value import Value, computed_order, topological_order
from ..value import real as _real
from . import dot
from .player import Player
from .render import Drawing, png_or_none, render_source

__all__ = ["backward_steps", "BackwardSteps", "Frame", "Player", "FILMSTRIP_FRAMES"]

# A filmstrip shows at most this many frames (the first, the last, and evenly spaced ones between).
FILMSTRIP_FRAMES = 12


@dataclass(frozen=True)
class Frame:
    """One step: ``parent.grad += local_grad × upstream`` on the edge node ← parents[parent_index].

    The seed frame has ``parent_index=None`` (only ``root.grad = 1`` is known);
    the last frame has ``node=None`` (the pass is done).  ``grads`` holds every
    grad known after this step; a node missing from it has received nothing yet.
    A step from a node whose grad is 0 has ``contribution`` 0.0: it adds nothing
    (``backward`` skips it, so that 0 × ∞ never makes a NaN).
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


def _fmt(x: float | None) -> str:
    return "?" if x is None else number_text(x, 4)


class BackwardSteps:
    """The frames of one backward pass from ``root``; indexable, and a player in Jupyter."""

    def __init__(self, root: Value, *, gradient: float = 1.0, max_frames: int | None = 500) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"backward_steps(root): expected a Value, got {type(root).__name__}")
        if max_frames is not None and (isinstance(max_frames, bool) or not isinstance(max_frames, int)):
            raise TypeError(f"backward_steps(max_frames): expected an int or None (no limit), got {max_frames!r}")
        if max_frames is not None and max_frames < 2:
            raise ValueError(f"backward_steps(max_frames): a pass has at least 2 frames, got {max_frames}")
        gradient = _real(gradient, "backward_steps(gradient)")
        self.root = root
        # unlabelled nodes get a name (#index) so captions can refer to them
        self.names = {v: v.label or f"#{i}" for i, v in enumerate(topological_order(root))}
        order = computed_order(root)
        n_frames = 2 + sum(len(v.parents) for v in order)
        if max_frames is not None and n_frames > max_frames:
            raise ValueError(
                f"backward_steps: {n_frames} frames, more than max_frames={max_frames}; the step-through is made "
                f"for graphs of a few dozen nodes. Pass max_frames={n_frames} to build it anyway, or step through "
                "a smaller expression."
            )
        name = self.names.__getitem__  # every node under root has a name
        grads: dict[Value, float] = {root: float(gradient)}
        seed = f"seed: {name(root)}.grad = {_fmt(gradient)}  (∂{name(root)}/∂{name(root)} = 1)"
        frames = [Frame(0, root, None, None, None, None, MappingProxyType(dict(grads)), seed)]
        # backward_pass's loop, on the private table
        for node in reversed(order):
            g = grads[node]
            for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
                before = grads.get(parent)
                at = f"at {formula(node, name)}:  "
                if g == 0.0:  # backward skips this node: 0 adds nothing, even times an infinite local grad
                    contribution = 0.0
                    grads[parent] = before if before is not None else 0.0
                    caption = at + f"{name(node)}.grad is 0: nothing to add to {name(parent)}.grad"
                else:
                    contribution = local * g
                    grads[parent] = (before or 0.0) + contribution
                    caption = at + (
                        f"{name(parent)}.grad += ∂{name(node)}/∂{name(parent)} · {name(node)}.grad = "
                        f"{_fmt(local)} × {_fmt(g)} = {_fmt(contribution)}"
                    )
                    if before is not None:  # a second path into parent: the grads add up
                        caption += f"  (now {_fmt(before)} + {_fmt(contribution)} = {_fmt(grads[parent])})"
                frames.append(
                    Frame(len(frames), node, i, local, g, contribution, MappingProxyType(dict(grads)), caption)
                )
        done = "done: every grad is known"
        frames.append(Frame(len(frames), None, None, None, None, None, MappingProxyType(dict(grads)), done))
        self.frames = frames
        self._widths: dict[Value, int] | None = None

    def __repr__(self) -> str:
        return f"<BackwardSteps: {len(self)} frames of the backward pass from {self.names[self.root]}>"

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, i: int) -> Frame:
        return self.frames[i]

    def __iter__(self) -> Iterator[Frame]:
        return iter(self.frames)

    def _marks(self, f: Frame, caption: str | None = None) -> dot.Marks:
        edge = (f.node, f.parent_index) if f.node is not None and f.parent_index is not None else None
        edge_label = None
        if edge is not None:
            if f.upstream == 0.0:
                edge_label = f"{_fmt(f.local_grad)} × 0 adds nothing"
            else:
                edge_label = f"{_fmt(f.local_grad)} × {_fmt(f.upstream)} = {_fmt(f.contribution)}"
        current = f.node if edge is not None else None
        return dot.Marks(self._texts(f), current, edge, edge_label, caption, self.names)

    @staticmethod
    def _options(options: dict) -> dot.Options:
        options.setdefault("max_nodes", None)
        return dot.Options(**options)

    def draw(self, i: int, **options) -> Drawing:
        """Frame ``i`` as a Drawing: node processed (red border), parent updated (blue), edge followed (red).

        The edge shows ``local × upstream = product``; a grad not known yet shows ``?``.
        """
        return dot.build(self.root, self._options(options), self._marks(self.frames[i]))

    def filmstrip(self, **options) -> Drawing:
        """The frames one under another in one Drawing, each with its caption (at most FILMSTRIP_FRAMES)."""
        o = self._options(options)
        n = len(self.frames)
        shown = sorted({round(k * (n - 1) / (FILMSTRIP_FRAMES - 1)) for k in range(FILMSTRIP_FRAMES)}) if (
            n > FILMSTRIP_FRAMES) else range(n)  # fmt: skip
        g = dot.new_drawing(o)
        g.attr(newrank="true")
        dot._check(self.root, o)
        previous = None
        for i in reversed(shown):  # Graphviz stacks the clusters bottom up: the first frame on top
            plan = dot._plan(self.root, o, prefix=f"f{i}_")
            with g.subgraph(name=f"cluster_f{i}") as c:
                caption = f"{i + 1} / {n}   {self.frames[i].caption}"
                c.attr(label=dot.escape(caption, limit=200), labeljust="l", fontsize="12", style="solid",
                       color="#dddddd")  # fmt: skip
                dot.add_graph(c, plan, o, self._marks(self.frames[i]))
            first = plan.ids[plan.order[0]]
            if previous is not None:  # one frame under the other, not beside it
                g.edge(previous, first, style="invis", constraint="false")
            previous = first
        return g

    def _texts(self, frame: Frame) -> dict[Value, str]:
        """Each grad as text, padded to its widest text over all frames, so the layout does not jump."""
        if self._widths is None:
            self._widths = {}
            for f in self.frames:
                for v, g in f.grads.items():
                    self._widths[v] = max(self._widths.get(v, 1), len(_fmt(g)))
        texts = {}
        for v, width in self._widths.items():
            text = _fmt(frame.grads.get(v))
            texts[v] = text + "\u2007" * (width - len(text))  # figure space: as wide as a digit
        return texts

    def svgs(self, **options) -> list[str]:
        """Every frame rendered to SVG text (draw_dot options apply, e.g. rankdir="TB")."""
        return [_strip_svg(render_source(self.draw(i, **options).source).decode("utf-8")) for i in range(len(self))]

    def player(self, *, interval_ms: int = 900, **options) -> Player:
        """A previous / next / play / slider player over the frames (its still fallback: the filmstrip)."""
        def still() -> bytes | None:
            return png_or_none(self.filmstrip(**options).source)

        return Player(self.svgs(**options), [f.caption for f in self.frames], interval_ms=interval_ms, still=still)

    def save_html(self, path, **options) -> str:
        """Write the player as one self-contained HTML file (no server, no kernel); returns the path."""
        return self.player(**options).save(path)

    def _repr_html_(self) -> str:
        return self.player()._repr_html_()

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        return self.player()._repr_mimebundle_(include, exclude)


def backward_steps(root: Value, *, gradient: float = 1.0, max_frames: int | None = 500) -> BackwardSteps:
    """The backward pass from ``root`` as frames: the seed, one per chain-rule ``+=``, and the end.

    Same order, same local_grads and same grads as ``root.backward()``; ``.grad`` is not touched.
    """
    return BackwardSteps(root, gradient=gradient, max_frames=max_frames)


def _strip_svg(svg: str) -> str:
    """SVG text to inline in HTML: without the XML prolog, doctype and comments."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    return re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
