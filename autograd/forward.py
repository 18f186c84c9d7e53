"""Forward mode: the Jacobian times a vector, J·v, pushed forward through the same local grads.

A node's tangent is Σ ∂node/∂parent · tangent(parent), the chain rule read
from the leaves up (JAX's ``jvp``, PyTorch's ``torch.func.jvp``).  The local
grads are the ones every op already records from its rule in
:mod:`autograd.ops`, so forward mode has no rule of its own.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .value import Value, computed_order, enable_grad, real

__all__ = ["jvp"]


@enable_grad()  # f must record its graph even when called inside no_grad
def jvp(f: Callable[..., Value | Sequence[Value]], inputs: Sequence[Value | float], tangents: Sequence[float]):
    """``(f(inputs), J·tangents)``: f's value and its directional derivative along ``tangents``.

    One forward pass: f runs once, on fresh leaves (inputs are read, never
    modified), and each node's tangent follows from its parents' as it is
    reached in topological order; no backward pass.  ``f`` returns a Value
    (then both results are floats) or a sequence of Values (then lists).
    """
    leaves = [Value(x.data if isinstance(x, Value) else real(x, f"jvp(inputs)[{i}]")) for i, x in enumerate(inputs)]
    v = [real(t, f"jvp(tangents)[{i}]") for i, t in enumerate(tangents)]
    if len(v) != len(leaves):
        raise ValueError(f"jvp: tangents has length {len(v)}, inputs {len(leaves)}")
    out = f(*leaves)
    if not isinstance(out, (Value, list, tuple)):
        raise TypeError(f"jvp: f must return a Value or a sequence of Values, got {type(out).__name__}")
    outputs = [out] if isinstance(out, Value) else list(out)
    for i, y in enumerate(outputs):
        if not isinstance(y, Value):
            raise TypeError(f"jvp: f must return a Value or a sequence of Values, got {type(y).__name__} at {i}")
    tangent = dict(zip(leaves, v))  # every other leaf (a constant, a parameter) has tangent 0
    for y in outputs:
        for node in computed_order(y):  # parents first
            if node not in tangent:
                t = 0.0
                for parent, local in zip(node.parents, node.local_grads):
                    tp = tangent.get(parent, 0.0)
                    if tp != 0.0:  # as backward: a zero adds nothing, even through an infinite local grad
                        t += local * tp  # the chain rule, forwards
                tangent[node] = t
    if isinstance(out, Value):
        return out.data, tangent.get(out, 0.0)
    return [y.data for y in outputs], [tangent.get(y, 0.0) for y in outputs]
