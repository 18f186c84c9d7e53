"""Drawing: computation graphs as Graphviz drawings, and the backward pass stepped through.

- :mod:`.dot`: ``draw_dot(root)``, the DOT builder; it reads :mod:`.groups`
  (which nodes, which neuron and layer) and :mod:`.labels` (what each box says);
- :mod:`.render`: ``render_source``, :class:`Drawing` (SVG and PNG in Jupyter), the errors;
- :mod:`.steps`: ``backward_steps(root)``, the frames of ``backward()``;
- :mod:`.player`: the HTML/JS player (player.html, player.css, player.js).
"""

from .dot import draw_dot
from .groups import ACTIVATION_OPS, DOT_OPS
from .labels import COLORS
from .player import Player
from .render import Drawing, GraphTooLarge, GraphvizNotFound, GraphvizRenderError, render_source
from .steps import BackwardSteps, Frame, backward_steps

__all__ = [
    "draw_dot",
    "Drawing",
    "render_source",
    "GraphvizNotFound",
    "GraphvizRenderError",
    "GraphTooLarge",
    "COLORS",
    "ACTIVATION_OPS",
    "DOT_OPS",
    "backward_steps",
    "BackwardSteps",
    "Frame",
    "Player",
]
