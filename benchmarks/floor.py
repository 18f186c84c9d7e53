"""CPython's own cost of a graph node: the floor under any pure-Python scalar engine.

The chains ``y ← a·y + b`` and ``x ← tanh(c·x)`` with no engine code: each op allocates a bare
``__slots__`` object with chainrule's six fields, its parents tuple and its
number, and shares its local-grads tuple (as chainrule's constants do); the
forward keeps the nodes in a list (what a topological sort would return),
and the backward pass is one loop over it, ``parent.grad += local·grad``.
No operator dispatch, no rule call, no checks, no sort: what is left is the
allocations, the attribute stores and the loop.  An engine can come near
this, never under it.

The same for the two networks' steps, demo-step and mlp-step: their graphs
as bare nodes, with the order for the backward pass taken three ways (see
ORDERS below), so the cost of finding the graph from its root shows apart.
"""

from __future__ import annotations

import math
import operator

from autograd.fast.sort import backward_order, chain_rule

_times = operator.mul


class Node:
    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")


def affine_chain(x0: float, n_ops: int, a: float, b: float, tape: bool = True) -> tuple[float, float]:
    """The chain's graph as bare nodes, then the backward loop; returns (output, ∂output/∂x0).

    ``tape``: the forward keeps every node in a list, in the order made, and the backward loop runs
    over it; ``tape=False``: it keeps none (as chainrule does: a graph is held by its root alone) and
    the backward loop walks down from the root by each node's one parent.  The list changes what the
    collector pays: it holds every node, so a full collection finds them all reachable at once; with
    the root alone, each node is reachable only through the nodes made after it."""
    new = object.__new__
    x = new(Node)
    x.data, x.grad, x.label, x.op, x.parents, x.local_grads = x0, 0.0, "", "", (), ()
    times_a, plus_b = (a,), (1.0,)  # the local grads, shared: ∂(a·y)/∂y = a, ∂(y + b)/∂y = 1
    order: list = []
    y = x
    for _ in range(n_ops // 2):
        m = new(Node)
        m.data, m.grad, m.label, m.op, m.parents, m.local_grads = y.data * a, 0.0, "", "*", (y,), times_a
        y = new(Node)
        y.data, y.grad, y.label, y.op, y.parents, y.local_grads = m.data + b, 0.0, "", "+", (m,), plus_b
        if tape:
            order.append(m)
            order.append(y)
    _backward(y, order if tape else None)
    return y.data, x.grad


def chain(x0: float, n_ops: int, c: float, tape: bool = True) -> tuple[float, float]:
    """The tanh chain's graph (x ← tanh(c·x)) as bare nodes, then the backward loop: as affine_chain,
    with the one thing a tanh node costs more, its own local-grads tuple (1 − t²,)."""
    new = object.__new__
    tanh = math.tanh
    x = new(Node)
    x.data, x.grad, x.label, x.op, x.parents, x.local_grads = x0, 0.0, "", "", (), ()
    times_c = (c,)  # shared, as chainrule's constants are
    order: list = []
    y = x
    for _ in range(n_ops // 2):
        m = new(Node)
        m.data, m.grad, m.label, m.op, m.parents, m.local_grads = y.data * c, 0.0, "", "*", (y,), times_c
        y = new(Node)
        t = tanh(m.data)
        y.data, y.grad, y.label, y.op, y.parents, y.local_grads = t, 0.0, "", "tanh", (m,), (1.0 - t * t,)
        if tape:
            order.append(m)
            order.append(y)
    _backward(y, order if tape else None)
    return y.data, x.grad


def _backward(root: Node, order: list | None) -> None:
    """A chain's backward loop: over its tape, or (``order`` None) down from the root, parent by parent."""
    root.grad = 1.0
    if order is not None:
        for node in reversed(order):
            node.parents[0].grad += node.local_grads[0] * node.grad
        return
    node = root
    while node.parents:
        parent = node.parents[0]
        parent.grad += node.local_grads[0] * node.grad
        node = parent


# ---------------------------------------------------------------- the two networks' steps
# The graphs that chainrule builds for ours.demo_step and ours.mlp_step, node for node (each
# layer's rows as "dot" or "dotc" nodes with the joined tuples of autograd/fast/layer.py, relu
# nodes with shared local grads, the losses' ops as chainrule's operators make them), as bare
# Nodes with no engine code (no operator dispatch, no rule calls, no checks), backpropagated by
# chainrule's own loop.  The forward appends
# each node to a list as it makes it: the tape, already in topological order.  ``order`` says
# how the backward pass gets its order:
#   "tape":  the tape, no sort.  An engine with a tape of its own would have to keep every node
#            reachable from it (or give each node a sequence number), which chainrule does not;
#   "edges": the tape, after one pass over every edge doing the sort's test per edge, the least
#            that any engine which finds its graph from the root (micrograd, PyTorch, chainrule)
#            must do;
#   "sort":  chainrule's own sort (it reads only ``parents`` and ``grad``): the floor under an
#            engine built as chainrule is.
ORDERS = ("tape", "edges", "sort")


def leaves(layers) -> list:
    """A network's weights as bare leaf Nodes, ``[(W, b), ...]`` as in plain.py."""
    return [([[_leaf(w) for w in row] for row in W], [_leaf(b) for b in bs]) for W, bs in layers]


def _leaf(x: float) -> Node:
    n = object.__new__(Node)
    n.data, n.grad, n.label, n.op, n.parents, n.local_grads = x, 0.0, "", "", (), ()
    return n


_ON, _OFF, _ADD = (1.0,), (0.0,), (1.0, 1.0)  # relu's local grads, then a + b's (also x + c's: _ON)


def _layers(net, xs, tape: list, numbers: bool) -> list:
    """The nodes of one input through the network, ReLU on all but the last layer.  Numbers as
    the input (numbers=True): the first layer's rows are "dotc" nodes sharing (*x, 1) as local grads."""
    new, times, record = object.__new__, _times, tape.append
    last = len(net) - 1
    for i, (W, bs) in enumerate(net):
        x_data = tuple(xs) if numbers else tuple([v.data for v in xs])
        dotc_local = (*x_data, 1.0)
        outs = []
        for w, b in zip(W, bs):
            w_data = [v.data for v in w]
            z = sum(map(times, w_data, x_data), b.data)
            n = new(Node)
            n.data, n.grad, n.label = z, 0.0, ""
            if numbers:
                n.op, n.parents, n.local_grads = "dotc", (*w, b), dotc_local
            else:
                n.op, n.parents, n.local_grads = "dot", (*w, *xs, b), (*x_data, *w_data, 1.0)
            record(n)
            if i < last:
                r = new(Node)
                r.grad, r.label, r.op, r.parents = 0.0, "", "relu", (n,)
                r.data, r.local_grads = (z, _ON) if z > 0.0 else (0.0, _OFF)
                record(r)
                n = r
            outs.append(n)
        xs, numbers = outs, False
    return xs


def _op(tape: list, data: float, op: str, parents: tuple, local_grads: tuple) -> Node:
    n = object.__new__(Node)
    n.data, n.grad, n.label, n.op, n.parents, n.local_grads = data, 0.0, "", op, parents, local_grads
    tape.append(n)
    return n


def _sum(tape: list, terms: list) -> Node:
    """builtin ``sum`` of Values: ``0 + t₀`` (a node), then a binary ``+`` per term."""
    acc = _op(tape, terms[0].data + 0.0, "+", (terms[0],), _ON)
    for t in terms[1:]:
        acc = _op(tape, acc.data + t.data, "+", (acc, t), _ADD)
    return acc


def demo_forward(net, X, Y, alpha: float = 1e-4) -> tuple[Node, list]:
    """ours.demo_forward's graph (the inputs as leaves, the hinge and the L2 term with operators): (loss, tape)."""
    tape: list = []
    times_minus_y = {y: (-y,) for y in set(Y)}  # shared, as chainrule shares a constant's (c,)
    losses = []
    for x, y in zip(X, Y):
        s = _layers(net, [_leaf(v) for v in x], tape, numbers=False)[0]
        m = _op(tape, s.data * -y, "*", (s,), times_minus_y[y])  # −y·s
        h = _op(tape, m.data + 1.0, "+", (m,), _ON)  # 1 + −y·s
        losses.append(_op(tape, *((h.data, "relu", (h,), _ON) if h.data > 0.0 else (0.0, "relu", (h,), _OFF))))
    total = _sum(tape, losses)
    k = 1.0 / len(losses)
    data_loss = _op(tape, total.data * k, "*", (total,), (k,))
    squares = [_op(tape, p.data * p.data, "*", (p, p), (p.data, p.data)) for p in _params(net)]
    reg = _sum(tape, squares)
    reg_loss = _op(tape, reg.data * alpha, "*", (reg,), (alpha,))
    return _op(tape, data_loss.data + reg_loss.data, "+", (data_loss, reg_loss), _ADD), tape


def mlp_forward(net, X, Y) -> tuple[Node, list]:
    """ours.mlp_forward's graph (the softmax cross-entropy written out with operators): (loss, tape)."""
    tape: list = []
    losses = []
    for x, y in zip(X, Y):
        logits = _layers(net, x, tape, numbers=True)
        top = max(v.data for v in logits)
        exps = []
        for v in logits:
            d = _op(tape, v.data - top, "+", (v,), _ON)  # v − top = v + (−top)
            e = math.exp(d.data)
            exps.append(_op(tape, e, "exp", (d,), (e,)))
        total = _sum(tape, exps)
        log = _op(tape, math.log(total.data), "log", (total,), (1.0 / total.data,))
        shifted = _op(tape, log.data + top, "+", (log,), _ON)
        minus = _op(tape, -logits[y].data, "*", (logits[y],), (-1.0,))  # − logits[y] = + (−1)·logits[y]
        losses.append(_op(tape, shifted.data + minus.data, "+", (shifted, minus), _ADD))
    total = _sum(tape, losses)
    k = 1.0 / len(losses)
    return _op(tape, total.data * k, "*", (total,), (k,)), tape


def _params(net) -> list:
    return [p for W, bs in net for row, b in zip(W, bs) for p in (*row, b)]


def step(forward, net, X, Y, lr: float, order: str = "tape") -> tuple:
    """One step as ours._sgd_step: the forward, the weights' grads zeroed, the backward loop, SGD."""
    total, tape = forward(net, X, Y)
    params = _params(net)
    for p in params:
        p.grad = 0.0
    if order == "sort":
        tape = backward_order(total)  # chainrule's sort on the bare Nodes
    elif order == "edges":
        for node in tape:
            for p in node.parents:
                if p.parents and p.grad is None:  # the sort's test of an edge (never true here)
                    raise AssertionError(p)
    elif order != "tape":
        raise ValueError(f"order: expected one of {ORDERS}, got {order!r}")
    total.grad = 1.0
    chain_rule(tape)  # the loop of chainrule's backward pass, the fastest we know
    for p in params:
        p.data -= lr * p.grad
    return total.data, [p.grad for p in params]
