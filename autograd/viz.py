"""Drawing a computation graph: moved to :mod:`autograd.draw`; these names still work from here."""

from .draw import (  # noqa: F401
    ACTIVATION_OPS,
    COLORS,
    DOT_OPS,
    Drawing,
    GraphTooLarge,
    GraphvizNotFound,
    GraphvizRenderError,
    draw_dot,
    render_source,
)

__all__ = [
    "draw_dot",
    "Drawing",
    "render_source",
    "GraphvizNotFound",
    "GraphvizRenderError",
    "GraphTooLarge",
    "COLORS",
    "ACTIVATION_OPS",
]
