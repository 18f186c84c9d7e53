"""What each box of a drawing says, and its colour.

A Value is a record ``label | data … | grad …``, an op a small grey ellipse
(``×``, ``+ -1.0``, ``tanh``: :func:`autograd.opinfo.op_text`), a number a
``dotc`` node reads a record ``x[i] | data …``, and a collapsed neuron or
layer a lavender box that sums it up.
"""

from __future__ import annotations

import re
from typing import Mapping

import graphviz

from ..opinfo import number_text, op_text
from ..value import Value
from .groups import DOT_OPS

__all__ = ["COLORS"]

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

_RECORD_SPECIAL = re.compile(r'([{}|<>"\\])')
_PLAIN_SPECIAL = re.compile(r'(["\\])')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str, limit: int = 60, *, record: bool = False) -> str:
    """Any text as literal text in a quoted DOT label (``record=True``: in a record field)."""
    # a lone surrogate (from a bytes label decoded with surrogateescape, say) cannot be written as UTF-8:
    # show it as its escape, \udc80, rather than fail when the drawing is rendered
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
    text = (_RECORD_SPECIAL if record else _PLAIN_SPECIAL).sub(r"\\\1", text)
    # Graphviz decodes HTML entities such as &amp; in every label: keep & literal.
    text = text.replace("&", "&amp;").replace("\t", " ").replace("\r", "")
    return text.replace("\n", "\\n")


def record(fields: list[str]) -> str:
    """Record fields stacked (rankdir LR: the braced fields run across, so braces stack them)."""
    return "{ " + " | ".join(fields or [" "]) + " }"


def grad_text(v: Value, grads: Mapping[Value, float | str] | None, precision: int) -> str:
    """``v.grad``, or what ``grads`` says (a number, or text to show; missing: ``?``, not known yet)."""
    if grads is None:
        return number_text(v.grad, precision)
    got = grads.get(v)
    if isinstance(got, str):
        return escape(got, record=True)
    return "?" if got is None else number_text(got, precision)


def value_label(v: Value, name: str, *, show_data: bool, show_grad: bool, grads, precision: int) -> str:
    """``name | data … | grad …``."""
    fields = [escape(name, record=True)] if name else []
    if show_data:
        fields.append(f"data {number_text(v.data, precision)}")
    if show_grad:
        fields.append(f"grad {grad_text(v, grads, precision)}")
    return record(fields)


def fill(v: Value, root: Value, params: set) -> str:
    """The colour legend: output, intermediate, parameter or input."""
    if v is root:
        return COLORS["output"]
    if v.parents:
        return COLORS["intermediate"]
    return COLORS["parameter"] if v in params else COLORS["input"]


def op_node(v: Value, precision: int) -> tuple[str, dict]:
    """The op node's label and attributes: a small grey ellipse."""
    attrs = {"shape": "ellipse", "fillcolor": COLORS["op"], "fontsize": "10", "height": "0.3", "margin": "0.04,0.02"}
    return graphviz.nohtml(escape(op_text(v, precision))), attrs


def constant_label(i: int, c: float, *, show_data: bool, precision: int) -> str:
    """The ``i``-th number a dotc node reads: ``x[i] | data …``, no grad (none flows there)."""
    return record([f"x[{i}]"] + ([f"data {number_text(c, precision)}"] if show_data else []))


def box_label(name, members, collapse, precision, show_data, show_grad, grads) -> str:
    """A neuron: ``name | act(w·x + b), n params`` over ``out … | grad …``; a layer: one row."""
    n_params = sum(1 for v in members if not v.parents)
    if collapse == "neuron":
        outs = [v for v in members if v.parents and v.op not in DOT_OPS] or [v for v in members if v.op in DOT_OPS]
        act = outs[0].op if outs and outs[0].op not in DOT_OPS else "linear"
        top = [escape(name, record=True), escape(f"{act}(w·x + b), {n_params} params", record=True)]
        bottom = []
        if len(outs) == 1:
            out = outs[0]
            if show_data:
                bottom.append(f"out {number_text(out.data, precision)}")
            if show_grad:
                g = out.grad if grads is None else grads.get(out)
                bottom.append(f"grad {'?' if g is None else number_text(g, precision)}")
        # rankdir LR: the outer fields stack, the braced ones run across
        return "{ " + " | ".join(top) + " }" + (" | { " + " | ".join(bottom) + " }" if bottom else "")
    # count neurons by their parameters' names, not by dot nodes (a batch has a dot per sample)
    dots = len({m[1] for v in members if not v.parents and (m := re.match(r"(.*\.neurons\.\d+)\.", v.label))})
    acts = sorted({v.op for v in members if v.parents and v.op not in DOT_OPS}) or ["linear"]
    fields = [name, f"{dots} neuron{'s' if dots != 1 else ''}, {'/'.join(acts)}", f"{n_params} params"]
    return record([escape(f, record=True) for f in fields])


def module_label(name, members, precision, show_data, show_grad, grads) -> str:
    """A box of ``groups=``: ``name | n ops, k params``, and its one output's data and grad if it has one."""
    n_params = sum(1 for v in members if not v.parents)
    n_ops = len(members) - n_params
    counts = ", ".join(t for t in (f"{n_ops} ops" if n_ops else "", f"{n_params} params" if n_params else "") if t)
    return record([escape(name, record=True), escape(counts or "empty", record=True)])
