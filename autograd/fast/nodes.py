"""Faster twins of the core's ``make_node`` and ``constant_grad`` (autograd/value.py).

Twins: the same node, field for field (tests/autograd/test_fast.py).
"""

from __future__ import annotations

from ..value import Value, _recording

__all__ = ["make_node", "constant_grad"]

# A Value made without running __init__, whose checks an op's result (a rule's float) does not need.
_allocate = object.__new__
# Bound once (CPython 3.11 makes a bound method for ``imported_name.get()`` at every call).
_recording_get = _recording.get


def make_node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    """= ``autograd.value.make_node``."""
    out = _allocate(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _recording_get():
        out.op = op
        out.parents = parents
        out.local_grads = local_grads
    else:
        out.op = ""
        out.parents = out.local_grads = ()
    return out


# One (c,) tuple shared by every node with the constant local grad c: a graph's constants repeat
# (−1 for every subtraction, 1 for every added number, 1/n for a mean), and a shared tuple is one
# allocation fewer per node.  0.0 is left out (it equals −0.0 as a key), and so is NaN (it equals nothing).
_SHARED: dict[float, tuple] = {}


def constant_grad(c: float) -> tuple:
    """= ``autograd.value.constant_grad``: ``(c,)``, shared between nodes."""
    t = _SHARED.get(c)
    if t is None:
        t = (c,)
        if c != 0.0 and c == c and len(_SHARED) < 4096:
            _SHARED[c] = t
    return t
