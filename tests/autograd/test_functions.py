"""The functions added to the rule table (tan … sign): PyTorch float64 agreement, math's errors, drawing."""

import math

import pytest

import autograd
from autograd import Value, backward_steps, grad

NEW = ["tan", "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
       "log1p", "expm1", "log2", "log10", "exp2", "sign"]
TORCH_NAME = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
              "arccosh": "acosh", "arctanh": "atanh"}
# points inside each domain, with its edges and awkward spots (tiny arguments, domain ends, 0 for sign)
POINTS = {
    "tan": [-1.5, -0.3, 0.0, 1e-9, 1.2],
    "sinh": [-5.0, -1e-8, 0.0, 0.7, 20.0],
    "cosh": [-5.0, 0.0, 0.7, 20.0],
    "arcsin": [-1.0, -0.5, 0.0, 1e-9, 0.99, 1.0],
    "arccos": [-1.0, -0.5, 0.0, 0.99, 1.0],
    "arctan": [-50.0, -0.5, 0.0, 2.0, 1e10],
    "arcsinh": [-50.0, -1e-9, 0.0, 0.5, 1e6],
    "arccosh": [1.0, 1.0 + 1e-12, 1.5, 30.0],
    "arctanh": [-0.999, -0.5, 0.0, 1e-9, 0.9],
    "log1p": [-0.999, -1e-12, 0.0, 1e-15, 3.0, 1e6],
    "expm1": [-40.0, -1e-12, 0.0, 1e-15, 3.0],
    "log2": [1e-10, 0.5, 8.0, 1e6],
    "log10": [1e-10, 0.5, 1000.0],
    "exp2": [-30.0, -0.5, 0.0, 10.0],
    "sign": [-3.0, -0.0, 0.0, 2.0],
}


def test_every_new_function_is_a_primitive_with_a_method():
    for name in NEW:
        assert name in autograd.ops.PRIMITIVES
        assert Value(0.5 if name != "arccosh" else 2.0).__getattribute__(name)().op == name


@pytest.mark.parametrize("name", NEW)
def test_value_and_gradient_match_pytorch_float64(name):
    torch = pytest.importorskip("torch")
    for x0 in POINTS[name]:
        x = Value(x0)
        y = getattr(x, name)()
        y.backward()
        t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        ty = getattr(torch, TORCH_NAME.get(name, name))(t)
        ty.backward()
        assert y.data == pytest.approx(ty.item(), rel=1e-14, abs=1e-300), f"{name}({x0!r})"
        if name == "expm1" and x0 < -37:  # PyTorch's ∂ is out + 1 = 0.0 there; ours eᵃ (a documented difference)
            assert t.grad.item() == 0.0 and x.grad == math.exp(x0)
            continue
        # rel 1e-11: at arccosh(1 + 1e-12) PyTorch's √(a² − 1) is off by 2.5e-13 (ours is exact, see below)
        assert x.grad == pytest.approx(t.grad.item(), rel=1e-11, abs=1e-300), f"∂{name}({x0!r})"


@pytest.mark.parametrize("name, x, error", [
    ("arcsin", 1.5, ValueError), ("arccos", -1.01, ValueError), ("arccosh", 0.5, ValueError),
    ("arctanh", 1.0, ValueError), ("log1p", -1.0, ValueError), ("log2", 0.0, ValueError),
    ("log10", -2.0, ValueError), ("tan", math.inf, ValueError), ("sinh", 800.0, OverflowError),
    ("cosh", -800.0, OverflowError), ("expm1", 710.0, OverflowError), ("exp2", 1025.0, OverflowError),
])
def test_errors_follow_python_math_and_name_the_op_and_operand(name, x, error):
    math_name = {"arcsin": "asin", "arccos": "acos", "arccosh": "acosh", "arctanh": "atanh"}.get(name, name)
    if hasattr(math, math_name):  # Python's own math raises the same error there
        with pytest.raises(error):
            getattr(math, math_name)(x)
    with pytest.raises(error, match=rf"^{name}\(x={x!r}\): math"):
        getattr(Value(x, "x"), name)()


def test_the_stable_forms_keep_their_digits():
    assert Value(1e-20).log1p().data == 1e-20  # ln(1 + 1e-20) would be 0
    assert Value(1e-20).expm1().data == 1e-20
    assert Value(8.0).log2().data == 3.0
    assert Value(1000.0).log10().data == 3.0
    x = Value(-40.0)
    x.expm1().backward()
    assert x.grad == math.exp(-40.0)  # eᵃ, not out + 1 (which is 0 here)
    x = Value(1.0 + 1e-12)
    x.arccosh().backward()
    assert x.grad == 707075.3521795856  # 1/√((a−1)(a+1)), correctly rounded (40-digit decimal)


@pytest.mark.parametrize("name", NEW)
def test_each_is_drawn_stepped_and_differentiated_twice(name):
    x = Value(2.0 if name == "arccosh" else 0.5, "x")
    y = getattr(x, name)()
    y.label = "y"
    assert f"{name}" in autograd.draw_dot(y).source
    steps = backward_steps(y)
    assert len(steps) >= 1
    g = grad(y, x, create_graph=True)
    assert isinstance(g, Value)
    assert grad(y, x) == pytest.approx(g.data, rel=1e-15)
