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

``check_primitive(op)`` property-tests one rule (built-in or your own
``custom_op``) over the domain it declares: its local derivatives against
central differences, and the same rule called on Values (as higher-order
gradients call it) against the floats.

Needs ``hypothesis``: ``pip install 'chainrule[testing]'``.
"""

from __future__ import annotations

import inspect
import math
import operator
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as _seed
    from hypothesis import strategies as st
except ModuleNotFoundError as e:  # pragma: no cover  (tested by hiding hypothesis)
    if e.name != "hypothesis":
        raise
    raise ImportError(
        "autograd.testing needs hypothesis, which is not installed: pip install 'chainrule[testing]'"
    ) from e

from . import fused as _v
from .custom import CUSTOM_OPS, CustomOp
from .gradcheck import GradcheckError
from .higher import rule_on_values
from .ops import FLOAT, PRIMITIVES, Arg, Primitive
from .value import Value

__all__ = [
    "reals",
    "values",
    "expressions",
    "Expression",
    "Step",
    "VALUE_OPS",
    "UNARY",
    "BINARY",
    "NARY",
    "check_primitive",
]


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
    "tan": Value.tan,
    "sinh": Value.sinh,
    "cosh": Value.cosh,
    "arcsin": Value.arcsin,
    "arccos": Value.arccos,
    "arctan": Value.arctan,
    "arcsinh": Value.arcsinh,
    "arccosh": Value.arccosh,
    "arctanh": Value.arctanh,
    "log1p": Value.log1p,
    "expm1": Value.expm1,
    "log2": Value.log2,
    "log10": Value.log10,
    "exp2": Value.exp2,
    "sign": Value.sign,
    "sum": _v.sum,
    "dot": _v.dot,
    "logsumexp": _v.logsumexp,
}

UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "relu", "leaky_relu", "softplus", "abs", "sin", "cos", "sqrt",
         "tan", "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
         "log1p", "expm1", "log2", "log10", "exp2", "sign")
BINARY = ("add", "sub", "mul", "div", "pow")
WITH_CONSTANT = ("addc", "mulc", "rsubc", "rdivc", "powc", "rpowc")
NARY = ("sum", "dot", "logsumexp")

_KINK_MARGIN = 1e-3  # relu, leaky_relu, abs stay this far from 0
_LIMIT = 1e3  # every intermediate stays within ±_LIMIT


def _smooth(op: str, args: Sequence[float], c: float | None) -> bool:
    """Whether ``op`` is smooth (and tame) at these operand values."""
    a = args[0] if args else 0.0
    if op in ("relu", "leaky_relu", "abs", "sign"):
        return abs(a) > _KINK_MARGIN
    if op in ("log", "sqrt", "log2", "log10"):
        return a > 0.05
    if op in ("exp", "expm1", "exp2"):
        return a < 6.0
    if op in ("sinh", "cosh"):
        return abs(a) < 6.0
    if op == "tan":  # the poles at ±π/2 (and beyond: tan is kept to its central branch)
        return abs(a) < 1.4
    if op in ("arcsin", "arccos", "arctanh"):
        return abs(a) < 0.9
    if op == "arccosh":
        return a > 1.1
    if op == "log1p":
        return a > -0.9
    if op in ("div", "rdivc"):
        return abs(args[-1] if op == "div" else a) > 0.1
    if op == "pow":
        return 0.1 < a < 20.0 and abs(args[1]) < 3.0
    if op == "powc":
        return (a > 0.1 or (c is not None and c == int(c) and (c >= 0 or abs(a) > 0.1))) and abs(a) < 20.0
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


# ---------------------------------------------------------------- one primitive's rule
def check_primitive(
    op: str | CustomOp | Primitive | Callable,
    *,
    reference: Callable | None = None,
    max_examples: int = 100,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int | None = None,
) -> bool:
    """Property-test a primitive's rule over the domain it declares; True, or
    a :class:`GradcheckError` naming the operand, the point and both numbers.

    ``op`` is a name (custom ops first, then built-ins), a
    :class:`~autograd.custom.CustomOp`, or a registered rule.  On operands
    hypothesis draws inside the domain (kinks at least 1e-3 away):

    - each local derivative agrees with the central difference
      (f(x + eps) − f(x − eps)) / 2·eps within atol + rtol·|numeric|;
    - the rule called on Values (``m=VALUE``, as ``create_graph`` calls it)
      gives the same local derivatives, so second derivatives are right too;
    - with ``reference``, the forward equals ``reference(*operands)`` to 1e-12.

    ``seed`` makes the draws repeatable; no example database is written.
    """
    prim = _primitive(op)
    names = [n for n in inspect.signature(prim.rule).parameters if n != "m"]

    @settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_operands(prim.domain or ()))  # never empty: _primitive refuses a primitive without one
    def rule_agrees_with_central_differences(args):
        _check_rule(prim, names, args, reference, eps, rtol, atol)

    if seed is not None:
        rule_agrees_with_central_differences = _seed(seed)(rule_agrees_with_central_differences)
    rule_agrees_with_central_differences()
    return True


def _primitive(op) -> CustomOp | Primitive:
    if isinstance(op, str):
        found = CUSTOM_OPS.get(op) or PRIMITIVES.get(op)
        if found is None:
            raise ValueError(
                f"check_primitive: no primitive named {op!r}; "
                f"custom: {sorted(CUSTOM_OPS)}, built-in: {sorted(PRIMITIVES)}"
            )
        op = found
    elif not isinstance(op, (CustomOp, Primitive)):
        registered: list[CustomOp | Primitive] = [*CUSTOM_OPS.values(), *PRIMITIVES.values()]
        matching = [p for p in registered if p.rule is op]
        if not matching:
            raise TypeError(
                f"check_primitive: {op!r} is not a registered rule, so it has no domain to test it on; "
                "register it with @autograd.custom_op(name, domain=[(lo, hi), ...])"
            )
        op = matching[0]
    if not op.domain:
        raise ValueError(f"check_primitive: primitive {op.name!r} declares no domain (where it is smooth)")
    return op


@st.composite
def _operands(draw, domain: Sequence[Arg]):
    """Operands inside the domain: a float per "x" or "const" operand, a list per
    "xs" or "consts" operand (every list one length); kinks at least _KINK_MARGIN away."""
    n = draw(st.integers(1, 5)) if any(arg.kind == "xs" for arg in domain) else 1
    args = []
    for arg in domain:
        x = reals(arg.lo, arg.hi)
        if arg.avoid:
            x = x.filter(_away_from(arg.avoid))
        args.append(draw(st.lists(x, min_size=n, max_size=n)) if arg.kind in ("xs", "consts") else draw(x))
    return args


def _away_from(kinks: Sequence[float]) -> Callable[[float], bool]:
    return lambda x: all(abs(x - k) > _KINK_MARGIN for k in kinks)


def _check_rule(prim, names, args, reference, eps, rtol, atol) -> None:
    rule, domain = prim.rule, prim.domain
    at = ", ".join(f"{n}={a!r}" for n, a in zip(names, args))
    out, local = rule(*args, m=FLOAT)
    if reference is not None:
        want = reference(*args)
        if not math.isclose(out, want, rel_tol=1e-12, abs_tol=1e-12):
            raise GradcheckError(f"{prim.name} at {at}: the rule's forward is {out!r}, the reference's {want!r}")
    # the differentiated operands, in the order of the local grads: (operand, element or None)
    wrt = [
        (i, j)
        for i, arg in enumerate(domain)
        if arg.kind not in ("const", "consts")
        for j in (range(len(args[i])) if arg.kind == "xs" else [None])
    ]
    if len(local) != len(wrt):
        raise GradcheckError(f"{prim.name} at {at}: the rule returned {len(local)} local grads for {len(wrt)} operands")
    on_values = [
        a if arg.kind in ("const", "consts") else [Value(x) for x in a] if arg.kind == "xs" else Value(a)
        for a, arg in zip(args, domain)
    ]
    again = rule_on_values(rule, on_values, prim.name)[1]
    for k, (i, j) in enumerate(wrt):
        name = names[i] if j is None else f"{names[i]}[{j}]"
        up, down = rule(*_moved(args, i, j, eps), m=FLOAT)[0], rule(*_moved(args, i, j, -eps), m=FLOAT)[0]
        numeric = (up - down) / (2 * eps)
        if not abs(local[k] - numeric) <= atol + rtol * abs(numeric):
            raise GradcheckError(
                f"{prim.name}: ∂out/∂{name} at {at}: the rule gives {local[k]!r}, central differences {numeric!r}"
            )
        if not math.isclose(float(again[k]), local[k], rel_tol=1e-9, abs_tol=1e-12):
            raise GradcheckError(
                f"{prim.name}: ∂out/∂{name} at {at}: the rule gives {local[k]!r} on floats but "
                f"{float(again[k])!r} on Values (m=VALUE)"
            )


def _moved(args: list, i: int, j: int | None, h: float) -> list:
    """A copy of args with operand i (element j of a list operand) moved by h."""
    out: list = [list(a) if isinstance(a, list) else a for a in args]
    if j is None:
        out[i] += h
    else:
        out[i][j] += h
    return out
