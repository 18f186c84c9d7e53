"""Which nodes a drawing has, and which neuron and layer each belongs to.

A drawing has one record per Value (and an op node per computed Value), one
input record per number a ``dotc`` node reads, and, when collapsed, one box
per neuron or layer instead of its members.  Nodes of an ``nn`` model are
recognised by their parameters' labels (``layers.0.neurons.1.w.0``).
"""

from __future__ import annotations

import re
from typing import Iterable

from ..value import Value

__all__ = ["DOT_OPS", "ACTIVATION_OPS"]

# A neuron's weighted sum: "dot" (parents (*ws, *xs[, bias])) or "dotc" (parents
# (*ws, bias), the numbers it reads held as constants: its local_grads[:-1]).
DOT_OPS = frozenset({"dot", "dotc"})

# Unary ops that nn uses as a neuron's activation (grouped with its dot node).
ACTIVATION_OPS = frozenset({"relu", "tanh", "sigmoid", "leaky_relu", "softplus", "elu", "gelu", "silu"})

# An nn parameter label: ``layers.{i}.neurons.{j}.w.{k}`` or ``layers.{i}.neurons.{j}.b``
# (possibly under a prefix such as ``encoder.``).
PARAM_LABEL = re.compile(r"^((?:.*\.)?layers\.(\d+))\.neurons\.(\d+)\.(?:w\.\d+|b)$")


def n_weights(node: Value) -> int:
    """How many of a dot node's parents are weights: dot's are (*ws, *xs[, bias]), dotc's (*ws, bias)."""
    if node.op == "dotc":
        return len(node.parents) - 1
    return len(node.parents) // 2


def constants(order: list[Value]) -> tuple[dict[Value, int], int]:
    """dotc node → k, the number of its constants' tuple; and how many constants there are in all.

    A dotc node's constants are ``local_grads[:-1]``.  Nodes that share the
    tuple object (a layer's neurons reading one sample) read the same inputs,
    so they share the drawn nodes ``c{k}_{i}``; k counts tuples in topological
    order, so the ids do not depend on memory addresses.
    """
    ks: dict[int, int] = {}  # id of the tuple → k (every tuple is alive: its nodes are in order)
    of: dict[Value, int] = {}
    n = 0
    for v in order:
        if v.op == "dotc":
            k = ks.get(id(v.local_grads))
            if k is None:
                k = ks[id(v.local_grads)] = len(ks)
                n += len(v.local_grads) - 1
            of[v] = k
    return of, n


def neuron_groups(order: list[Value]) -> dict[Value, tuple[str, str]]:
    """Node → (layer name, neuron name) for the nodes of nn neurons, inferred from labels.

    A parameter belongs to the neuron its label names; a dot node belongs to a
    neuron when all its weights do (a dotc node: all its parents, the weights
    and the bias); an activation node (op in ACTIVATION_OPS) whose single
    parent is such a dot node belongs to it too.
    """
    groups: dict[Value, tuple[str, str]] = {}
    for v in order:
        if not v.parents and v.label:
            m = PARAM_LABEL.match(v.label)
            if m:
                groups[v] = (m[1], f"{m[1]}.neurons.{m[3]}")
    if not groups:
        return groups
    for v in order:
        if v.op in DOT_OPS:
            n = n_weights(v)
            keys = {groups.get(w) for w in (v.parents if v.op == "dotc" else v.parents[:n])}
            key = keys.pop() if n and len(keys) == 1 else None
            if key is not None:
                groups[v] = key
        elif v.op in ACTIVATION_OPS and len(v.parents) == 1 and v.parents[0].op in DOT_OPS:
            key = groups.get(v.parents[0])
            if key is not None:
                groups[v] = key
    return groups


def parameters(order: list[Value], params: Iterable[Value] | None) -> set[Value]:
    """The leaves drawn green: ``params`` if given, else the nn-labelled leaves and the dot nodes' weights and bias."""
    if params is not None:
        return set(params)
    found = set()
    for v in order:
        if not v.parents and v.label and PARAM_LABEL.match(v.label):
            found.add(v)
        elif v.op == "dotc":  # every parent is a weight or the bias
            found.update(p for p in v.parents if not p.parents)
        elif v.op == "dot":
            n = n_weights(v)
            found.update(p for p in v.parents[:n] if not p.parents)
            if len(v.parents) % 2 and not v.parents[-1].parents:
                found.add(v.parents[-1])
    return found


def member_key(v: Value) -> tuple:
    """Within a neuron's cluster: weights in order, then the bias, then the computed nodes."""
    if v.parents:
        return (2, 0)
    tail = v.label.rsplit(".", 2)
    return (0, int(tail[-1])) if tail[-2] == "w" else (1, 0)


def order_key(name: str) -> tuple:
    """``layers.10`` after ``layers.9``, ``neurons.10`` after ``neurons.9``: numbers compare as numbers."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in name.split("."))


def box_name(v: Value, groups: dict, collapse: str | None) -> str | None:
    """The collapsed box ``v`` is drawn in (its layer's or its neuron's name), or None: drawn itself."""
    if not collapse:
        return None
    key = groups.get(v)
    if key is None:
        return None
    return key[0] if collapse == "layer" else key[1]


def module_box(name: str, names: set[str], expand: frozenset[str]) -> str | None:
    """The box a node named ``name`` by ``groups=`` is drawn in, or None: drawn itself.

    Names are paths: ``layer0.head1.wq`` is part of ``layer0.head1`` when that
    is a name too (its box, or its cluster when expanded: then it is a box of
    its own inside it).
    """
    parts = name.split(".")
    top = next((p for p in (".".join(parts[:i]) for i in range(1, len(parts))) if p in names), name)
    if top not in expand:
        return top
    return None if top == name else name


def count(order: list[Value], groups: dict, collapse: str | None, n_consts: int, box_of=None) -> int:
    """Nodes in the drawing: values + op nodes + dotc constants, with collapsed groups as one box each."""
    boxes = set()
    n = n_consts
    for v in order:
        box = box_of(v) if box_of else box_name(v, groups, collapse)
        if box is not None:
            boxes.add(box)
        else:
            n += 2 if v.parents else 1
    return n + len(boxes)


def too_large(n: int, max_nodes: int, order, groups, collapse, n_consts: int) -> str:
    """GraphTooLarge's message: how big, and which option draws it."""
    counted = f"{len(order)} Values" + (f", {n_consts} constant inputs" if n_consts else "")
    msg = f"draw_dot: the drawing would have {n} nodes ({counted}), more than max_nodes={max_nodes}. "
    options = []
    if groups:
        for c in ("neuron", "layer"):
            if c != collapse:
                m = count(order, groups, c, n_consts)
                if m <= max_nodes:
                    options.append(f"collapse={c!r} draws it with {m} nodes")
    options.append(f"max_nodes=None draws all {n} (Graphviz may take minutes past a few thousand)")
    if not groups:
        msg += "No nn model was recognised to collapse (parameters labelled layers.i.neurons.j...). "
    return msg + "Options: " + "; ".join(options) + "."
