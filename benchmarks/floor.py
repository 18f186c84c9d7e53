"""CPython's own cost of a graph node: the floor under any pure-Python scalar engine.

The chain ``y ← a·y + b`` with no engine code: each op allocates a bare
``__slots__`` object with chainrule's six fields, its parents tuple and its
number, and shares its local-grads tuple (as chainrule's constants do); the
forward keeps the nodes in a list (what a topological sort would return),
and the backward pass is one loop over it, ``parent.grad += local·grad``.
No operator dispatch, no rule call, no checks, no sort: what is left is the
allocations, the attribute stores and the loop.  An engine can come near
this, never under it.
"""

from __future__ import annotations


class Node:
    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")


def affine_chain(x0: float, n_ops: int, a: float, b: float) -> tuple[float, float]:
    """The chain's graph as bare nodes, then the backward loop; returns (output, ∂output/∂x0)."""
    new = object.__new__
    x = new(Node)
    x.data, x.grad, x.label, x.op, x.parents, x.local_grads = x0, 0.0, "", "", (), ()
    times_a, plus_b = (a,), (1.0,)  # the local grads, shared: ∂(a·y)/∂y = a, ∂(y + b)/∂y = 1
    order = []
    y = x
    for _ in range(n_ops // 2):
        m = new(Node)
        m.data, m.grad, m.label, m.op, m.parents, m.local_grads = y.data * a, 0.0, "", "*", (y,), times_a
        y = new(Node)
        y.data, y.grad, y.label, y.op, y.parents, y.local_grads = m.data + b, 0.0, "", "+", (m,), plus_b
        order.append(m)
        order.append(y)
    y.grad = 1.0
    for node in reversed(order):
        node.parents[0].grad += node.local_grads[0] * node.grad
    return y.data, x.grad
