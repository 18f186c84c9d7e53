"""Every primitive in the rule table: forward against an independent reference,
local derivatives against central differences over its smooth domain."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import ops
from autograd.ops import PRIMITIVES
from autograd.testing import reals

# Independent forwards: no primitive may be added without one.
REFERENCE = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
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
    "sum": math.fsum,
    "dot": lambda ws, xs, b: b + math.fsum(w * x for w, x in zip(ws, xs)),
    "logsumexp": lambda xs: math.log(math.fsum(math.exp(x) for x in xs)),
}

H = 1e-6


def test_every_primitive_declares_a_domain():
    missing = [name for name, p in PRIMITIVES.items() if p.domain is None]
    assert not missing, f"primitives with no declared domain (add one to @primitive): {missing}"


def test_every_primitive_has_a_reference_forward():
    assert set(PRIMITIVES) == set(REFERENCE)


def test_the_table_holds_the_primitives_the_engine_promises():
    promised = {"add", "mul", "pow", "powv", "exp", "log", "tanh", "sigmoid", "relu", "leaky_relu",
                "softplus", "abs", "sin", "cos", "sum", "dot", "logsumexp"}
    assert promised <= set(PRIMITIVES)


def _draw_args(data, domain):
    """Operands inside the domain; all list operands share one length."""
    n = data.draw(st.integers(1, 5), label="length")
    args = []
    for arg in domain:
        scalar = reals(arg.lo, arg.hi)
        if arg.kind == "xs":
            xs = data.draw(st.lists(scalar, min_size=n, max_size=n))
            for x in xs:
                assume(all(abs(x - k) > 1e-3 for k in arg.avoid))
            args.append(xs)
        else:
            x = data.draw(scalar)
            assume(all(abs(x - k) > 1e-3 for k in arg.avoid))
            args.append(x)
    return args


def _perturb(args, domain, i, j, h):
    """A copy of args with operand i (element j of a list operand) moved by h."""
    out = [list(a) if isinstance(a, list) else a for a in args]
    if domain[i].kind == "xs":
        out[i][j] += h
    else:
        out[i] += h
    return out


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_forward_matches_reference(name, data):
    prim = PRIMITIVES[name]
    args = _draw_args(data, prim.domain)
    out, _ = prim.rule(*args)
    assert out == pytest.approx(REFERENCE[name](*args), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_local_grads_match_central_differences(name, data):
    prim = PRIMITIVES[name]
    args = _draw_args(data, prim.domain)
    _, local = prim.rule(*args)
    # local grads come in operand order, a list operand giving one per element
    k = 0
    for i, arg in enumerate(prim.domain):
        for j in range(len(args[i]) if arg.kind == "xs" else 1):
            if arg.kind != "const":
                up = prim.rule(*_perturb(args, prim.domain, i, j, H))[0]
                down = prim.rule(*_perturb(args, prim.domain, i, j, -H))[0]
                numeric = (up - down) / (2 * H)
                assert local[k] == pytest.approx(numeric, rel=1e-5, abs=1e-6), (name, i, j, args)
            k += arg.kind != "const"
    assert k == len(local)


def test_a_rule_with_a_wrong_derivative_fails_the_check():
    """The check above can fail: a tanh rule with ∂ = 1 - out is caught."""

    def bad_tanh(a, m=ops.FLOAT):
        out = math.tanh(a)
        return out, (1.0 - out,)

    a = 0.7
    numeric = (bad_tanh(a + H)[0] - bad_tanh(a - H)[0]) / (2 * H)
    assert bad_tanh(a)[1][0] != pytest.approx(numeric, rel=1e-5, abs=1e-6)
