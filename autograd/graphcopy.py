"""Pickling and deep-copying a Value with its graph, without recursion, however deep the graph.

A Value reduces to the flat list of the nodes under it (leaves first, each
node's parents as indices into the list), and is rebuilt from that list in
one loop.  Nodes shared inside the graph stay shared in the copy; two
Values pickled or copied one by one each get a copy of what they share.
"""

from __future__ import annotations

from .value import Value, topological_order

__all__ = ["reduce_value", "rebuild"]


def reduce_value(root: Value):
    """``root.__reduce__()``: (rebuild, (records,)), one record per node, parents before children."""
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    records = [(v.data, v.grad, v.label, v.op, tuple(index[p] for p in v.parents), v.local_grads) for v in order]
    return rebuild, (records,)


def rebuild(records: list) -> Value:
    """The graph of :func:`reduce_value`'s records; returns its last node (the root)."""
    nodes: list[Value] = []
    for data, grad, label, op, parents, local_grads in records:
        v = Value(data, label)
        v.grad, v.op, v.parents, v.local_grads = grad, op, tuple(nodes[i] for i in parents), tuple(local_grads)
        nodes.append(v)
    return nodes[-1]
