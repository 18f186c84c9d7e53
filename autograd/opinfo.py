"""One description of each op, read by drawing, stepping and higher order alike.

A node's ``op`` names what made it: ``"+"``, ``"*"``, ``"/"``, ``"**"`` (a
Value exponent), ``"**2"`` / ``"**-0.5"`` (a number exponent), ``"exp"``,
``"tanh"`` …, the fused ``"sum"``, ``"dot"``, ``"dotc"``, ``"logsumexp"``,
and the names of custom ops.  ``"+"``, ``"*"`` and ``"/"`` with one parent
have a number folded in.  :func:`describe` gives a node's :class:`OpInfo`:
its rule in :mod:`autograd.ops` and how the node's parents (and the number
it holds) become the rule's operands, whether its local grads are constants
(then their derivative is 0, as for relu or a sum), and how drawings and
captions write it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from . import ops
from .value import Value

__all__ = ["OpInfo", "OPS", "describe", "register", "op_text", "formula", "number_text"]


@dataclass(frozen=True)
class OpInfo:
    """``rule(*operands(node), m=...)`` recomputes the node (``m=VALUE``: its local grads as graphs).

    ``constant``: the local grads do not depend on the operands (the stored
    floats are exact; their derivative is 0).  ``symbol``: how drawings name
    the op; ``infix``: captions write it between its operands (``a × b``).
    """

    rule: Callable
    operands: Callable[[Value], tuple]
    constant: bool = False
    symbol: str = ""
    infix: bool = False


def _parents(node: Value) -> tuple:
    return node.parents


def _base_and_exponent(node: Value) -> tuple:
    return node.parents[0], float(node.op[2:])  # "**-0.5" → (a, -0.5)


def _dot_operands(node: Value) -> tuple:
    # parents are (*ws, *xs) or (*ws, *xs, bias): a bias iff the count is odd
    ps = node.parents
    n = len(ps) // 2
    return ps[:n], ps[n : 2 * n], (ps[-1] if len(ps) % 2 else None)


def _dotc_operands(node: Value) -> tuple:
    # parents are (*ws, bias); the numbers cs are the ws' local grads
    return node.parents[:-1], node.local_grads[:-1], node.parents[-1]


def _all_as_one(node: Value) -> tuple:
    return (node.parents,)


# an op with a number folded in keeps it in its local grad (x·c: c; x/c: 1/c), or in its data (x + c)
def _times_number(node: Value) -> tuple:
    return node.parents[0], node.local_grads[0]


def _over_number(node: Value) -> tuple:
    return node.parents[0], 1.0 / node.local_grads[0]


def _plus_number(node: Value) -> tuple:
    return node.parents[0], node.data - node.parents[0].data


# op → its description.  "**b" stands for every number exponent ("**2", "**-1", "**0.5" ...);
# "*c", "+c" and "/c" for an op with a number folded in.  Custom ops add themselves (register).
OPS: dict[str, OpInfo] = {
    "+": OpInfo(ops.add, _parents, constant=True, symbol="+", infix=True),
    "+c": OpInfo(ops.add, _plus_number, constant=True, symbol="+", infix=True),
    "*": OpInfo(ops.mul, _parents, symbol="×", infix=True),
    "*c": OpInfo(ops.mul, _times_number, constant=True, symbol="×", infix=True),
    "/": OpInfo(ops.div, _parents, symbol="÷", infix=True),
    "/c": OpInfo(ops.div, _over_number, constant=True, symbol="÷", infix=True),
    "**": OpInfo(ops.powv, _parents, symbol="**", infix=True),
    "**b": OpInfo(ops.pow, _base_and_exponent, symbol="**", infix=True),
    "exp": OpInfo(ops.exp, _parents, symbol="exp"),
    "log": OpInfo(ops.log, _parents, symbol="log"),
    "tanh": OpInfo(ops.tanh, _parents, symbol="tanh"),
    "sigmoid": OpInfo(ops.sigmoid, _parents, symbol="sigmoid"),
    "softplus": OpInfo(ops.softplus, _parents, symbol="softplus"),
    "sin": OpInfo(ops.sin, _parents, symbol="sin"),
    "cos": OpInfo(ops.cos, _parents, symbol="cos"),
    "tan": OpInfo(ops.tan, _parents, symbol="tan"),
    "sinh": OpInfo(ops.sinh, _parents, symbol="sinh"),
    "cosh": OpInfo(ops.cosh, _parents, symbol="cosh"),
    "arcsin": OpInfo(ops.arcsin, _parents, symbol="arcsin"),
    "arccos": OpInfo(ops.arccos, _parents, symbol="arccos"),
    "arctan": OpInfo(ops.arctan, _parents, symbol="arctan"),
    "arcsinh": OpInfo(ops.arcsinh, _parents, symbol="arcsinh"),
    "arccosh": OpInfo(ops.arccosh, _parents, symbol="arccosh"),
    "arctanh": OpInfo(ops.arctanh, _parents, symbol="arctanh"),
    "log1p": OpInfo(ops.log1p, _parents, symbol="log1p"),
    "expm1": OpInfo(ops.expm1, _parents, symbol="expm1"),
    "log2": OpInfo(ops.log2, _parents, symbol="log2"),
    "log10": OpInfo(ops.log10, _parents, symbol="log10"),
    "exp2": OpInfo(ops.exp2, _parents, symbol="exp2"),
    "sign": OpInfo(ops.sign, _parents, constant=True, symbol="sign"),
    "relu": OpInfo(ops.relu, _parents, constant=True, symbol="relu"),
    "leaky_relu": OpInfo(ops.leaky_relu, _parents, constant=True, symbol="leaky_relu"),
    "abs": OpInfo(ops.abs_, _parents, constant=True, symbol="abs"),
    "sum": OpInfo(ops.sum_, _all_as_one, constant=True, symbol="sum"),
    "dot": OpInfo(ops.dot, _dot_operands, symbol="dot"),
    "dotc": OpInfo(ops.dotc, _dotc_operands, constant=True, symbol="dot"),  # its local grads: the numbers and 1
    "logsumexp": OpInfo(ops.logsumexp, _all_as_one, symbol="logsumexp"),
}


def key(node: Value) -> str:
    """The entry of :data:`OPS` that describes ``node``."""
    op = node.op
    if op[:2] == "**" and op != "**":
        return "**b"
    if op in ("+", "*", "/") and len(node.parents) == 1:
        return op + "c"
    return op


def describe(node: Value) -> OpInfo:
    """The description of the op that made ``node`` (KeyError for a leaf or an unknown op)."""
    return OPS[key(node)]


def register(name: str, info: OpInfo) -> None:
    """Describe a new op (custom ops do this when they are made)."""
    OPS[name] = info


def number_text(x: float, precision: int = 4) -> str:
    """A number, short: 4 significant digits by default, ``8.0`` rather than ``8``."""
    s = f"{float(x):.{precision}g}"
    return s + ".0" if s.lstrip("-").isdigit() else s


def op_text(node: Value, precision: int = 4) -> str:
    """The op as a drawing writes it: ``×``, ``× 2.0``, ``+ -1.0``, ``**2``, ``tanh``, ``dot`` …"""
    k = key(node)
    info = OPS.get(k)
    if info is None or k in ("**", "**b"):
        return node.op
    if k == "*c":
        return f"× {number_text(node.local_grads[0], precision)}"
    if k == "/c":
        return f"÷ {number_text(1.0 / node.local_grads[0], precision)}"
    if k == "+c":
        # the number is not stored: recover it from the data, and show it only where that is
        # exact enough (1e16 + 1.0 would read "+ 0.0", inf + 3 "+ nan")
        c = node.data - node.parents[0].data
        if math.isfinite(c) and abs(c) >= 1e-9 * abs(node.data):
            return f"+ {number_text(c, precision)}"
        return "+ const"
    return info.symbol


def formula(node: Value, name: Callable[[Value], str]) -> str:
    """The node as an equation of its parents' names: ``L = d × f``, ``#5 = tanh(#4)``, ``z = w0·x0 + b``."""
    args = [name(p) for p in node.parents]
    op = op_text(node, 4)
    k = key(node)
    info = OPS.get(k)
    if info is not None and info.infix:
        return f"{name(node)} = {args[0]} {op}" + (f" {args[1]}" if len(args) == 2 else "")
    if k in ("dot", "dotc"):
        # dot's parents are (*ws, *xs[, bias]); dotc's (*ws, bias), its xs the numbers that
        # drawings show as x[0], x[1], … (no nodes of their own, so no names to look up)
        if k == "dotc":
            n = len(args) - 1
            xs, bias = [f"x[{i}]" for i in range(n)], args[n:]
        else:
            n = len(args) // 2
            xs, bias = args[n : 2 * n], args[2 * n :]
        terms = [f"{w}·{x}" for w, x in zip(args[:n], xs)]
        terms = terms[:3] + ["…"] if n > 4 else terms
        return f"{name(node)} = " + " + ".join(terms + bias)
    if k == "sum":
        return f"{name(node)} = " + " + ".join(args[:4] + (["…"] if len(args) > 5 else args[4:]))
    shown = ", ".join(args[:4]) + (", …" if len(args) > 4 else "")
    return f"{name(node)} = {op}({shown})"
