"""The fast layer: every speed trick of the engine, each the twin of a plain definition in the core.

Nothing here changes a number.  On import, :func:`install` puts the twins
of the core's ``make_node``, ``constant_grad``, ``_apply``, ``computed_order``
and ``backward_pass`` and of Value's ``+ − · /`` (autograd/value.py) in
their place; ``linear`` and
``linear_batch`` build a layer's nodes in one call (their twin: a ``dot``
and an activation per row); ``gc_paused`` pauses the cyclic garbage
collector.  ``tests/autograd/test_fast.py`` checks every twin against its
definition, node for node (data, op, parents, local grads) and grad for grad.
"""

from __future__ import annotations

from .. import value as _core
from .gc import gc_paused
from .nodes import constant_grad, make_node
from .operators import CORE_METHODS, FAST_METHODS, apply
from .sort import backward_pass, computed_order

__all__ = ["gc_paused", "make_node", "constant_grad", "computed_order", "backward_pass", "CORE", "install"]

# The core's definitions, kept for the tests that compare each twin with them.
# "Value.__add__" names a method of Value; the other names are functions of autograd/value.py.
CORE = {name: getattr(_core, name) for name in ("make_node", "constant_grad", "_apply", "computed_order",
                                                 "backward_pass")}
CORE.update({f"Value.{name}": f for name, f in CORE_METHODS.items()})
FAST = {"make_node": make_node, "constant_grad": constant_grad, "_apply": apply, "computed_order": computed_order,
        "backward_pass": backward_pass}
FAST.update({f"Value.{name}": f for name, f in FAST_METHODS.items()})


def install(twins: dict = FAST) -> None:
    """Make the core's Value ops and backward use ``twins`` (``install(CORE)``: the plain definitions)."""
    for name, f in twins.items():
        if name.startswith("Value."):
            setattr(_core.Value, name[len("Value."):], f)
        else:
            setattr(_core, name, f)


install()

from .layer import LINEAR_ACTIVATIONS, linear, linear_batch  # noqa: E402  (needs the twins installed)

__all__ += ["linear", "linear_batch", "LINEAR_ACTIVATIONS"]
