"""chainrule's scalar reverse-mode autograd engine.

The core, to read first: :mod:`autograd.value` (the node and the backward
pass) and :mod:`autograd.ops` (the rule table).  Above it: ``fast`` (the
speed), ``fused`` (n-ary nodes), ``opinfo`` (one description of each op),
``higher`` (create_graph, hessian, hvp), ``custom`` (your own primitives),
``gradcheck``, ``draw`` (drawing, stepping; ``viz`` and ``steps`` are its
old names), ``testing``.

``autograd.sum`` shadows the builtin on purpose; it is left out of
``__all__`` so that ``from autograd import *`` keeps Python's ``sum``.
"""

from typing import TYPE_CHECKING

from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from .custom import CustomOp, custom_op
from .fast import LINEAR_ACTIVATIONS, gc_paused, linear, linear_batch  # noqa: I001  (after the core: installs its twins)
from .forward import jvp
from .fused import dot, logsumexp, sum  # noqa: F401  (autograd.sum; kept out of __all__, see above)
from .gradcheck import GradcheckError, NodeMismatch, check_graph, gradcheck, numeric_grad
from .higher import hessian, hvp
from .value import FloatOfValue, Operand, Value, enable_grad, grad, is_grad_enabled, no_grad, topological_order

__all__ = [
    "Value",
    "Operand",
    "dot",
    "linear",
    "linear_batch",
    "LINEAR_ACTIVATIONS",
    "gc_paused",
    "logsumexp",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "topological_order",
    "gradcheck",
    "GradcheckError",
    "numeric_grad",
    "check_graph",
    "NodeMismatch",
    "hessian",
    "jvp",
    "hvp",
    "custom_op",
    "CustomOp",
    "FloatOfValue",
    "detect_anomaly",
    "is_anomaly_enabled",
    "AnomalyError",
    "draw_dot",
    "backward_steps",
    "BackwardSteps",
    "Frame",
]


_DRAWING = ("draw_dot", "backward_steps", "BackwardSteps", "Frame")

if TYPE_CHECKING:  # for type checkers only: at run time these load on first use (below)
    from .draw import BackwardSteps, Frame, backward_steps, draw_dot


def __getattr__(name):
    # drawing lives in autograd.draw, which imports graphviz: load it on first use only
    if name in _DRAWING:
        from . import draw

        return getattr(draw, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
