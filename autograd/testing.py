"""Hypothesis strategies for property-testing code built on ``autograd``.

``reals`` draws finite floats, ``values`` draws leaf Values, and
``expressions`` draws a random expression graph over the inputs you give:
built from the primitives, each op applied only where it is smooth (so
central differences are a fair judge), with shared subexpressions and
repeated parents (``t * t``).  A drawn :class:`Expression` is a function:
call it on other numbers, or on another library's numbers through ``ops=``,
to replay the very same program::

    from hypothesis import given
    from autograd import Value, gradcheck
    from autograd.testing import expressions

    @given(expressions(3))
    def test_my_engine_agrees(expr):
        assert gradcheck(expr, expr.inputs)

Needs ``hypothesis`` (in the ``dev`` extra).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from hypothesis import strategies as st

from . import value as _v
from .value import Value

__all__ = ["reals", "values", "expressions", "Expression", "Step", "VALUE_OPS", "UNARY", "BINARY", "NARY"]


def reals(min_value: float = -10.0, max_value: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in [min_value, max_value] (no NaN, no infinities, no subnormals)."""
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def values(min_value: float = -10.0, max_value: float = 10.0, label: str = "") -> st.SearchStrategy[Value]:
    """Leaf Values whose data are ``reals(min_value, max_value)``."""
    return reals(min_value, max_value).map(lambda x: Value(x, label))


# The ops a program may use, by name: how each is applied to Values.  Give
# ``Expression.__call__`` a mapping with the same names to replay a program
# elsewhere (the tests replay them in PyTorch).
VALUE_OPS: dict[str, Callable] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": operator.pow,  # Value ** Value
    "addc": operator.add,  # Value + number
    "mulc": operator.mul,  # Value * number
    "rsubc": lambda a, c: c - a,
    "rdivc": lambda a, c: c / a,
    "powc": operator.pow,  # Value ** number
    "rpowc": lambda a, c: c**a,  # number ** Value
    "neg": operator.neg,
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,
    "softplus": Value.softplus,
    "abs": abs,
    "sin": Value.sin,
    "cos": Value.cos,
    "sqrt": Value.sqrt,
    "sum": _v.sum,
    "dot": _v.dot,
    "logsumexp": _v.logsumexp,
}

UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "relu", "leaky_relu", "softplus", "abs", "sin", "cos", "sqrt")
BINARY = ("add", "sub", "mul", "div", "pow")
WITH_CONSTANT = ("addc", "mulc", "rsubc", "rdivc", "powc", "rpowc")
NARY = ("sum", "dot", "logsumexp")

_KINK_MARGIN = 1e-3  # relu, leaky_relu, abs stay this far from 0
_LIMIT = 1e3  # every intermediate stays within ±_LIMIT


def _smooth(op: str, args: Sequence[float], c: float | None) -> bool:
    """Whether ``op`` is smooth (and tame) at these operand values."""
    a = args[0] if args else 0.0
    if op in ("relu", "leaky_relu", "abs"):
        return abs(a) > _KINK_MARGIN
    if op in ("log", "sqrt"):
        return a > 0.05
    if op == "exp":
        return a < 6.0
    if op in ("div", "rdivc"):
        return abs(args[-1] if op == "div" else a) > 0.1
    if op == "pow":
        return 0.1 < a < 20.0 and abs(args[1]) < 3.0
    if op == "powc":
        return (a > 0.1 or (c == int(c) and (c >= 0 or abs(a) > 0.1))) and abs(a) < 20.0
    if op == "rpowc":
        return a < 6.0
    return True


@dataclass(frozen=True)
class Step:
    """``out = op(pool[args[0]], pool[args[1]], ...)`` (and a constant for ``*c`` ops)."""

    op: str
    args: tuple[int, ...]
    constant: float | None = None


@dataclass(frozen=True)
class Expression:
    """A drawn program over ``inputs``; its last step is the output.

    ``expr(*xs)`` replays it on other arguments; ``ops`` maps each op name
    to a function (default :data:`VALUE_OPS`).  ``expr.value`` is the
    output Value built over ``expr.inputs`` when it was drawn.
    """

    inputs: tuple[Value, ...]
    steps: tuple[Step, ...]
    value: Value

    def __call__(self, *xs, ops: Mapping[str, Callable] | None = None):
        if len(xs) != len(self.inputs):
            raise TypeError(f"expression takes {len(self.inputs)} inputs, got {len(xs)}")
        return _run(self.steps, list(xs), ops or VALUE_OPS)[-1]

    def __repr__(self) -> str:
        lines = [f"Expression over {len(self.inputs)} inputs (data {[x.data for x in self.inputs]}):"]
        n = len(self.inputs)
        for i, s in enumerate(self.steps):
            names = [f"t{j}" for j in s.args]
            if s.op == "dot":
                half = len(names) // 2
                call = f"dot([{', '.join(names[:half])}], [{', '.join(names[half:])}])"
            elif s.op in NARY:
                call = f"{s.op}([{', '.join(names)}])"
            else:
                call = f"{s.op}({', '.join(names + ([repr(s.constant)] if s.constant is not None else []))})"
            lines.append(f"  t{n + i} = {call}")
        return "\n".join(lines)


def _apply(step: Step, pool: list, ops: Mapping[str, Callable]):
    f = ops[step.op]
    args = [pool[j] for j in step.args]
    if step.op == "dot":
        half = len(args) // 2
        return f(args[:half], args[half:])
    if step.op in NARY:
        return f(args)
    if step.constant is not None:
        return f(args[0], step.constant)
    return f(*args)


def _run(steps: Sequence[Step], pool: list, ops: Mapping[str, Callable]) -> list:
    pool = list(pool)
    for step in steps:
        pool.append(_apply(step, pool, ops))
    return pool


_CONSTANTS = {
    "addc": (-2.0, 0.5, 3.0),
    "mulc": (-1.5, 0.5, 2.0),
    "rsubc": (1.0, -2.0),
    "rdivc": (1.0, -3.0),
    "powc": (2, 3, -1, 0.5, 1.5, -0.5),
    "rpowc": (2.0, 0.5, 3.0),
}


@st.composite
def _expressions(draw, inputs, max_ops: int, op_names: Sequence[str]):
    if isinstance(inputs, int):
        data = draw(st.lists(reals(-3, 3), min_size=inputs, max_size=inputs))
        inputs = [Value(x, f"x{i}") for i, x in enumerate(data)]
    inputs = tuple(inputs)
    if not inputs or not all(isinstance(x, Value) for x in inputs):
        raise TypeError("expressions(inputs): give a positive number of inputs or a non-empty list of Values")
    pool = list(inputs)
    steps: list[Step] = []
    n_ops = draw(st.integers(1, max_ops))
    for _ in range(n_ops):
        op = draw(st.sampled_from(op_names))
        # favour the newest nodes, so graphs grow deep and share subexpressions
        index = st.one_of(st.integers(max(0, len(pool) - 3), len(pool) - 1), st.integers(0, len(pool) - 1))
        if op in NARY:
            k = draw(st.integers(1, 3))
            args = tuple(draw(index) for _ in range(2 * k if op == "dot" else k))
        elif op in BINARY:
            args = (draw(index), draw(index))  # may be the same node twice: t * t
        else:
            args = (draw(index),)
        c = draw(st.sampled_from(_CONSTANTS[op])) if op in WITH_CONSTANT else None
        step = Step(op, args, c)
        data = [pool[j].data for j in args]
        if not _smooth(op, data, c):
            continue
        try:
            out = _apply(step, pool, VALUE_OPS)
        except (ValueError, OverflowError, ZeroDivisionError):
            continue
        if not math.isfinite(out.data) or abs(out.data) > _LIMIT:
            continue
        steps.append(step)
        pool.append(out)
    if not steps:  # every drawn op was off its domain: fall back to a smooth one
        steps.append(Step("tanh", (0,)))
        pool.append(pool[0].tanh())
    # the output sums every result no later step used, so every step counts
    used = {j for s in steps for j in s.args}
    sinks = tuple(j for j in range(len(inputs), len(pool)) if j not in used)
    if len(sinks) > 1:
        steps.append(Step("sum", sinks))
        pool.append(_apply(steps[-1], pool, VALUE_OPS))
    return Expression(inputs, tuple(steps), pool[-1])


def expressions(
    inputs: int | Sequence[Value], *, max_ops: int = 12, ops: Sequence[str] | None = None
) -> st.SearchStrategy[Expression]:
    """Random expression graphs over ``inputs`` (a list of Values, or a count n
    to draw n inputs in [-3, 3]), of up to ``max_ops`` ops from ``ops``
    (default: every unary, binary, constant and n-ary op in :data:`VALUE_OPS`).

    Each op is kept inside its smooth domain with a margin (kinks at least
    1e-3 away, logs of numbers > 0.05, |every intermediate| ≤ 1e3), so
    central differences with eps ≈ 1e-6 are accurate.
    """
    names = tuple(ops) if ops is not None else UNARY + BINARY + WITH_CONSTANT + NARY
    unknown = [n for n in names if n not in VALUE_OPS]
    if unknown:
        raise ValueError(f"expressions(ops): unknown op names {unknown}; known: {sorted(VALUE_OPS)}")
    if max_ops < 1:
        raise ValueError(f"expressions(max_ops): must be ≥ 1, got {max_ops}")
    return _expressions(inputs, max_ops, names)
