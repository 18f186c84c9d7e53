"""Random expression graphs end to end: gradcheck, and PyTorch in float64."""

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import Value, grad, gradcheck
from autograd.testing import expressions

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(expressions(3))
def test_random_graphs_pass_gradcheck(expr):
    assert gradcheck(expr, expr.inputs)


@SETTINGS
@given(expressions(2, max_ops=20))
def test_backward_and_grad_agree(expr):
    out = expr.value
    for x in expr.inputs:
        x.grad = 0.0
    via_grad = grad(out, list(expr.inputs))
    out.backward()
    assert [x.grad for x in expr.inputs] == via_grad


torch = None


def _torch_ops():
    import torch
    import torch.nn.functional as F

    t = torch
    return {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "pow": lambda a, b: a**b,
        "addc": lambda a, c: a + c,
        "mulc": lambda a, c: a * c,
        "rsubc": lambda a, c: c - a,
        "rdivc": lambda a, c: c / a,
        "powc": lambda a, c: a**c,
        "rpowc": lambda a, c: c**a,
        "neg": lambda a: -a,
        "exp": t.exp,
        "log": t.log,
        "tanh": t.tanh,
        "sigmoid": t.sigmoid,
        "relu": t.relu,
        "leaky_relu": lambda a: F.leaky_relu(a, 0.01),
        "softplus": F.softplus,
        "abs": t.abs,
        "sin": t.sin,
        "cos": t.cos,
        "sqrt": t.sqrt,
        "tan": t.tan,
        "sinh": t.sinh,
        "cosh": t.cosh,
        "arcsin": t.asin,
        "arccos": t.acos,
        "arctan": t.atan,
        "arcsinh": t.asinh,
        "arccosh": t.acosh,
        "arctanh": t.atanh,
        "log1p": t.log1p,
        "expm1": t.expm1,
        "log2": t.log2,
        "log10": t.log10,
        "exp2": t.exp2,
        "sign": t.sign,
        "sum": lambda xs: t.stack(xs).sum(),
        "dot": lambda ws, xs: (t.stack(ws) * t.stack(xs)).sum(),
        "logsumexp": lambda xs: t.logsumexp(t.stack(xs), 0),
    }


@SETTINGS
@given(expressions(3))
def test_random_graphs_match_pytorch_float64(expr):
    torch = pytest.importorskip("torch")
    xs = [torch.tensor(x.data, dtype=torch.float64, requires_grad=True) for x in expr.inputs]
    out_t = expr(*xs, ops=_torch_ops())
    ours = expr.value
    assert ours.data == pytest.approx(out_t.item(), rel=1e-9, abs=1e-12)
    if not out_t.requires_grad:  # output does not depend on any input
        return
    torch_grads = torch.autograd.grad(out_t, xs, allow_unused=True)
    our_grads = grad(ours, list(expr.inputs))
    for g_ours, g_t in zip(our_grads, torch_grads):
        expected = 0.0 if g_t is None else g_t.item()
        assert g_ours == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("base, exponent", [(-2.0, 2.0), (-2.0, 3.0), (0.0, 2.0), (0.0, 0.0), (0.0, 0.5), (2.0, 0.0)])
def test_pow_off_the_smooth_domain_matches_pytorch(base, exponent):
    torch = pytest.importorskip("torch")
    a, b = Value(base), Value(exponent)
    (a**b).backward()
    ta = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(exponent, dtype=torch.float64, requires_grad=True)
    (ta**tb).backward()
    for ours, theirs in ((a.grad, ta.grad.item()), (b.grad, tb.grad.item())):
        assert ours == pytest.approx(theirs, nan_ok=True)
