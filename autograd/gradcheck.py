"""Compare a function's analytic gradients with central differences, and find the node that is wrong."""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Callable, Sequence

from . import opinfo
from .ops import FLOAT
from .value import _ARITH_ERRORS, Value, computed_order, enable_grad, grad, no_grad
from .value import real as _real

__all__ = ["gradcheck", "GradcheckError", "numeric_grad", "check_graph", "NodeMismatch"]


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with the numeric one."""


def numeric_grad(f: Callable[..., Value], inputs: Sequence[float], i: int, eps: float = 1e-6) -> float:
    """∂f/∂xᵢ ≈ (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / 2·eps, without building a graph."""
    with no_grad():
        up = [Value(x + eps) if j == i else Value(x) for j, x in enumerate(inputs)]
        down = [Value(x - eps) if j == i else Value(x) for j, x in enumerate(inputs)]
        return (_number_of(f(*up)) - _number_of(f(*down))) / (2.0 * eps)


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value | float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """True when ∂f/∂xᵢ from ``backward`` matches central differences for every input.

    ``f(*values)`` must return a Value.  Each input passes when
    |analytic − numeric| ≤ atol + rtol·|numeric|; the first that does not
    raises :class:`GradcheckError` naming the input and both numbers, and
    the nodes of f's graph whose local derivatives disagree with their own
    rule (:func:`check_graph`); ``raise_exception=False`` returns False instead.
    """
    if not (isinstance(eps, (int, float)) and not isinstance(eps, bool) and eps > 0 and math.isfinite(eps)):
        raise ValueError(
            f"gradcheck(eps): the step of the central differences must be a finite number > 0, got {eps!r}"
        )
    data = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            data.append(x.data)
        else:
            data.append(_real(x, f"gradcheck(inputs)[{i}]"))
    labels = [x.label if isinstance(x, Value) else "" for x in inputs]
    leaves = [Value(x, label) for x, label in zip(data, labels)]
    with enable_grad():  # the analytic side needs f's graph, even inside no_grad
        out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    analytic = grad(out, leaves)
    for i, a in enumerate(analytic):
        n = numeric_grad(f, data, i, eps)
        if not abs(a - n) <= atol + rtol * abs(n):
            if not raise_exception:
                return False
            name = f"input {i}" + (f" ({labels[i]!r})" if labels[i] else "")
            raise GradcheckError(
                f"gradcheck failed for {name} at x = {data[i]!r}: analytic gradient {a!r}, "
                f"numeric {n!r} (|difference| {abs(a - n):.3g} > atol + rtol·|numeric| = "
                f"{atol + rtol * abs(n):.3g})\n" + _findings(*_check_all(out, eps, atol, rtol))
            )
    return True


def _findings(found: list[NodeMismatch], kinks: list[str]) -> str:
    if not found and kinks:
        shown = "".join(f"\n  {k}" for k in kinks[:5]) + (f"\n  … and {len(kinks) - 5} more" if len(kinks) > 5 else "")
        return (f"no node's rule disagrees with central differences, but {len(kinks)} node(s) sit on a kink, where "
                f"a central difference is not a derivative (it averages the two sides):{shown}\n"
                "check at points away from the kinks (an input within eps of one also needs a smaller eps), "
                "or the same network with a smooth activation")
    if not found:
        return ("every node's local derivatives agree with central differences of its own rule: "
                "look for a number taken out of the graph inside f (float(v), v.data, a new Value(v.data))")
    return "nodes whose local derivatives disagree with their own rule:\n" + "\n".join(f"  {m}" for m in found)


# ---------------------------------------------------------------- node by node
@dataclass(frozen=True)
class NodeMismatch:
    """One node whose stored local derivative (or forward value) disagrees with its own rule.

    ``operand`` is the name of the parent (its label, else the rule's
    parameter name), ``rule`` the local derivative the node holds (what
    backward uses), ``numeric`` the central difference of the node's rule
    at its operands; for a forward mismatch, ``operand`` is ``None``, and
    ``rule``/``numeric`` are the node's data and the rule's forward.
    """

    node: Value
    position: int  # in topological order of the computed nodes, from 0
    operand: str | None
    at: str
    rule: float
    numeric: float

    def __str__(self) -> str:
        where = f"node {self.position}" + (f" ({self.node.label!r})" if self.node.label else "")
        if self.operand is None:
            return (f"{where}: the node `{self.node.op}` at {self.at} holds the forward value {_num(self.rule)}, "
                    f"its rule gives {_num(self.numeric)}")
        return (f"{where}: the rule of `{self.node.op}` at {self.at} gives ∂/∂{self.operand} = {_num(self.rule)}, "
                f"central differences {_num(self.numeric)}")


def check_graph(output: Value, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> list[NodeMismatch]:
    """Each node under ``output``, on its own: its local grads against central differences of its rule.

    For every computed node, the rule that made it (``opinfo.describe(node)``)
    is evaluated at the node's operands moved by ±eps·max(1, |x|), one parent
    at a time; a stored local derivative that differs from the central
    difference by more than atol + rtol·|numeric| is a :class:`NodeMismatch`,
    and so is a node whose data is not its rule's forward.  Points where the
    rule is not smooth are skipped: outside its domain (it raises there),
    an infinite derivative, or a kink (the one-sided differences disagree).
    An empty list: every node agrees with its rule.
    """
    if not isinstance(output, Value):
        raise TypeError(f"check_graph(output): expected a Value, got {type(output).__name__}")
    return _check_all(output, eps, atol, rtol)[0]


def _check_all(output: Value, eps, atol, rtol) -> tuple[list[NodeMismatch], list[str]]:
    """check_graph's mismatches, and a line for each node skipped because it sits on a kink."""
    found: list[NodeMismatch] = []
    kinks: list[str] = []
    for position, node in enumerate(computed_order(output)):
        info = opinfo.OPS.get(opinfo.key(node))
        if info is not None:
            found += _check_node(node, position, info, eps, atol, rtol, kinks)
    return found, kinks


def _check_node(node: Value, position: int, info, eps, atol, rtol,
                kinks: list[str] | None = None) -> list[NodeMismatch]:
    # the node's rule, evaluated on stand-in leaves for its parents (moved one at a time)
    leaves = [Value(p.data, p.label) for p in node.parents]
    stand_in = Value(0.0)
    stand_in.data, stand_in.op, stand_in.local_grads = node.data, node.op, node.local_grads
    stand_in.parents = tuple(leaves)
    try:
        operands = info.operands(stand_in)
    except (IndexError, ValueError, ZeroDivisionError):
        return []
    names = _operand_names(info.rule, operands, leaves)

    def forward() -> float:
        return info.rule(*[_floats(a) for a in operands], m=FLOAT)[0]

    at = ", ".join(f"{names[k]} = {_num(p.data)}" for k, p in enumerate(leaves[:4]))
    at += ", …" if len(leaves) > 4 else ""
    try:
        f0 = forward()
    except _ARITH_ERRORS:
        return []
    if not math.isclose(f0, node.data, rel_tol=1e-9, abs_tol=1e-12) and not (math.isnan(f0) and math.isnan(node.data)):
        return [NodeMismatch(node, position, None, at, node.data, f0)]
    found = []
    for k, (leaf, local) in enumerate(zip(leaves, node.local_grads)):
        x0 = leaf.data
        h = eps * max(1.0, abs(x0))
        try:
            leaf.data = x0 + h
            up = forward()
            leaf.data = x0 - h
            down = forward()
            leaf.data = x0 + h / 2
            up_half = forward()
            leaf.data = x0 - h / 2
            down_half = forward()
        except _ARITH_ERRORS:
            continue  # x ± h is outside the rule's domain
        finally:
            leaf.data = x0
        if not all(map(math.isfinite, (up, down, up_half, down_half, f0, local))):
            continue
        left, right, numeric = (f0 - down) / h, (up - f0) / h, (up - down) / (2 * h)
        half = (up_half - down_half) / h
        if not _agree(left, right, atol, rtol) or not _agree(numeric, half, atol, rtol):
            # a kink (relu, abs at 0) or a jump (sign at 0): no derivative to compare with
            if kinks is not None:
                where = f"node {position}" + (f" ({node.label!r})" if node.label else "")
                kinks.append(f"{where}: `{node.op}` at {at}: slope {_num(left)} from the left, {_num(right)} "
                             f"from the right; the rule says {_num(local)}")
            continue
        if not abs(local - numeric) <= atol + rtol * abs(numeric):
            found.append(NodeMismatch(node, position, names[k], at, local, numeric))
    return found


def _agree(a: float, b: float, atol: float, rtol: float) -> bool:
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def _operand_names(rule, operands: tuple, leaves: list) -> list[str]:
    """A name per parent: its label, else the rule's parameter (``a``, ``xs[1]``)."""
    params = [n for n in inspect.signature(rule).parameters if n != "m"]
    names = []
    for k, leaf in enumerate(leaves):
        name = leaf.label
        for i, a in enumerate(operands):
            if name:
                break
            if a is leaf:
                name = params[i] if i < len(params) else f"operand {k}"
            elif isinstance(a, (tuple, list)):
                j = next((j for j, b in enumerate(a) if b is leaf), None)
                if j is not None:
                    name = f"{params[i] if i < len(params) else 'operand'}[{j}]"
        names.append(name or f"operand {k}")
    return names


def _floats(a):
    if isinstance(a, Value):
        return a.data
    if isinstance(a, (tuple, list)):
        return [_floats(b) for b in a]
    return a


def _num(x: float) -> str:
    return opinfo.number_text(x, 6)


def _number_of(v) -> float:
    return v.data if isinstance(v, Value) else float(v)
