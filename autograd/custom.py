"""Your own primitive: a rule in the form of :mod:`autograd.ops`, made into an op.

::

    from autograd import custom_op
    from autograd.ops import FLOAT

    @custom_op("swish", domain=[(-30.0, 30.0)])
    def swish(a, m=FLOAT):
        # out = a·σ(a)        ∂out/∂a = σ(a)·(1 + a·(1 − σ(a)))
        s = m.sigmoid(a)
        return a * s, (s * (1.0 + a * (1.0 - s)),)

    y = swish(x)            # one node, op "swish", parent x

The rule takes its operands (scalars) and ``m``, and returns the forward
value and one local derivative per operand.  ``domain`` gives, per operand,
the interval where the rule is smooth: a ``(lo, hi)`` pair, or an
:class:`autograd.ops.Arg` to name kinks to stay away from
(``Arg(-4, 4, avoid=(0.0,))``).  ``autograd.testing.check_primitive`` tests
the rule over it.

``m`` is how one rule serves two purposes.  A forward pass calls the rule on
floats with ``m=FLOAT``.  A higher-order gradient (``create_graph=True``,
``hessian``, ``hvp``) calls it again on the node's parents, which are
Values, with ``m=VALUE``, so that the local derivatives come back as graphs.
So write the elementary functions as ``m.exp``, ``m.log``, ``m.tanh``,
``m.sin``, ``m.cos``, ``m.sigmoid``, ``m.softplus``, ``m.pow``, never
``math.exp``, and branch with comparisons (``a > 0``), never ``float(a)``.
Read an operand's number as ``m.data(a)``.  ``+ - * / **``, ``abs`` and
comparisons work on both.  A rule that does use ``math.*`` or ``float(a)``
still gives correct first derivatives, and raises a TypeError naming the op
if it is differentiated twice (rather than a wrong number): while any rule
runs on Values, built-in or custom, ``float()`` of a Value is refused (in
that thread only).

Custom ops live in their own registry, :data:`CUSTOM_OPS`, apart from the
built-in table :data:`autograd.ops.PRIMITIVES`, and describe themselves in
:data:`autograd.opinfo.OPS` (for higher order, drawing and stepping).  Registering a name again
replaces the op (re-running a notebook cell); a built-in op's name is
refused.
"""

from __future__ import annotations

import inspect
from typing import Callable, Sequence

from . import opinfo
from .fast import make_node
from .fused import as_values
from .operands import show as _show
from .opinfo import OPS, OpInfo, _parents
from .ops import FLOAT, PRIMITIVES, Arg
from .value import _ARITH_ERRORS, Operand, Value

__all__ = ["custom_op", "CustomOp", "CUSTOM_OPS"]


class CustomOp:
    """A user's primitive: call it on Values or numbers to make one node.

    ``name``, ``rule`` and ``domain`` (a tuple of :class:`Arg`, one per
    operand) are those of :class:`autograd.ops.Primitive`, so the same
    tests apply to both.
    """

    def __init__(self, name: str, rule: Callable, domain: tuple[Arg, ...]) -> None:
        self.name = name
        self.rule = rule
        self.domain = domain
        self.__name__ = getattr(rule, "__name__", name)
        self.__doc__ = rule.__doc__

    def __call__(self, *operands: Operand) -> Value:
        if len(operands) != len(self.domain):
            raise TypeError(f"{self.name}: takes {len(self.domain)} operand(s), got {len(operands)}")
        parents = as_values(operands, f"{self.name}(operands)")
        try:
            out, local = self.rule(*[p.data for p in parents], m=FLOAT)
        except _ARITH_ERRORS as e:
            raise type(e)(f"{self.name}({', '.join(map(_show, parents))}): {e}") from None
        try:
            out, local = float(out), tuple(map(float, local))
        except TypeError:
            raise TypeError(
                f"{self.name}: the rule must return (out, local_grads) as real numbers, got {(out, local)!r}"
            ) from None
        if len(local) != len(parents):
            raise ValueError(f"{self.name}: the rule returned {len(local)} local grads for {len(parents)} operand(s)")
        return make_node(out, parents, local, self.name)

    def __repr__(self) -> str:
        spans = ", ".join(f"({a.lo!r}, {a.hi!r})" for a in self.domain)
        return f"<custom op {self.name!r}, domain [{spans}]>"


CUSTOM_OPS: dict[str, CustomOp] = {}


def custom_op(name: str, domain: Sequence[tuple[float, float] | Arg]) -> Callable[[Callable], CustomOp]:
    """Decorator: the rule ``rule(a, ..., m=FLOAT) -> (out, local_grads)`` as an op
    named ``name``, smooth on ``domain`` (one ``(lo, hi)`` or :class:`Arg` per
    operand).  Returns a :class:`CustomOp`; see the module docstring."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"custom_op(name): expected a non-empty str, got {name!r}")
    if name not in CUSTOM_OPS and (name in PRIMITIVES or name in OPS or name[0] == "*"):
        raise ValueError(f"custom_op: {name!r} is a built-in op's name; choose another")
    args = tuple(_arg(d, name) for d in domain)

    def register(rule: Callable) -> CustomOp:
        params = inspect.signature(rule).parameters
        if "m" not in params:
            raise TypeError(f"custom_op {name!r}: the rule needs a parameter m (def rule(a, m=FLOAT))")
        operands = [p for p in params.values() if p.name != "m"]
        if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in operands):
            raise TypeError(f"custom_op {name!r}: the rule's operands must be named positional parameters")
        if len(operands) != len(args):
            raise ValueError(
                f"custom_op {name!r}: the domain has {len(args)} entries, the rule {len(operands)} operand(s)"
            )
        op = CustomOp(name, rule, args)
        CUSTOM_OPS[name] = op
        opinfo.register(name, OpInfo(rule, _parents, symbol=name))
        return op

    return register


def _arg(d, name: str) -> Arg:
    if isinstance(d, Arg):
        if d.kind != "x":
            raise ValueError(f"custom_op {name!r}: operands are scalars (Arg kind 'x'), got kind {d.kind!r}")
        return d
    try:
        lo, hi = d
    except (TypeError, ValueError):
        raise TypeError(f"custom_op {name!r}: each domain entry is (lo, hi) or an Arg, got {d!r}") from None
    if not lo < hi:
        raise ValueError(f"custom_op {name!r}: a domain interval needs lo < hi, got ({lo!r}, {hi!r})")
    return Arg(float(lo), float(hi))
