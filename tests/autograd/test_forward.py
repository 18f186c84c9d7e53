"""Forward mode: jvp(f, inputs, tangents) = (f(x), J·v) from the rule table, against PyTorch's torch.func.jvp."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, grad, jvp
from autograd.testing import expressions
from tests.autograd.test_graphs import _torch_ops


def test_jvp_of_a_small_function_by_hand():
    # f(x, y) = x·y + sin x: J·v = (y + cos x)·v₀ + x·v₁
    value, tangent = jvp(lambda x, y: x * y + x.sin(), [0.5, 2.0], [1.0, -3.0])
    assert value == 0.5 * 2.0 + math.sin(0.5)
    assert tangent == pytest.approx((2.0 + math.cos(0.5)) * 1.0 + 0.5 * -3.0, rel=1e-15)


def test_a_unit_tangent_gives_one_column_of_the_gradient():
    f = lambda a, b, c: (a * b).tanh() + c.exp() * a  # noqa: E731
    xs = [0.3, -1.1, 0.4]
    leaves = [Value(x) for x in xs]
    want = grad(f(*leaves), leaves)
    for i in range(3):
        _, t = jvp(f, xs, [1.0 if j == i else 0.0 for j in range(3)])
        assert t == pytest.approx(want[i], rel=1e-14)


def test_several_outputs_and_values_as_inputs():
    x = Value(2.0, "x")
    values, tangents = jvp(lambda x: [x * x, x.log(), Value(7.0)], [x], [0.5])
    assert values == [4.0, math.log(2.0), 7.0]
    assert tangents == [2.0, 0.25, 0.0]
    assert x.grad == 0.0  # inputs are read, never modified


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="tangents"):
        jvp(lambda x: x, [1.0], [1.0, 2.0])
    with pytest.raises(TypeError, match="must return a Value"):
        jvp(lambda x: 3.0, [1.0], [1.0])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(3), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_jvp_matches_torch_func_jvp_float64(expr, v):
    torch = pytest.importorskip("torch")
    xs = [x.data for x in expr.inputs]
    value, tangent = jvp(expr, xs, v)
    ops = _torch_ops()
    t_value, t_tangent = torch.func.jvp(
        lambda *ts: expr(*ts, ops=ops),
        tuple(torch.tensor(x, dtype=torch.float64) for x in xs),
        tuple(torch.tensor(c, dtype=torch.float64) for c in v),
    )
    assert value == pytest.approx(t_value.item(), rel=1e-9, abs=1e-12)
    assert tangent == pytest.approx(t_tangent.item(), rel=1e-8, abs=1e-10)
