"""Faster twins of the core's topological sort and backward pass (autograd/value.py).

``computed_order`` = the core's, with the cyclic garbage collector paused
while it runs; ``backward_pass`` = the core's, with a sort that marks a
visited node by the grad it resets anyway.
"""

from __future__ import annotations

from ..value import Value
from .gc import pause, resume

__all__ = ["computed_order", "backward_order", "backward_pass"]


class _collector_paused:
    """The sort allocates only its stacks' iterators, which hold no cycles: without a pause, a deep
    graph triggers collections that traverse the whole graph again and again, and find nothing.
    The same pause as gc_paused's (nested and across threads alike), without the collection at the end."""

    def __enter__(self) -> None:
        pause()

    def __exit__(self, *exc) -> None:
        resume()


def computed_order(root: Value) -> list[Value]:
    """= ``autograd.value.computed_order``: the same order, the collector paused."""
    if not root.parents:
        return []
    order = []
    visited = {root}
    path, scans = [], []  # the nodes back to the root, and where each one's scan of its parents stopped
    node, scan = root, iter(root.parents)
    with _collector_paused():
        while True:
            for p in scan:
                if p.parents and p not in visited:
                    visited.add(p)
                    path.append(node)
                    scans.append(scan)
                    node, scan = p, iter(p.parents)
                    break
            else:  # every parent of node is in the order: node goes next
                order.append(node)
                if not path:
                    return order
                node, scan = path.pop(), scans.pop()


def backward_order(root: Value) -> list[Value]:
    """``computed_order(root)``, setting every computed node's grad to 0.0 on the way.

    The backward pass resets those grads anyway, so the sort marks a node by
    its ``grad``: ``zero`` while the node's parents are being sorted,
    ``done`` once it is in the order, two float 0.0 objects made by this
    call, which no other grad can be (so the mark is already the reset
    value; an interrupt leaves only zeros behind).

    The same depth-first order as the core's, without an iterator per node:
    one stack holds the nodes being sorted (marked ``zero``) and, above each,
    its parents still to visit (in reverse, the first on top); a node with
    one parent goes straight on to it.  A popped node marked ``zero`` has
    all its parents in the order and goes next; one marked ``done`` was
    reached another way meanwhile.  (A node being sorted is never a parent
    to visit: that would be a cycle; one made by hand still ends.)
    """
    if not root.parents:
        return []
    zero = float("0")  # new float objects on every call in CPython (only literals are shared)
    done = float("0")
    order: list[Value] = []
    emit = order.append
    stack: list[Value] = []
    push, pop = stack.append, stack.pop
    node = root
    with _collector_paused():
        while True:
            node.grad = zero
            parents = node.parents
            if len(parents) == 1:  # a unary op: on to its parent, or into the order
                p = parents[0]
                if p.parents and (mark := p.grad) is not done and mark is not zero:  # (zero: a cycle made by hand)
                    push(node)
                    node = p
                    continue
                node.grad = done
                emit(node)
            else:
                push(node)
                for p in reversed(parents):
                    if p.parents and p.grad is not done:
                        push(p)
            while stack:
                node = pop()
                mark = node.grad
                if mark is zero:  # its parents are all in the order
                    node.grad = done
                    emit(node)
                elif mark is not done:  # a parent not reached yet: sort it next
                    break
            else:
                return order


def backward_pass(root: Value, gradient: float) -> None:
    """= ``autograd.value.backward_pass``."""
    order = backward_order(root)  # resets every computed node's grad to 0.0
    root.grad += gradient
    for node in reversed(order):
        g = node.grad
        if g == 0.0:
            continue  # as the core: a zero gradient adds nothing
        parents = node.parents
        n = len(parents)
        if n == 1:  # a unary op: the same as the core's loop, without a zip to set up
            parents[0].grad += node.local_grads[0] * g
        elif n == 2:  # a binary op: the same, unpacked (in the core's order: a, then b, also when a is b)
            a, b = parents
            try:
                da, db = node.local_grads
            except ValueError:  # another number of local grads (a node made by hand): zip's pairs, as the core
                for parent, local in zip(parents, node.local_grads):
                    parent.grad += local * g
                continue
            a.grad += da * g
            b.grad += db * g
        else:
            for parent, local in zip(parents, node.local_grads):
                parent.grad += local * g
