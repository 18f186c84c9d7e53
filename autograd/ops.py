"""The rule table: every primitive's forward value beside its local derivatives.

A rule takes its operands and returns ``(out, local_grads)``, one local
derivative per operand.  A Value op calls its rule on floats; higher-order
differentiation calls the *same* rule on Values, with ``m=VALUE``, so the
derivatives it returns are graphs themselves.  That is why the rules write
the elementary functions as ``m.exp``, ``m.log`` ...: ``m`` is
:data:`FLOAT` (the ``math`` module and two stable helpers) or :data:`VALUE`
(the same names as Value methods), and read an operand's number as
``m.data(a)``, never ``float(a)``: on Values, ``float()`` would cut the graph.

Each rule is registered with the domain where it is smooth (the registry and
FLOAT and VALUE are in :mod:`autograd.elementary`), so the tests
can check every local derivative against central differences, and fail for
a primitive that declares none.

Composites need no rule: ``a - b`` is ``a + (-1)·b``,
``sqrt a`` is ``a ** 0.5``, ``c ** a`` is ``Value(c) ** a``.
"""

from __future__ import annotations

import math
from operator import mul as _fmul

from .elementary import FLOAT, PRIMITIVES, VALUE, Arg, Primitive, primitive

__all__ = ["FLOAT", "VALUE", "PRIMITIVES", "Primitive", "Arg"]

X = Arg(-4.0, 4.0)

# ---------------------------------------------------------------- the table
# Each rule: forward value, then ∂out/∂operand for each operand, in order.


@primitive("add", X, X)
def add(a, b, m=FLOAT):
    # out = a + b                 ∂out/∂a = 1,   ∂out/∂b = 1
    return a + b, (1.0, 1.0)


@primitive("mul", X, X)
def mul(a, b, m=FLOAT):
    # out = a·b                   ∂out/∂a = b,   ∂out/∂b = a
    return a * b, (b, a)


@primitive("div", X, Arg(0.25, 4.0))
def div(a, b, m=FLOAT):
    # out = a / b                 ∂out/∂a = 1/b,   ∂out/∂b = −a/b² = −out/b
    # (a primitive, not a·b⁻¹: that rounds twice, 49/49 ≠ 1, and overflows for tiny b)
    out = a / b
    return out, (1.0 / b, -out / b)


@primitive("pow", Arg(0.2, 4.0), Arg(-3.0, 3.0, "const"))
def pow(a, b, m=FLOAT):  # noqa: A001  (b is a plain number)
    # out = aᵇ                    ∂out/∂a = b·aᵇ⁻¹   (0 where b = 0, as PyTorch)
    out = m.pow(a, b)
    if b == 0:
        return out, (0.0,)
    if b < 1 and m.data(a) == 0.0:
        return out, (b * math.inf,)  # ∂√a/∂a at 0: infinite, with b's sign, as PyTorch
    return out, (b * m.pow_or_inf(a, b - 1),)


@primitive("powv", Arg(0.2, 4.0), Arg(-3.0, 3.0))
def powv(a, b, m=FLOAT):
    # out = aᵇ                    ∂out/∂a = b·aᵇ⁻¹,   ∂out/∂b = aᵇ·ln a
    # PyTorch's values off the smooth domain: ∂out/∂a = 0 where b = 0, ±∞ (b's sign) where a = 0
    # and b < 1; ∂out/∂b = 0 where a = 0 and b ≥ 0, −∞ where a = 0 and b < 0 (0^-∞),
    # NaN where a < 0 (ln a is undefined).
    out = m.pow(a, b)
    fa, fb = m.data(a), m.data(b)
    if fb == 0.0:
        da = 0.0
    elif fa == 0.0 and fb < 1.0:
        da = b * math.inf
    else:
        da = b * m.pow_or_inf(a, b - 1)
    if fa > 0.0:
        db = out * m.log(a)
    elif fa == 0.0:
        db = 0.0 if fb >= 0.0 else -math.inf
    else:
        db = math.nan
    return out, (da, db)


@primitive("exp", Arg(-4.0, 4.0))
def exp(a, m=FLOAT):
    # out = eᵃ                    ∂out/∂a = eᵃ = out
    out = m.exp(a)
    return out, (out,)


@primitive("log", Arg(0.05, 10.0))
def log(a, m=FLOAT):
    # out = ln a                  ∂out/∂a = 1/a
    return m.log(a), (1.0 / a,)


@primitive("tanh", X)
def tanh(a, m=FLOAT):
    # out = tanh a                ∂out/∂a = 1 − out²
    out = m.tanh(a)
    return out, (1.0 - out * out,)


@primitive("sigmoid", Arg(-8.0, 8.0))
def sigmoid(a, m=FLOAT):
    # out = σ(a) = 1/(1 + e⁻ᵃ)    ∂out/∂a = out·(1 − out)
    out = m.sigmoid(a)
    return out, (out * (1.0 - out),)


@primitive("relu", Arg(-4.0, 4.0, avoid=(0.0,)))
def relu(a, m=FLOAT):
    # out = max(a, 0)             ∂out/∂a = 1 if a > 0 else 0   (kink at 0: pick 0, as PyTorch)
    if a <= 0:
        return 0.0, (0.0,)
    return a, (1.0,)  # a > 0, or NaN: it stays NaN and passes the gradient on, as PyTorch


@primitive("leaky_relu", Arg(-4.0, 4.0, avoid=(0.0,)), Arg(0.0, 0.5, "const"))
def leaky_relu(a, slope=0.01, m=FLOAT):
    # out = a if a > 0 else s·a   ∂out/∂a = 1 if a > 0 else s   (kink at 0: pick s)
    return (a, (1.0,)) if a > 0 else (slope * a, (slope,))


@primitive("softplus", Arg(-8.0, 8.0))
def softplus(a, m=FLOAT):
    # out = ln(1 + eᵃ)            ∂out/∂a = σ(a)
    return m.softplus(a), (m.sigmoid(a),)


@primitive("abs", Arg(-4.0, 4.0, avoid=(0.0,)))
def abs_(a, m=FLOAT):
    # out = |a|                   ∂out/∂a = sign a   (kink at 0: pick 0, as PyTorch)
    return abs(a), (1.0 if a > 0 else -1.0 if a < 0 else 0.0,)


@primitive("sin", X)
def sin(a, m=FLOAT):
    # out = sin a                 ∂out/∂a = cos a
    return m.sin(a), (m.cos(a),)


@primitive("cos", X)
def cos(a, m=FLOAT):
    # out = cos a                 ∂out/∂a = −sin a
    return m.cos(a), (-m.sin(a),)


@primitive("tan", Arg(-1.4, 1.4))
def tan(a, m=FLOAT):
    # out = tan a                 ∂out/∂a = 1 + out²   (poles at ±π/2, ±3π/2 ...)
    out = m.tan(a)
    return out, (1.0 + out * out,)


@primitive("sinh", X)
def sinh(a, m=FLOAT):
    # out = sinh a                ∂out/∂a = cosh a
    return m.sinh(a), (m.cosh(a),)


@primitive("cosh", X)
def cosh(a, m=FLOAT):
    # out = cosh a                ∂out/∂a = sinh a
    return m.cosh(a), (m.sinh(a),)


@primitive("arcsin", Arg(-0.95, 0.95))
def arcsin(a, m=FLOAT):
    # out = arcsin a, |a| ≤ 1     ∂out/∂a = 1/√(1 − a²)   (+inf at a = ±1, as PyTorch)
    out = m.arcsin(a)
    return out, (m.inv_sqrt(1.0 - a * a),)


@primitive("arccos", Arg(-0.95, 0.95))
def arccos(a, m=FLOAT):
    # out = arccos a, |a| ≤ 1     ∂out/∂a = −1/√(1 − a²)   (−inf at a = ±1, as PyTorch)
    out = m.arccos(a)
    return out, (-m.inv_sqrt(1.0 - a * a),)


@primitive("arctan", X)
def arctan(a, m=FLOAT):
    # out = arctan a              ∂out/∂a = 1/(1 + a²)
    return m.arctan(a), (1.0 / (1.0 + a * a),)


@primitive("arcsinh", X)
def arcsinh(a, m=FLOAT):
    # out = arcsinh a             ∂out/∂a = 1/√(1 + a²)
    return m.arcsinh(a), (m.inv_sqrt(1.0 + a * a),)


@primitive("arccosh", Arg(1.05, 10.0))
def arccosh(a, m=FLOAT):
    # out = arccosh a, a ≥ 1      ∂out/∂a = 1/√(a² − 1) = 1/(√(a − 1)·√(a + 1))   (+inf at 1)
    # (the product form: a² − 1 loses the digits of a − 1 near 1)
    out = m.arccosh(a)
    return out, (m.inv_sqrt((a - 1.0) * (a + 1.0)),)


@primitive("arctanh", Arg(-0.95, 0.95))
def arctanh(a, m=FLOAT):
    # out = arctanh a, |a| < 1    ∂out/∂a = 1/(1 − a²)
    return m.arctanh(a), (1.0 / ((1.0 - a) * (1.0 + a)),)


@primitive("log1p", Arg(-0.95, 10.0))
def log1p(a, m=FLOAT):
    # out = ln(1 + a), a > −1     ∂out/∂a = 1/(1 + a)   (exact for tiny a, where ln(1 + a) rounds)
    return m.log1p(a), (1.0 / (1.0 + a),)


@primitive("expm1", X)
def expm1(a, m=FLOAT):
    # out = eᵃ − 1                ∂out/∂a = eᵃ   (not out + 1: that loses eᵃ for a ≪ 0)
    return m.expm1(a), (m.exp(a),)


@primitive("log2", Arg(0.05, 10.0))
def log2(a, m=FLOAT):
    # out = log₂ a, a > 0         ∂out/∂a = 1/(a·ln 2)   (exact on powers of 2: log₂ 8 = 3)
    return m.log2(a), (1.0 / (a * _LN2),)


@primitive("log10", Arg(0.05, 10.0))
def log10(a, m=FLOAT):
    # out = log₁₀ a, a > 0        ∂out/∂a = 1/(a·ln 10)
    return m.log10(a), (1.0 / (a * _LN10),)


@primitive("exp2", X)
def exp2(a, m=FLOAT):
    # out = 2ᵃ                    ∂out/∂a = 2ᵃ·ln 2 = out·ln 2
    out = m.exp2(a)
    return out, (out * _LN2,)


@primitive("sign", Arg(-4.0, 4.0, avoid=(0.0,)))
def sign(a, m=FLOAT):
    # out = sign a ∈ {−1, 0, 1}   ∂out/∂a = 0   (a jump at 0: 0 there too, as PyTorch)
    return (1.0 if a > 0 else -1.0 if a < 0 else a * 0.0), (0.0,)  # sign(0) = 0, sign(NaN) = NaN


_LN2, _LN10 = math.log(2.0), math.log(10.0)

# Fused n-ary primitives: one node instead of a chain, for speed and for
# drawings a person can read.


@primitive("sum", Arg(-4.0, 4.0, "xs"))
def sum_(xs, m=FLOAT):
    # out = Σᵢ xᵢ                 ∂out/∂xᵢ = 1
    return sum(xs, 0.0), (1.0,) * len(xs)


@primitive("dot", Arg(-4.0, 4.0, "xs"), Arg(-4.0, 4.0, "xs"), X)
def dot(ws, xs, b=None, m=FLOAT):
    # out = b + Σᵢ wᵢ·xᵢ          ∂out/∂wᵢ = xᵢ,  ∂out/∂xᵢ = wᵢ,  ∂out/∂b = 1
    # (summed from b, left to right, as micrograd's Neuron does)
    if b is None:
        return sum(map(_fmul, ws, xs), 0.0), (*xs, *ws)
    return sum(map(_fmul, ws, xs), b), (*xs, *ws, 1.0)


@primitive("dotc", Arg(-4.0, 4.0, "xs"), Arg(-4.0, 4.0, "consts"), X)
def dotc(ws, cs, b, m=FLOAT):
    # out = b + Σᵢ wᵢ·cᵢ with numbers cᵢ    ∂out/∂wᵢ = cᵢ,  ∂out/∂b = 1
    # (a neuron reading data: the cᵢ are constants, with no node and no gradient,
    # as a tensor without requires_grad in PyTorch; the local grads are constants too)
    return sum(map(_fmul, ws, cs), b), (*cs, 1.0)


@primitive("logsumexp", Arg(-30.0, 30.0, "xs"))
def logsumexp(xs, m=FLOAT):
    # out = ln Σᵢ e^xᵢ = c + ln Σᵢ e^(xᵢ−c) with c = max x (no exp overflows)
    # ∂out/∂xᵢ = e^(xᵢ − out) = softmax(x)ᵢ
    data = [m.data(x) for x in xs]
    c = math.nan if any(d != d for d in data) else max(data)
    # a NaN anywhere, or an infinite max, is the result itself; its derivatives e^(x − out) are
    # then 0 for the finite xᵢ and NaN for the others, as PyTorch
    out = c + m.log(sum([m.exp(x - c) for x in xs])) if math.isfinite(c) else c
    return out, tuple([m.exp(x - out) for x in xs])
