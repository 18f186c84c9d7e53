"""What the rule table (:mod:`autograd.ops`) is written with: the elementary functions on
floats (:data:`FLOAT`) and on Values (:data:`VALUE`), the stable helpers, and how a rule
registers with the domain where it is smooth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

__all__ = ["FLOAT", "VALUE", "PRIMITIVES", "Primitive", "Arg", "primitive"]


# ---------------------------------------------------------------- helpers
def _sigmoid(a: float) -> float:
    """σ(a) = 1 / (1 + e⁻ᵃ), with no exp of a large positive number."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _softplus(a: float) -> float:
    """softplus(a) = log(1 + eᵃ) = max(a, 0) + log1p(e^-|a|), finite for finite a."""
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


def _pow(a: float, b: float) -> float:
    """Python's ``a ** b`` on reals, but a finite negative base with a fractional
    exponent raises ValueError (as ``math.pow`` does) instead of going complex."""
    if a < 0.0 and math.isfinite(a) and math.isfinite(b) and not float(b).is_integer():
        raise ValueError("math domain error: a negative base needs an integer exponent")
    return a**b


def _pow_or_inf(a: float, b: float) -> float:
    """``_pow`` for a derivative: ±inf where the power overflows (the op's own
    result may be finite: ∂(a⁻¹)/∂a = −a⁻² at a = 1e-200)."""
    try:
        return _pow(a, b)
    except OverflowError:
        odd = a < 0.0 and float(b).is_integer() and float(b) % 2.0 == 1.0
        return -math.inf if odd else math.inf


def _exp2(a: float) -> float:
    """2ᵃ (``math.exp2`` is Python ≥ 3.11); OverflowError past a ≈ 1024, as ``math.exp``."""
    return math.pow(2.0, a)


def _inv_sqrt(a: float) -> float:
    """1/√a for a derivative: +inf at a = 0 (∂ arcsin at ±1, as PyTorch), not ZeroDivisionError."""
    return math.inf if a == 0.0 else 1.0 / math.sqrt(a)


class FLOAT:
    """The elementary functions on floats: a forward pass calls every rule with these."""

    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    tanh = staticmethod(math.tanh)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    tan = staticmethod(math.tan)
    sinh = staticmethod(math.sinh)
    cosh = staticmethod(math.cosh)
    arcsin = staticmethod(math.asin)
    arccos = staticmethod(math.acos)
    arctan = staticmethod(math.atan)
    arcsinh = staticmethod(math.asinh)
    arccosh = staticmethod(math.acosh)
    arctanh = staticmethod(math.atanh)
    log1p = staticmethod(math.log1p)
    expm1 = staticmethod(math.expm1)
    log2 = staticmethod(math.log2)
    log10 = staticmethod(math.log10)
    exp2 = staticmethod(_exp2)
    sigmoid = staticmethod(_sigmoid)
    softplus = staticmethod(_softplus)
    inv_sqrt = staticmethod(_inv_sqrt)
    pow = staticmethod(_pow)
    pow_or_inf = staticmethod(_pow_or_inf)
    data = staticmethod(float)  # the number an operand holds: on floats, itself


class VALUE:
    """The same functions on Values: higher order calls a rule with these, so its derivatives become graphs.

    Each is the Value method of that name (written here, beside the float
    side, so the two agree; nothing is imported: the operand is a Value).
    """

    exp = staticmethod(lambda a: a.exp())
    log = staticmethod(lambda a: a.log())
    tanh = staticmethod(lambda a: a.tanh())
    sin = staticmethod(lambda a: a.sin())
    cos = staticmethod(lambda a: a.cos())
    tan = staticmethod(lambda a: a.tan())
    sinh = staticmethod(lambda a: a.sinh())
    cosh = staticmethod(lambda a: a.cosh())
    arcsin = staticmethod(lambda a: a.arcsin())
    arccos = staticmethod(lambda a: a.arccos())
    arctan = staticmethod(lambda a: a.arctan())
    arcsinh = staticmethod(lambda a: a.arcsinh())
    arccosh = staticmethod(lambda a: a.arccosh())
    arctanh = staticmethod(lambda a: a.arctanh())
    log1p = staticmethod(lambda a: a.log1p())
    expm1 = staticmethod(lambda a: a.expm1())
    log2 = staticmethod(lambda a: a.log2())
    log10 = staticmethod(lambda a: a.log10())
    exp2 = staticmethod(lambda a: a.exp2())
    sigmoid = staticmethod(lambda a: a.sigmoid())
    softplus = staticmethod(lambda a: a.softplus())
    pow = staticmethod(lambda a, b: a**b)
    data = staticmethod(lambda a: a.data)

    @staticmethod
    def inv_sqrt(a):
        """1/√a as a graph, or +inf as a constant at a = 0 (as the float side)."""
        return type(a)(math.inf) if a.data == 0.0 else a**-0.5

    @staticmethod
    def pow_or_inf(a, b):
        """``a ** b``, or where that overflows the float side's ±inf as a constant (no finite derivative to keep)."""
        try:
            return a**b
        except OverflowError:
            return type(a)(_pow_or_inf(a.data, b))


# ---------------------------------------------------------------- registry
@dataclass(frozen=True)
class Arg:
    """How a rule's operand is drawn in the derivative tests.

    ``kind`` is ``"x"`` (a differentiated scalar), ``"xs"`` (a list of them),
    ``"const"`` (a plain number the rule is not differentiated in) or
    ``"consts"`` (a list of them, as long as the ``"xs"`` lists).
    ``avoid`` lists points where the rule is not smooth (kinks).
    """

    lo: float
    hi: float
    kind: str = "x"
    avoid: tuple[float, ...] = ()
    integer: bool = False


@dataclass(frozen=True)
class Primitive:
    name: str
    rule: Callable
    domain: tuple[Arg, ...] | None


PRIMITIVES: dict[str, Primitive] = {}


def primitive(name: str, *domain: Arg):
    """Register ``rule`` under ``name`` with the domain where it is smooth."""

    def register(rule):
        PRIMITIVES[name] = Primitive(name, rule, tuple(domain) or None)
        return rule

    return register
