"""Faster twins of the core's topological sort and backward pass (autograd/value.py).

``computed_order`` = the core's, with the cyclic garbage collector paused
while it runs; ``backward_pass`` = the core's, with a sort that marks a
visited node by the grad it resets anyway and walks down runs of
one-parent nodes without a scan for each (see ``backward_order``), and
with no sort at all for the run the root starts (see ``backward_pass``).
"""

from __future__ import annotations

from ..value import Value
from .gc import pause, resume

__all__ = ["computed_order", "backward_order", "backward_pass", "chain_rule"]


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

    The backward pass resets those grads anyway, so the sort marks a visited
    node by setting its ``grad`` to ``zero``: a float 0.0 made by this call,
    an object no other grad can be, so ``p.grad is zero`` tells a visited
    node, and the mark is already the reset value (no set, no pass to undo
    the marks; an interrupt leaves only zeros behind).

    Two more things make it faster than the core's, with the same order:

    * the loop over a node's parents, which runs once per edge, is only the
      test; what follows a find is outside it (CPython 3.11 pays an extra
      instruction per jump in a loop whose body is long);
    * a run of one-parent nodes (``x·c``, ``x + c``, tanh, exp, relu ...; a
      chain is nothing else) goes down without a scan of its own per node:
      the run is kept as one list, and put in the order in reverse, as the
      depth-first walk would have put it, once the node under it is done.
      A run of one node is kept as itself.  Either way its place on the
      path is marked by ``None`` where a scan would be.
    """
    if not root.parents:
        return []
    zero = float("0")  # a new float object on every call in CPython (only literals are shared)
    order = []
    # the nodes back to the root, and where each one's scan of its parents stopped (None: a one-parent
    # node, or a run of them as a list, whose scan is done once the node under it is)
    path: list = []
    scans: list = []
    node, scan = root, iter(root.parents)
    with _collector_paused():
        root.grad = zero
        while True:
            for p in scan:  # once per edge: the test alone
                if p.parents and p.grad is not zero:
                    break
            else:  # every parent of node is in the order: node goes next
                order.append(node)
                if not path:
                    return order
                node, scan = path.pop(), scans.pop()
                while scan is None:  # a one-parent node, or a run of them (a list, the root's side first)
                    if type(node) is list:
                        node.reverse()
                        order += node
                    else:
                        order.append(node)
                    node, scan = path.pop(), scans.pop()
                continue
            # p is a computed node not visited yet: mark it, keep node's place, go to p
            p.grad = zero
            path.append(node)
            scans.append(scan)
            parents = p.parents
            if len(parents) == 1:
                q = parents[0]
                if q.parents and q.grad is not zero:  # p has one parent, and it is to visit: a run starts
                    q.grad = zero
                    parents = q.parents
                    if len(parents) != 1:  # a run of one node: p
                        path.append(p)
                        scans.append(None)
                        p = q
                    else:  # down the run until its next node has many parents, or one already visited
                        run = [p]
                        p = q
                        while True:
                            q = parents[0]
                            if not q.parents or q.grad is zero:
                                break
                            q.grad = zero
                            run.append(p)
                            p = q
                            parents = q.parents
                            if len(parents) != 1:
                                break
                        path.append(run)
                        scans.append(None)
            node, scan = p, iter(parents)


def backward_pass(root: Value, gradient: float) -> None:
    """= ``autograd.value.backward_pass``; a run of one-parent nodes from the root down is walked once.

    From the root of a graph, every path runs down the root's run of
    one-parent nodes (a chain is nothing else) before anything else: so no
    node below can use a node of the run (that would be a cycle), and each
    node of the run has one user, the node above it.  Its grad is complete
    as soon as that user is done, and the walk down passes it on at once,
    with no sort and no order to keep.  Where the run ends, at a node with
    many parents, that node's grad is complete too, and the sort and loop
    take over from it: the same additions, in the same order, as the core.
    """
    parents = root.parents
    if len(parents) != 1:
        return _sort_and_loop(root, gradient)
    g = 0.0 + gradient  # each grad as the core makes it: reset to 0.0, then its one addition
    root.grad = g
    node = root
    # A graph made by hand can hold a cycle of one-parent nodes, where the walk would never end:
    # ``saved`` is a node of the walk, moved down at doubling distances (Brent's test), and the walk
    # meeting it again means a cycle; the core's sort and loop then do it all over, from the root.
    saved, span = root, 1
    while True:
        for _ in range(span):
            parent = parents[0]
            above = parent.parents
            if not above:  # a leaf: its grad accumulates
                if g != 0.0:
                    parent.grad += node.local_grads[0] * g
                return
            if parent is saved:
                return _sort_and_loop(root, gradient)
            # as the core: a zero grad adds nothing, and the parent's grad is 0.0 + (the one product),
            # which is the product itself, except that 0.0 + (−0.0) is 0.0
            if g != 0.0:
                g = node.local_grads[0] * g
                if g == 0.0:
                    g = 0.0
            parent.grad = g
            if len(above) != 1:  # many parents: sort and loop from here
                return _sort_and_loop(parent, g)
            node, parents = parent, above
        saved = node
        span *= 2


def _sort_and_loop(start: Value, gradient: float) -> None:
    """The backward pass from ``start``, whose grad is ``gradient``: the sort (which resets every computed
    node's grad to 0.0, start's too), the gradient added in, and the loop."""
    order = backward_order(start)
    start.grad += gradient
    chain_rule(order)


def chain_rule(order: list) -> None:
    """The backward pass's loop: each node's grad, from the last node of ``order`` back, into its parents'."""
    for node in reversed(order):
        g = node.grad
        if g == 0.0:
            continue  # as the core: a zero gradient adds nothing
        parents = node.parents
        if len(parents) == 1:  # a unary op (x·c, x + c, tanh, relu ...), without a zip to set up
            parents[0].grad += node.local_grads[0] * g
            continue
        if len(parents) == 2:  # a binary op (a·b, a + b: most nodes of code written with operators)
            a, b = parents
            local_a, local_b = node.local_grads
            a.grad += local_a * g
            b.grad += local_b * g
            continue
        for parent, local in zip(parents, node.local_grads):
            parent.grad += local * g
