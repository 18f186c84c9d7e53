"""The DOT builder: ``draw_dot(root)`` → a :class:`Drawing` (deterministic DOT text).

It decides in four steps, one function each: which nodes are drawn and how
they group (:func:`_plan`, from :mod:`.groups`), the clusters and collapsed
boxes they sit in (:func:`_add_values`, :func:`_add_boxes`), what each box
says (:mod:`.labels`) and the edges (:func:`_add_edges`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..opinfo import number_text
from ..value import Value, topological_order
from . import groups as grouping
from . import labels
from .labels import COLORS, escape
from .render import Drawing, GraphTooLarge

__all__ = ["draw_dot", "FIT_WIDTH_INCHES"]

# A notebook's output area is about 950 px wide; Graphviz sizes are inches (96 px each on screen).
FIT_WIDTH_INCHES = 9.8


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    params: Iterable[Value] | None = None,
    group: bool = True,
    collapse: str | None = None,
    max_nodes: int | None = 1000,
    precision: int = 4,
    show_local_grads: bool = False,
    fit: bool = True,
    groups: Mapping[Value, str] | None = None,
    expand: str | Iterable[str] = (),
) -> Drawing:
    """Draw the graph under ``root``: one record per Value, one small node per op.

    Each Value is a record ``label | data … | grad …``; each op (``+``, ``×``,
    ``tanh``, ``dot`` …) is a small grey node between a Value and its parents,
    with one edge per parent (repeats included: ``a*a`` has two).  An op with
    a number operand shows it: ``× 2.0``, ``+ -1.0``.  The numbers a ``dotc``
    node reads (a neuron on data: ``MLP(2, [3, 1])([1.0, 2.0])``) are constants
    with no gradient: each is an input record ``x[i] | data …`` without a grad
    field, shared by the nodes that read the same input.

    Colour legend (fill):
      - light blue:  input, a leaf that is not a parameter (x, targets, constants),
        or a number a dotc node reads
      - light green: parameter, a leaf that training changes: the ``params`` you
        pass (e.g. ``model.parameters()``), or else the leaves labelled like nn
        parameters (``layers.0.neurons.1.w.0``) and the weights and bias of dot nodes
      - white:       intermediate, computed by an op
      - orange:      output, the ``root``
      - grey:        op node;  lavender: a collapsed neuron or layer

    Nodes of an ``nn`` model (recognised by parameter labels) are drawn in a
    cluster per layer with a cluster per neuron (``group=False`` turns this
    off); ``collapse="neuron"`` or ``collapse="layer"`` draws each one as a
    single box, neurons in order down their layer.  When the drawing would
    have more than ``max_nodes`` nodes, GraphTooLarge says which option draws
    it (``max_nodes=None``: no limit).  ``show_local_grads`` labels each edge
    with ∂child/∂parent (not the edges from a dotc node's constants: no
    gradient flows there).  ``fit`` (default) scales a drawing wider than a
    notebook's output area (about 950 px) down to it; ``fit=False`` draws it
    at full size.  Node ids follow the topological order, so the same graph
    gives the same DOT text.

    ``groups`` names your own boxes: node → name (a model's modules:
    ``"embedding"``, ``"layer0.head1"``); each name is drawn as one lavender
    box, the nodes it does not name as themselves.  Names are paths: a name
    under another (``layer0.head1.wq``) is part of it.  ``expand`` (a name or
    several) draws those node by node in a cluster, the names under them as
    boxes inside it: one attention head opened, the rest of the model closed
    (:meth:`nn.GPT.draw_position` builds such a ``groups``).
    """
    return build(
        root,
        Options(rankdir, show_data, show_grad, params, group, collapse, max_nodes, precision, show_local_grads, fit,
                None if groups is None else dict(groups), (expand,) if isinstance(expand, str) else tuple(expand)),
    )


@dataclass(frozen=True)
class Options:
    """draw_dot's options."""

    rankdir: str = "LR"
    show_data: bool = True
    show_grad: bool = True
    params: Iterable[Value] | None = None
    group: bool = True
    collapse: str | None = None
    max_nodes: int | None = 1000
    precision: int = 4
    show_local_grads: bool = False
    fit: bool = True
    groups: Mapping[Value, str] | None = None  # node → the name of its box (draw_dot's groups=)
    expand: tuple[str, ...] = ()


@dataclass(frozen=True)
class Marks:
    """What a step-through frame adds to a drawing.

    ``grads`` replaces ``.grad`` (a number, or the text to show; a node missing
    from it shows ``grad ?``); ``current`` is the node being processed;
    ``edge`` = (node, i) is the edge from ``node.parents[i]`` being followed,
    labelled ``edge_label``; ``caption`` is the graph's title; ``names`` label
    unlabelled nodes.
    """

    grads: Mapping[Value, float | str] | None = None
    current: Value | None = None
    edge: tuple[Value, int] | None = None
    edge_label: str | None = None
    caption: str | None = None
    names: Mapping[Value, str] = field(default_factory=dict)

    @property
    def receiving(self) -> Value | None:
        return self.edge[0].parents[self.edge[1]] if self.edge else None


@dataclass
class _Plan:
    """Which nodes are drawn, and where: ids, groups, boxes, constants, parameters."""

    root: Value
    order: list[Value]
    ids: dict[Value, str]
    groups: dict[Value, tuple[str, str]]
    collapse: str | None
    params: set[Value]
    const_ids: dict[Value, list[str]]  # a dotc node → the ids of the numbers it reads
    const_tuples: dict[Value, int]
    prefix: str  # before every id: several drawings in one graph (a filmstrip) keep theirs apart
    box_ids: dict[str, str] = field(default_factory=dict)  # box name → id, boxes in order
    box_members: dict[str, list[Value]] = field(default_factory=dict)
    modules: dict[Value, str] | None = None  # groups=: node → the box it is drawn in (None: itself)
    clusters: dict[Value, str] = field(default_factory=dict)  # groups=: node or box → the expanded name around it

    def box_of(self, v: Value) -> str | None:
        if self.modules is not None:
            return self.modules.get(v)
        return grouping.box_name(v, self.groups, self.collapse)


def _check(root: Value, o: Options) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot(root): expected a Value, got {type(root).__name__}")
    if o.collapse not in (None, "neuron", "layer"):
        raise ValueError(f"draw_dot(collapse): expected None, 'neuron' or 'layer', got {o.collapse!r}")
    if o.rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_dot(rankdir): expected 'LR', 'RL', 'TB' or 'BT', got {o.rankdir!r}")
    if o.groups is not None:
        if o.collapse is not None:
            raise ValueError("draw_dot: pass collapse (nn neurons and layers) or groups (your own boxes), not both")
        names = set(o.groups.values())
        if not all(isinstance(n, str) and n for n in names):
            raise TypeError("draw_dot(groups): expected a mapping of Value → non-empty str")
        for e in o.expand:
            if e not in names:
                known = ", ".join(sorted(names))
                raise ValueError(f"draw_dot(expand): {e!r} is not a name in groups (they are {known})")
    elif o.expand:
        raise ValueError("draw_dot(expand): expand opens names of groups=; pass groups too")
    if isinstance(o.precision, bool) or not isinstance(o.precision, int) or o.precision < 1:
        raise ValueError(f"draw_dot(precision): expected an int ≥ 1 (significant digits), got {o.precision!r}")


def _plan(root: Value, o: Options, prefix: str = "") -> _Plan:
    """Which nodes: every Value, grouped by neuron when nn labels say so, collapsed into boxes if asked."""
    order = topological_order(root)
    if o.groups is not None:
        return _plan_modules(root, order, o, prefix)
    groups = grouping.neuron_groups(order) if (o.group or o.collapse) else {}
    collapse = o.collapse if groups else None  # nothing to collapse: no nn labels in this graph
    const_tuples, n_consts = grouping.constants(order)
    if o.max_nodes is not None:
        n = grouping.count(order, groups, collapse, n_consts)
        if n > o.max_nodes:
            raise GraphTooLarge(grouping.too_large(n, o.max_nodes, order, groups, collapse, n_consts))
    const_ids = {v: [f"{prefix}c{k}_{i}" for i in range(len(v.local_grads) - 1)] for v, k in const_tuples.items()}
    plan = _Plan(
        root, order, {v: f"{prefix}v{i}" for i, v in enumerate(order)}, groups, collapse,
        grouping.parameters(order, o.params), const_ids, const_tuples, prefix,
    )  # fmt: skip
    for v in order:
        b = plan.box_of(v)
        if b is not None:
            plan.box_members.setdefault(b, []).append(v)
    # ids in the boxes' order (neurons.2 before neurons.10), so the DOT text lists them in order
    for i, b in enumerate(sorted(plan.box_members, key=grouping.order_key)):
        plan.box_ids[b] = f"{prefix}g{i}"
    return plan


def _plan_modules(root: Value, order: list[Value], o: Options, prefix: str) -> _Plan:
    """groups=: each node in the box its name says, or drawn itself in an expanded name's cluster."""
    assert o.groups is not None  # _plan calls this only for groups=
    names, expand = set(o.groups.values()), frozenset(o.expand)
    modules, clusters = {}, {}
    for v in order:
        name = o.groups.get(v)
        if name is None:
            continue
        box = grouping.module_box(name, names, expand)
        owner = next((e for e in expand if name == e or name.startswith(e + ".")), None)
        if box is not None:
            modules[v] = box
        if owner is not None:
            clusters[v] = owner
    const_tuples, n_consts = grouping.constants(order)
    if o.max_nodes is not None:
        n = grouping.count(order, {}, None, n_consts, box_of=modules.get)
        if n > o.max_nodes:
            raise GraphTooLarge(
                f"draw_dot: the drawing would have {n} nodes ({len(order)} Values), more than "
                f"max_nodes={o.max_nodes}. Options: expand fewer names (expand={list(o.expand)!r}); "
                f"max_nodes=None draws all {n}."
            )
    const_ids = {v: [f"{prefix}c{k}_{i}" for i in range(len(v.local_grads) - 1)] for v, k in const_tuples.items()}
    plan = _Plan(
        root, order, {v: f"{prefix}v{i}" for i, v in enumerate(order)}, {}, None,
        grouping.parameters(order, o.params), const_ids, const_tuples, prefix, modules=modules, clusters=clusters,
    )  # fmt: skip
    for v in order:
        b = modules.get(v)
        if b is not None:
            plan.box_members.setdefault(b, []).append(v)
    for i, b in enumerate(sorted(plan.box_members, key=grouping.order_key)):
        plan.box_ids[b] = f"{prefix}g{i}"
    return plan


def build(root: Value, o: Options = Options(), marks: Marks = Marks()) -> Drawing:
    """draw_dot, plus what a step-through frame marks (:class:`Marks`)."""
    _check(root, o)
    plan = _plan(root, o)
    g = new_drawing(o)
    if marks.caption:
        g.attr(label=escape(marks.caption, limit=200), labelloc="t", fontsize="13")
    if plan.collapse:
        g.attr(ordering="out", mclimit="0.01")  # neurons in order down their layer (see _add_boxes)
    add_graph(g, plan, o, marks)
    return g


def new_drawing(o: Options) -> Drawing:
    """An empty Drawing with the graph, node and edge styles (and the fit to a notebook's width)."""
    graph_attr = {"rankdir": o.rankdir, "nodesep": "0.2", "ranksep": "0.35", "fontname": "Helvetica"}
    if o.fit:
        graph_attr["size"] = f"{FIT_WIDTH_INCHES},1000"  # only ever scales down, and only when wider
    return Drawing(
        name="autograd",
        format="svg",
        graph_attr=graph_attr,
        node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled", "color": "#555555"},
        edge_attr={"color": "#555555", "arrowsize": "0.6", "fontname": "Helvetica", "fontsize": "9"},
    )


def add_graph(g, plan: _Plan, o: Options, marks: Marks) -> None:
    """Every node and edge of ``plan`` into ``g`` (a Drawing, or a cluster of one)."""
    _add_constants(g, plan, o)
    if plan.modules is not None:
        _add_modules(g, plan, o, marks)
    else:
        _add_values(g, plan, o, marks)
        _add_boxes(g, plan, o, marks)
    _add_edges(g, plan, o, marks)


def _add_constants(g: Drawing, plan: _Plan, o: Options) -> None:
    """A dotc node's numbers: input records outside every cluster, one per (tuple, index)."""
    drawn = set()
    for v, k in plan.const_tuples.items():
        if k in drawn:
            continue
        drawn.add(k)
        for i, (cid, c) in enumerate(zip(plan.const_ids[v], v.local_grads)):
            label = labels.constant_label(i, c, show_data=o.show_data, precision=o.precision)
            g.node(cid, label, shape="record", fillcolor=COLORS["input"])


def _value_node(target, v: Value, plan: _Plan, o: Options, marks: Marks) -> None:
    """One Value's record, and its op node."""
    name = v.label or marks.names.get(v, "")
    if v in plan.groups and not v.parents and not plan.collapse:
        name = name.rsplit(".neurons.", 1)[-1].split(".", 1)[-1]  # w.0 / b: the cluster names the neuron
    label = labels.value_label(
        v, name, show_data=o.show_data, show_grad=o.show_grad, grads=marks.grads, precision=o.precision
    )
    attrs = {"shape": "record", "fillcolor": labels.fill(v, plan.root, plan.params)}
    if v is marks.current:
        attrs.update(color=COLORS["current"], penwidth="3")
    elif v is marks.receiving:
        attrs.update(color=COLORS["receiving"], penwidth="3")
    target.node(plan.ids[v], label, **attrs)
    if v.parents:
        op_label, op_attrs = labels.op_node(v, o.precision)
        if v is marks.current:
            op_attrs.update(color=COLORS["current"], penwidth="2")
        target.node(plan.ids[v] + "_op", op_label, **op_attrs)


def _add_values(g: Drawing, plan: _Plan, o: Options, marks: Marks) -> None:
    """The Values not in a collapsed box: in a cluster per layer and per neuron when grouped."""
    visible = [v for v in plan.order if plan.box_of(v) is None]
    if not plan.groups or plan.collapse:
        for v in visible:
            _value_node(g, v, plan, o, marks)
        return
    layers: dict[str, dict[str, list[Value]]] = {}
    for v in visible:
        key = plan.groups.get(v)
        if key is not None:
            layers.setdefault(key[0], {}).setdefault(key[1], []).append(v)
    for li, lname in enumerate(sorted(layers, key=grouping.order_key)):
        with g.subgraph(name=f"cluster_{plan.prefix}L{li}") as lc:
            lc.attr(label=escape(lname), style="rounded,dashed", color="#888888", fontsize="12")
            for ni, nname in enumerate(sorted(layers[lname], key=grouping.order_key)):
                with lc.subgraph(name=f"cluster_{plan.prefix}L{li}_N{ni}") as nc:
                    short = nname.rsplit(".", 2)[-2] + "." + nname.rsplit(".", 1)[-1]
                    nc.attr(label=escape(short), style="rounded", color="#bbbbbb", fontsize="10")
                    for v in sorted(layers[lname][nname], key=grouping.member_key):
                        _value_node(nc, v, plan, o, marks)
    for v in visible:
        if v not in plan.groups:
            _value_node(g, v, plan, o, marks)


def _add_boxes(g: Drawing, plan: _Plan, o: Options, marks: Marks) -> None:
    """Collapsed neurons in a cluster per layer (or one box per layer), in order down the layer.

    Graphviz orders the nodes of a rank to cross few edges, which put a layer's
    neurons 8…15 above 0…7 (every order crosses as many edges: layers are fully
    connected).  :func:`build` sets ``ordering=out`` and all but turns the
    reordering off (``mclimit``), so they keep the order of their edges: 0, 1, 2 …
    """
    layer_of = {b: plan.groups[plan.box_members[b][0]][0] for b in plan.box_ids}
    for li, lname in enumerate(sorted(set(layer_of.values()), key=grouping.order_key)):
        in_cluster = plan.collapse == "neuron"
        target = g.subgraph(name=f"cluster_{plan.prefix}L{li}") if in_cluster else contextlib.nullcontext(g)
        with target as sub:
            if in_cluster:
                sub.attr(label=escape(lname), style="rounded,dashed", color="#888888", fontsize="12")
            in_layer = [b for b in plan.box_ids if layer_of[b] == lname]
            for b in in_layer:
                label = labels.box_label(
                    b, plan.box_members[b], plan.collapse, o.precision, o.show_data, o.show_grad, marks.grads
                )
                sub.node(plan.box_ids[b], label, shape="record", fillcolor=COLORS["group"], style="filled,rounded")


def _add_modules(g: Drawing, plan: _Plan, o: Options, marks: Marks) -> None:
    """groups=: a lavender box per name; an expanded name's nodes (and the boxes under it) in its cluster."""
    assert plan.modules is not None  # _plan_modules's plan, for groups=
    inside: dict[str, list] = {}
    for v in plan.order:
        owner = plan.clusters.get(v)
        if plan.modules.get(v) is None:
            if owner is None:
                _value_node(g, v, plan, o, marks)
            else:
                inside.setdefault(owner, []).append(v)
    boxes_inside: dict[str, list[str]] = {}
    for b, members in plan.box_members.items():
        owner = plan.clusters.get(members[0])
        if owner is None:
            _module_box(g, b, plan, o, marks)
        else:
            boxes_inside.setdefault(owner, []).append(b)
    for ci, name in enumerate(sorted(set(inside) | set(boxes_inside), key=grouping.order_key)):
        with g.subgraph(name=f"cluster_{plan.prefix}M{ci}") as c:
            c.attr(label=escape(name), style="rounded,dashed", color="#888888", fontsize="12")
            for v in inside.get(name, []):
                _value_node(c, v, plan, o, marks)
            for b in sorted(boxes_inside.get(name, []), key=grouping.order_key):
                _module_box(c, b, plan, o, marks)


def _module_box(target, b: str, plan: _Plan, o: Options, marks: Marks) -> None:
    label = labels.module_label(b, plan.box_members[b], o.precision, o.show_data, o.show_grad, marks.grads)
    target.node(plan.box_ids[b], label, shape="record", fillcolor=COLORS["group"], style="filled,rounded")


def _add_edges(g: Drawing, plan: _Plan, o: Options, marks: Marks) -> None:
    """One edge per parent (repeats included); between boxes, one edge per pair of boxes."""
    seen_box_edges = set()
    for v in plan.order:
        if not v.parents:
            continue
        vb = plan.box_of(v)
        head = plan.box_ids[vb] if vb else plan.ids[v] + "_op"
        if vb is None:
            current = {"color": COLORS["current"], "penwidth": "2"} if v is marks.current else {}
            g.edge(plan.ids[v] + "_op", plan.ids[v], **current)
        n_w = len(v.parents) - 1 if v in plan.const_ids else -1
        for i, (p, local) in enumerate(zip(v.parents, v.local_grads)):
            if i == n_w:  # after the weights, before the bias, where dot has its xs: the constants, unlabelled
                for cid in plan.const_ids[v]:
                    if vb is None:
                        # in a neuron's cluster the weights sit one rank before the dot: put the
                        # inputs one rank before them, left of the clusters, not among them
                        g.edge(cid, head, **({"minlen": "2"} if v in plan.groups else {}))
                    elif (cid, head) not in seen_box_edges:
                        seen_box_edges.add((cid, head))
                        g.edge(cid, head)
            pb = plan.box_of(p)
            tail = plan.box_ids[pb] if pb else plan.ids[p]
            if vb is not None or pb is not None:
                if vb == pb or (tail, head) in seen_box_edges:
                    continue
                seen_box_edges.add((tail, head))
                g.edge(tail, head)
                continue
            attrs = {}
            if marks.edge is not None and marks.edge[0] is v and marks.edge[1] == i:
                text = marks.edge_label if marks.edge_label is not None else f"×{number_text(local, o.precision)}"
                attrs = {
                    "color": COLORS["current"],
                    "penwidth": "2.5",
                    "fontcolor": COLORS["current"],
                    "fontsize": "11",
                    "label": escape(text),
                }
            elif o.show_local_grads:
                attrs = {"label": escape(number_text(local, o.precision))}
            g.edge(tail, head, **attrs)
