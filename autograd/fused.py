"""Fused n-ary ops: one node instead of a chain, for speed and for drawings a person can read.

``sum`` (Σᵢ vᵢ), ``dot`` (b + Σᵢ wᵢ·xᵢ, a neuron's weighted sum) and
``logsumexp`` (ln Σᵢ e^vᵢ, without overflow); each is one node whose rule is
in :mod:`autograd.ops`.
"""

from __future__ import annotations

import builtins
from typing import Iterable, Sequence

from . import ops
from .fast import make_node
from .value import Operand, Value, real

__all__ = ["sum", "dot", "logsumexp"]


def sum(values: Iterable[Operand]) -> Value:  # noqa: A001
    """Σᵢ vᵢ as one node (numbers among the values are added as constants)."""
    values = _sequence(values)
    parents = tuple(v for v in values if isinstance(v, Value))
    numbers = [real(v, f"sum(values)[{i}]") for i, v in enumerate(values) if not isinstance(v, Value)]
    out, local = ops.sum_([p.data for p in parents])
    if numbers:
        out += builtins.sum(numbers, 0.0)
    return make_node(out, parents, local, "sum") if parents else Value(out)


def dot(ws: Sequence[Operand], xs: Sequence[Operand], bias: Operand | None = None) -> Value:
    """b + Σᵢ wᵢ·xᵢ as one node: a neuron's weighted sum.

    With Values on both sides the node is ``dot``: parents ``(*ws, *xs, bias)``,
    so the gradient reaches the xs too.  When the ws are Values and the xs all
    numbers (a neuron reading data), the numbers are constants, as a tensor
    without ``requires_grad`` in PyTorch: the node is ``dotc``, with parents
    ``(*ws, bias)`` (a leaf 0.0 when no bias is given) and the numbers as the
    local grads; they get no node and no gradient, and drawings show them as
    inputs ``x[i]``.  Any other number (among the ws, in a mixed xs, or the
    bias) becomes a leaf Value.
    """
    ws, xs = _sequence(ws), _sequence(xs)
    if len(ws) != len(xs):
        raise ValueError(f"dot: ws and xs differ in length ({len(ws)} and {len(xs)})")
    if not ws and bias is None:
        return Value(0.0)
    b: Value | None = bias if bias is None or isinstance(bias, Value) else Value(real(bias, "dot(bias)"))
    if type(xs[0] if xs else None) is Value and type(ws[0]) is Value:  # Values on both sides: the common case
        try:  # read every number once (an AttributeError goes the long way below, as anything not a float)
            wd, xd = [w.data for w in ws], [x.data for x in xs]  # type: ignore[union-attr]
            out, local = ops.dot(wd, xd) if b is None else ops.dot(wd, xd, b.data)
            if type(out) is float:
                return make_node(out, (*ws, *xs) if b is None else (*ws, *xs, b), local, "dot")
        except (AttributeError, TypeError):
            pass
    if ws and all(isinstance(w, Value) for w in ws) and not any(isinstance(x, Value) for x in xs):
        numbers = [real(x, f"dot(xs)[{i}]") for i, x in enumerate(xs)]  # data: constants of the node
        b = Value(0.0) if b is None else b
        out, local = ops.dotc(_floats(ws, "dot"), numbers, _float_of(b, "dot"))
        return make_node(out, (*ws, b), local, "dotc")
    ws, xs = as_values(ws, "dot(ws)"), as_values(xs, "dot(xs)")
    wd, xd = _floats(ws, "dot"), _floats(xs, "dot")
    if b is None:
        out, local = ops.dot(wd, xd)
        return make_node(out, (*ws, *xs), local, "dot")
    out, local = ops.dot(wd, xd, _float_of(b, "dot"))
    return make_node(out, (*ws, *xs, b), local, "dot")


def logsumexp(values: Iterable[Operand]) -> Value:
    """ln Σᵢ e^vᵢ as one node, computed shifted by the max: no overflow."""
    values = as_values(_sequence(values), "logsumexp(values)")
    if not values:
        raise ValueError("logsumexp: needs at least one value")
    out, local = ops.logsumexp([v.data for v in values])
    return make_node(out, values, local, "logsumexp")


def as_values(items: Sequence, where: str) -> tuple:
    """Items as Values: numbers become leaves, anything else is a TypeError naming the item."""
    return tuple(x if isinstance(x, Value) else Value(real(x, f"{where}[{i}]")) for i, x in enumerate(items))


def _sequence(xs) -> Sequence:
    return xs if type(xs) is list or type(xs) is tuple else tuple(xs)


def _float_of(v: Value, where: str) -> float:
    if type(v.data) is not float:
        raise TypeError(f"{where}: a Value holds {type(v.data).__name__} data, not a float: {v.data!r}")
    return v.data


def _floats(values: Sequence, where: str) -> list[float]:
    data = [v.data for v in values]
    for i, d in enumerate(data):
        if type(d) is not float:
            _float_of(values[i], where)
    return data
