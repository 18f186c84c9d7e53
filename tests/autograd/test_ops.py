"""Every primitive in the rule table: forward against an independent reference,
local derivatives against central differences over its smooth domain."""

import math

import pytest

from autograd import GradcheckError, ops
from autograd.ops import PRIMITIVES
from autograd.testing import check_primitive

# Independent forwards: no primitive may be added without one.
REFERENCE = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: math.pow(a, b),
    "powv": lambda a, b: math.pow(a, b),
    "exp": math.exp,
    "log": math.log,
    "tanh": lambda a: (math.exp(2 * a) - 1) / (math.exp(2 * a) + 1),
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
    "leaky_relu": lambda a, s: a if a > 0 else s * a,
    "softplus": lambda a: math.log(1 + math.exp(a)),
    "abs": abs,
    "sin": math.sin,
    "cos": math.cos,
    "tan": lambda a: math.sin(a) / math.cos(a),
    "sinh": lambda a: (math.exp(a) - math.exp(-a)) / 2,
    "cosh": lambda a: (math.exp(a) + math.exp(-a)) / 2,
    "arcsin": lambda a: math.atan2(a, math.sqrt(1 - a * a)),
    "arccos": lambda a: math.atan2(math.sqrt(1 - a * a), a),
    "arctan": lambda a: math.asin(a / math.sqrt(1 + a * a)),
    "arcsinh": lambda a: math.copysign(math.log(abs(a) + math.sqrt(a * a + 1)), a),
    "arccosh": lambda a: math.log(a + math.sqrt(a * a - 1)),
    "arctanh": lambda a: 0.5 * math.log((1 + a) / (1 - a)),
    "log1p": lambda a: math.log(1 + a),
    "expm1": lambda a: math.exp(a) - 1,
    "log2": lambda a: math.log(a) / math.log(2),
    "log10": lambda a: math.log(a) / math.log(10),
    "exp2": lambda a: 2.0**a,
    "sign": lambda a: 0.0 if a == 0 else math.copysign(1.0, a),
    "sum": math.fsum,
    "dot": lambda ws, xs, b: b + math.fsum(w * x for w, x in zip(ws, xs)),
    "dotc": lambda ws, cs, b: b + math.fsum(w * c for w, c in zip(ws, cs)),
    "logsumexp": lambda xs: math.log(math.fsum(math.exp(x) for x in xs)),
}


def test_every_primitive_declares_a_domain():
    missing = [name for name, p in PRIMITIVES.items() if p.domain is None]
    assert not missing, f"primitives with no declared domain (add one to @primitive): {missing}"


def test_every_primitive_has_a_reference_forward():
    assert set(PRIMITIVES) == set(REFERENCE)


def test_the_table_holds_the_primitives_the_engine_promises():
    promised = {"add", "mul", "pow", "powv", "exp", "log", "tanh", "sigmoid", "relu", "leaky_relu",
                "softplus", "abs", "sin", "cos", "sum", "dot", "logsumexp",
                "tan", "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
                "log1p", "expm1", "log2", "log10", "exp2", "sign"}
    assert promised <= set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_rule_matches_reference_and_central_differences(name):
    # the library's own check (autograd.testing.check_primitive): forward against
    # the reference, local grads against central differences, and the rule on
    # Values (as create_graph calls it) against the rule on floats
    assert check_primitive(name, reference=REFERENCE[name], max_examples=60)


def test_a_rule_with_a_wrong_derivative_fails_the_check():
    """The check above can fail: a tanh rule with ∂ = 1 - out is caught."""

    def bad_tanh(a, m=ops.FLOAT):
        out = m.tanh(a)
        return out, (1.0 - out,)

    with pytest.raises(GradcheckError, match=r"bad_tanh: ∂out/∂a at a=.*central differences"):
        check_primitive(ops.Primitive("bad_tanh", bad_tanh, (ops.X,)), seed=0)


def test_a_wrong_reference_fails_the_check():
    with pytest.raises(GradcheckError, match="the reference's"):
        check_primitive("exp", reference=lambda a: math.exp(a) * (1 + 1e-9), seed=0)
