"""Higher-order gradients: create_graph=True, hessian, hvp (autograd/higher.py)."""

from __future__ import annotations

import gc
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, hessian, hvp, no_grad, opinfo
from autograd.higher import value_local_grads
from autograd.ops import PRIMITIVES
from autograd.value import make_node

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sigmoid(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def close(a: float, b: float, rtol: float, atol: float) -> bool:
    return abs(a - b) <= atol + rtol * abs(b)


def assert_matrix_close(got, want, rtol, atol, what):
    assert len(got) == len(want)
    for i, (row, wrow) in enumerate(zip(got, want)):
        assert len(row) == len(wrow)
        for j, (g, w) in enumerate(zip(row, wrow)):
            assert close(g, w, rtol, atol), f"{what}[{i}][{j}]: {g!r} != {w!r}"


# ---------------------------------------------------------------- every primitive
# name → (f(*Values) from the flat inputs and the constant, analytic Hessian
# from the flat floats and the constant).  A primitive missing here fails
# test_every_primitive_has_a_second_derivative_case.
def _zeros(n):
    return [[0.0] * n for _ in range(n)]


def _diag(d):
    return [[d[i] if i == j else 0.0 for j in range(len(d))] for i in range(len(d))]


def _dot_hessian(n_pairs: int, bias: bool):
    h = _zeros(2 * n_pairs + bias)
    for i in range(n_pairs):
        h[i][n_pairs + i] = h[n_pairs + i][i] = 1.0
    return h


def _powv_hessian(a, b):
    ab = a**b
    return [
        [b * (b - 1) * a ** (b - 2), a ** (b - 1) * (1 + b * math.log(a))],
        [a ** (b - 1) * (1 + b * math.log(a)), ab * math.log(a) ** 2],
    ]


def _lse_hessian(xs):
    c = max(xs)
    z = sum(math.exp(x - c) for x in xs)
    p = [math.exp(x - c) / z for x in xs]
    return [[(p[i] if i == j else 0.0) - p[i] * p[j] for j in range(len(xs))] for i in range(len(xs))]


SECOND = {
    "add": (lambda c: lambda a, b: a + b, lambda c, a, b: _zeros(2)),
    "mul": (lambda c: lambda a, b: a * b, lambda c, a, b: [[0.0, 1.0], [1.0, 0.0]]),
    "div": (lambda c: lambda a, b: a / b, lambda c, a, b: [[0.0, -1 / b**2], [-1 / b**2, 2 * a / b**3]]),
    "pow": (lambda c: lambda a: a**c, lambda c, a: [[c * (c - 1) * a ** (c - 2)]]),
    "powv": (lambda c: lambda a, b: a**b, lambda c, a, b: _powv_hessian(a, b)),
    "exp": (lambda c: lambda a: a.exp(), lambda c, a: [[math.exp(a)]]),
    "log": (lambda c: lambda a: a.log(), lambda c, a: [[-1.0 / a**2]]),
    "tanh": (lambda c: lambda a: a.tanh(), lambda c, a: [[-2 * math.tanh(a) * (1 - math.tanh(a) ** 2)]]),
    "sigmoid": (
        lambda c: lambda a: a.sigmoid(),
        lambda c, a: [[sigmoid(a) * (1 - sigmoid(a)) * (1 - 2 * sigmoid(a))]],
    ),
    "relu": (lambda c: lambda a: a.relu(), lambda c, a: [[0.0]]),
    "leaky_relu": (lambda c: lambda a: a.leaky_relu(c), lambda c, a: [[0.0]]),
    "softplus": (lambda c: lambda a: a.softplus(), lambda c, a: [[sigmoid(a) * (1 - sigmoid(a))]]),
    "abs": (lambda c: lambda a: abs(a), lambda c, a: [[0.0]]),
    "sin": (lambda c: lambda a: a.sin(), lambda c, a: [[-math.sin(a)]]),
    "cos": (lambda c: lambda a: a.cos(), lambda c, a: [[-math.cos(a)]]),
    "tan": (lambda c: lambda a: a.tan(), lambda c, a: [[2 * math.tan(a) * (1 + math.tan(a) ** 2)]]),
    "sinh": (lambda c: lambda a: a.sinh(), lambda c, a: [[math.sinh(a)]]),
    "cosh": (lambda c: lambda a: a.cosh(), lambda c, a: [[math.cosh(a)]]),
    "arcsin": (lambda c: lambda a: a.arcsin(), lambda c, a: [[a / (1 - a * a) ** 1.5]]),
    "arccos": (lambda c: lambda a: a.arccos(), lambda c, a: [[-a / (1 - a * a) ** 1.5]]),
    "arctan": (lambda c: lambda a: a.arctan(), lambda c, a: [[-2 * a / (1 + a * a) ** 2]]),
    "arcsinh": (lambda c: lambda a: a.arcsinh(), lambda c, a: [[-a / (1 + a * a) ** 1.5]]),
    "arccosh": (lambda c: lambda a: a.arccosh(), lambda c, a: [[-a / (a * a - 1) ** 1.5]]),
    "arctanh": (lambda c: lambda a: a.arctanh(), lambda c, a: [[2 * a / (1 - a * a) ** 2]]),
    "log1p": (lambda c: lambda a: a.log1p(), lambda c, a: [[-1 / (1 + a) ** 2]]),
    "expm1": (lambda c: lambda a: a.expm1(), lambda c, a: [[math.exp(a)]]),
    "log2": (lambda c: lambda a: a.log2(), lambda c, a: [[-1 / (a * a * math.log(2))]]),
    "log10": (lambda c: lambda a: a.log10(), lambda c, a: [[-1 / (a * a * math.log(10))]]),
    "exp2": (lambda c: lambda a: a.exp2(), lambda c, a: [[2**a * math.log(2) ** 2]]),
    "sign": (lambda c: lambda a: a.sign(), lambda c, a: [[0.0]]),
    "sum": (lambda c: lambda *xs: autograd.sum(xs), lambda c, *xs: _zeros(len(xs))),
    "dot": (
        lambda c: lambda *v: autograd.dot(v[: c[0]], v[c[0] : 2 * c[0]], v[-1] if c[1] else None),
        lambda c, *v: _dot_hessian(*c),
    ),
    "dotc": (lambda c: lambda *v: autograd.dot(v[:-1], c, v[-1]), lambda c, *v: _zeros(len(v))),
    "logsumexp": (lambda c: lambda *xs: autograd.logsumexp(xs), lambda c, *xs: _lse_hessian(xs)),
}


def _scalar(data, arg):
    if arg.integer:
        return data.draw(st.integers(math.ceil(arg.lo), math.floor(arg.hi)))
    x = data.draw(st.floats(arg.lo, arg.hi))
    for k in arg.avoid:  # stay off kinks by more than the difference step
        if abs(x - k) < 0.05:
            x = k + 0.05 if x >= k else k - 0.05
    return x


def draw_case(name: str, data):
    """Flat float inputs, the constant (exponent, slope, dot's shape) and
    the Value function f(*inputs) for primitive ``name``, in its domain."""
    domain = PRIMITIVES[name].domain
    flat, const = [], None
    if name == "dot":
        n = data.draw(st.integers(1, 3))
        bias = data.draw(st.booleans())
        flat = [_scalar(data, domain[0]) for _ in range(2 * n)] + ([_scalar(data, domain[2])] if bias else [])
        const = (n, bias)
    elif name == "dotc":  # the Values (weights, then the bias) are differentiated, the numbers are constants
        n = data.draw(st.integers(1, 3))
        flat = [_scalar(data, domain[0]) for _ in range(n)] + [_scalar(data, domain[2])]
        const = [_scalar(data, domain[1]) for _ in range(n)]
    else:
        for arg in domain:
            if arg.kind == "const":
                const = _scalar(data, arg)
            elif arg.kind == "xs":
                flat += [_scalar(data, arg) for _ in range(data.draw(st.integers(1, 4)))]
            else:
                flat.append(_scalar(data, arg))
    if name == "powv" and flat[1] == 0.0:
        flat[1] = 0.5  # b = 0 exactly is PyTorch's convention point: see test_powv_at_exponent_zero
    return flat, const, SECOND[name][0](const)


def central_hessian(f, xs, h=1e-5):
    """Column j: (∇f(x + h·eⱼ) − ∇f(x − h·eⱼ)) / 2h, from first derivatives."""
    n = len(xs)
    cols = []
    for j in range(n):
        step = h * max(1.0, abs(xs[j]))
        up = [Value(x + step if i == j else x) for i, x in enumerate(xs)]
        down = [Value(x - step if i == j else x) for i, x in enumerate(xs)]
        gu, gd = grad(f(*up), up), grad(f(*down), down)
        cols.append([(u - d) / (2 * step) for u, d in zip(gu, gd)])
    return [[cols[j][i] for j in range(n)] for i in range(n)]


def test_every_primitive_has_a_second_derivative_case():
    assert set(SECOND) == set(PRIMITIVES)


def test_every_primitive_can_be_differentiated_again():
    # a new primitive must say how its rule is re-called (or that its local grads are constant)
    rules = {info.rule for info in opinfo.OPS.values()}
    missing = [p.name for p in PRIMITIVES.values() if p.rule not in rules]
    assert not missing


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
@SETTINGS
@given(data=st.data())
def test_second_derivative_of_each_primitive(name, data):
    flat, const, f = draw_case(name, data)
    got = hessian(f, flat)
    assert_matrix_close(got, SECOND[name][1](const, *flat), 1e-9, 1e-12, f"{name} analytic")
    assert_matrix_close(got, central_hessian(f, flat), 1e-5, 1e-6, f"{name} central differences")


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_value_local_grads_are_the_float_ones(name, data):
    # one rule serves both paths: re-called on Values it gives the same numbers
    flat, const, f = draw_case(name, data)
    out = f(*[Value(x) for x in flat])
    again = value_local_grads(out)
    assert len(again) == len(out.local_grads)
    for v, stored in zip(again, out.local_grads):
        assert float(v) == pytest.approx(stored, rel=1e-14, abs=1e-300)


# ---------------------------------------------------------------- any order
def nth_derivative(f, x0: float, n: int) -> float:
    x = Value(x0)
    g = f(x)
    for _ in range(n):
        g = grad(g, x, create_graph=True)
    return g.data


@given(st.floats(-3.0, 3.0))
@settings(max_examples=100, deadline=None)
def test_third_derivative_of_tanh(x):
    t = math.tanh(x)
    assert nth_derivative(Value.tanh, x, 3) == pytest.approx((1 - t * t) * (6 * t * t - 2), rel=1e-10, abs=1e-12)


def test_third_derivative_of_tanh_matches_pytorch():
    torch = pytest.importorskip("torch")
    for x0 in (-2.0, -0.3, 0.0, 0.7, 1.9):
        x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        g = torch.tanh(x)
        for _ in range(3):
            (g,) = torch.autograd.grad(g, x, create_graph=True)
        assert nth_derivative(Value.tanh, x0, 3) == pytest.approx(g.item(), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("n", range(7))
def test_nth_derivatives_of_sin_exp_and_a_polynomial(n):
    x0 = 0.4
    assert nth_derivative(Value.sin, x0, n) == pytest.approx(math.sin(x0 + n * math.pi / 2), rel=1e-12, abs=1e-14)
    assert nth_derivative(Value.exp, x0, n) == pytest.approx(math.exp(x0), rel=1e-12)
    # x⁴: 4x³, 12x², 24x, 24, 0, 0 ...
    want = [x0**4, 4 * x0**3, 12 * x0**2, 24 * x0, 24.0, 0.0, 0.0][n]
    assert nth_derivative(lambda x: x**4, x0, n) == pytest.approx(want, rel=1e-12)


# ---------------------------------------------------------------- random expression graphs
# A local generator (autograd.testing may replace it): each step applies an
# op, drawn among those whose domain holds the operands' current values, to
# earlier nodes (shared subexpressions and repeated operands allowed).  The
# program is replayed in the engine and in PyTorch.
def _bias(v):
    return v[-1] if len(v) % 2 else None


# name → (engine function, which operand values are in its smooth domain; None: n-ary, any)
OPS = {
    "tanh": (lambda a: a.tanh(), lambda a: True),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: True),
    "softplus": (lambda a: a.softplus(), lambda a: abs(a) < 20),
    "sin": (lambda a: a.sin(), lambda a: True),
    "cos": (lambda a: a.cos(), lambda a: True),
    "exp": (lambda a: a.exp(), lambda a: a < 3),
    "log": (lambda a: a.log(), lambda a: a > 0.1),
    "sqrt": (lambda a: a.sqrt(), lambda a: a > 0.1),
    "square": (lambda a: a**2, lambda a: True),
    "cube": (lambda a: a**3, lambda a: True),
    "recip": (lambda a: 1.0 / a, lambda a: abs(a) > 0.2),
    "neg": (lambda a: -a, lambda a: True),
    "relu": (lambda a: a.relu(), lambda a: abs(a) > 1e-3),
    "abs": (lambda a: abs(a), lambda a: abs(a) > 1e-3),
    "leaky_relu": (lambda a: a.leaky_relu(0.1), lambda a: abs(a) > 1e-3),
    "scale": (lambda a: 0.7 * a + 0.3, lambda a: True),
    "add": (lambda a, b: a + b, lambda a, b: True),
    "sub": (lambda a, b: a - b, lambda a, b: True),
    "mul": (lambda a, b: a * b, lambda a, b: True),
    "div": (lambda a, b: a / b, lambda a, b: abs(b) > 0.2),
    "powv": (lambda a, b: a**b, lambda a, b: a > 0.1 and abs(b) < 3),
    "sum": (lambda *xs: autograd.sum(xs), None),
    "dot": (lambda *v: autograd.dot(v[: len(v) // 2], v[len(v) // 2 : len(v) // 2 * 2], _bias(v)), None),
    "logsumexp": (lambda *xs: autograd.logsumexp(xs), None),
}


def _torch_ops(torch):
    F = torch.nn.functional

    def stack(xs):
        return torch.stack(list(xs))

    def tdot(*v):
        n = len(v) // 2
        out = (stack(v[:n]) * stack(v[n : 2 * n])).sum()
        return out + v[-1] if len(v) % 2 else out

    return {
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softplus": F.softplus,
        "sin": torch.sin,
        "cos": torch.cos,
        "exp": torch.exp,
        "log": torch.log,
        "sqrt": lambda a: a**0.5,
        "square": lambda a: a**2,
        "cube": lambda a: a**3,
        "recip": lambda a: 1.0 / a,
        "neg": lambda a: -a,
        "relu": torch.relu,
        "abs": torch.abs,
        "leaky_relu": lambda a: F.leaky_relu(a, 0.1),
        "scale": lambda a: 0.7 * a + 0.3,
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "powv": lambda a, b: a**b,
        "sum": lambda *xs: stack(xs).sum(),
        "dot": tdot,
        "logsumexp": lambda *xs: torch.logsumexp(stack(xs), 0),
    }


@st.composite
def programs(draw):
    """(inputs, program): 2–3 inputs, 1–8 steps, each (op, operand indices)."""
    n = draw(st.integers(2, 3))
    xs = [draw(st.floats(-2.0, 2.0)) for _ in range(n)]
    with no_grad():
        values = [Value(x) for x in xs]
        program = []
        for _ in range(draw(st.integers(1, 8))):
            name = draw(st.sampled_from(sorted(OPS)))
            fn, ok = OPS[name]
            arity = fn.__code__.co_argcount
            if ok is None:  # n-ary
                k = draw(st.integers(2, 3))
                arity = 2 * k + draw(st.integers(0, 1)) if name == "dot" else k
            idx = [draw(st.integers(0, len(values) - 1)) for _ in range(arity)]
            # prefer recent nodes, so graphs get deep rather than wide
            if draw(st.booleans()):
                idx[0] = len(values) - 1
            args = [values[i] for i in idx]
            out = None
            if ok is None or ok(*[a.data for a in args]):
                try:
                    out = fn(*args)
                except (ValueError, ZeroDivisionError, OverflowError):
                    out = None
            if out is None or not abs(out.data) < 100.0:
                name, idx = "tanh", idx[:1]
                out = values[idx[0]].tanh()
            program.append((name, tuple(idx)))
            values.append(out)
    return xs, program


def replay(program, inputs, table):
    nodes = list(inputs)
    for name, idx in program:
        fn = table[name]
        fn = fn[0] if isinstance(fn, tuple) else fn
        nodes.append(fn(*[nodes[i] for i in idx]))
    return nodes[-1]


def engine_f(program):
    return lambda *xs: replay(program, xs, OPS)


@given(programs())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_hessian_of_random_graphs_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    xs, program = case
    table = _torch_ops(torch)
    want = torch.autograd.functional.hessian(
        lambda t: replay(program, [t[i] for i in range(len(xs))], table), torch.tensor(xs, dtype=torch.float64)
    ).tolist()
    assert_matrix_close(hessian(engine_f(program), xs), want, 1e-8, 1e-8, f"H of {program}")


@given(programs(), st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_hvp_is_hessian_times_v(case, v):
    xs, program = case
    v = v[: len(xs)]
    h = hessian(engine_f(program), xs)
    want = [sum(hij * vj for hij, vj in zip(row, v)) for row in h]
    got = hvp(engine_f(program), xs, v)
    assert len(got) == len(xs)
    for g, w in zip(got, want):
        assert close(g, w, 1e-9, 1e-9)


@given(programs())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_gradient_values_hold_the_float_gradients(case):
    xs, program = case
    leaves = [Value(x) for x in xs]
    out = engine_f(program)(*leaves)
    as_values = grad(out, leaves, create_graph=True)
    assert all(isinstance(g, Value) for g in as_values)
    assert [g.data for g in as_values] == pytest.approx(grad(out, leaves), rel=1e-12, abs=1e-300)


# ---------------------------------------------------------------- semantics
def test_grad_create_graph_mirrors_grad_signature():
    x, y, unused = Value(2.0), Value(3.0), Value(5.0)
    out = x * x * y
    gx = grad(out, x, create_graph=True)
    assert isinstance(gx, Value) and gx.data == 12.0  # 2xy
    gs = grad(out, [x, y, unused], create_graph=True)
    assert isinstance(gs, list) and [g.data for g in gs] == [12.0, 4.0, 0.0]
    assert gs[2].parents == ()  # a constant: nothing to differentiate
    assert grad(gs[2], x) == 0.0
    assert grad(gx, [x, y]) == [6.0, 4.0]  # ∂(2xy)/∂x = 2y, ∂(2xy)/∂y = 2x
    assert x.grad == y.grad == 0.0  # grad touches no .grad


def test_gradient_of_a_sum_is_a_constant_value():
    x, y = Value(1.0), Value(2.0)
    gx = grad(x + 3.0 * y, [x, y], create_graph=True)
    assert [g.data for g in gx] == [1.0, 3.0] and all(g.parents == () for g in gx)


def test_second_derivative_through_relu_and_abs_is_zero():
    x = Value(1.5)
    for f in (Value.relu, abs, lambda v: v.leaky_relu(0.2), lambda v: 3.0 * v):
        g = grad(f(x), x, create_graph=True)
        assert grad(g, x) == 0.0
    # relu(x)·x = x² for x > 0
    g = grad(x.relu() * x, x, create_graph=True)
    assert g.data == 3.0 and grad(g, x) == 2.0


def test_backward_create_graph_sets_leaf_grads_as_values():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    h = x * y
    out = h * x  # x²y
    out.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 12.0
    assert isinstance(y.grad, Value) and y.grad.data == 4.0
    assert h.grad == 2.0 and type(h.grad) is float  # interior nodes: the float, as after backward()
    assert grad(x.grad, [x, y]) == [6.0, 4.0]
    out.backward(create_graph=True)  # leaves accumulate, as Values
    assert isinstance(x.grad, Value) and x.grad.data == 24.0
    assert grad(x.grad, x) == 12.0
    x.grad = y.grad = 0.0  # the reset
    out.backward()
    assert (x.grad, y.grad) == (12.0, 4.0)


def test_normal_backward_after_create_graph_without_reset_accumulates():
    x = Value(2.0)
    out = x**3
    out.backward(create_graph=True)
    out.backward()
    assert x.grad.data == 24.0  # 12 (a Value) + 12


def test_differentiate_a_leaf_grad_with_backward():
    # PyTorch's pattern: backward(create_graph=True), then backward the grad
    x = Value(0.5)
    x.tanh().backward(create_graph=True)
    g, x.grad = x.grad, 0.0
    g.backward()
    t = math.tanh(0.5)
    assert x.grad == pytest.approx(-2 * t * (1 - t * t), rel=1e-14)


def test_backward_create_graph_with_a_value_seed():
    x, s = Value(3.0), Value(2.0)
    (x * x).backward(s, create_graph=True)
    assert x.grad.data == 12.0
    assert grad(x.grad, [x, s]) == [4.0, 6.0]  # ∂(2xs)/∂x, ∂(2xs)/∂s


def test_backward_create_graph_on_a_leaf():
    x = Value(1.0)
    x.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 1.0


def test_deep_chain_second_derivative():
    x = Value(0.3)
    y = x
    for _ in range(5000):
        y = y + 0.001 * x * x  # y = x + 5x²
    g = grad(y, x, create_graph=True)
    assert g.data == pytest.approx(1 + 10 * 0.3, rel=1e-9)
    assert grad(g, x) == pytest.approx(10.0, rel=1e-9)


def test_grad_create_graph_makes_no_reference_cycle():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        g = grad((x * x).tanh() * x, x, create_graph=True)
        assert grad(g, x) != 0.0
        del x, g
        assert gc.collect() == 0  # everything was freed by reference counting alone
    finally:
        gc.enable()


def test_hessian_of_a_known_function():
    # f = x²y + e^{xy}
    f = lambda x, y: x * x * y + (x * y).exp()  # noqa: E731
    x, y = 1.0, 0.5
    e = math.exp(x * y)
    want = [[2 * y + y * y * e, 2 * x + e * (1 + x * y)], [2 * x + e * (1 + x * y), x * x * e]]
    assert_matrix_close(hessian(f, [x, y]), want, 1e-14, 1e-14, "H")
    assert_matrix_close(hessian(f, [Value(x), Value(y)]), want, 1e-14, 1e-14, "H from Values")
    assert hvp(f, [x, y], [1.0, 0.0]) == pytest.approx([want[0][0], want[1][0]], rel=1e-14)


def test_powv_at_exponent_zero_follows_pytorch():
    # ∂(aᵇ)/∂a is set to 0 where b = 0 (as PyTorch, which masks it), so its
    # derivative in b is 0 there too: the Hessian is asymmetric at that point,
    # exactly as torch.autograd.functional.hessian gives it.
    h = hessian(lambda a, b: a**b, [1.5, 0.0])
    assert h == [[0.0, 0.0], [pytest.approx(1 / 1.5, rel=1e-14), pytest.approx(math.log(1.5) ** 2, rel=1e-14)]]


def test_hessian_leaves_the_inputs_alone():
    x = Value(2.0)
    assert hessian(lambda a: a**3, [x]) == [[12.0]]
    assert x.grad == 0.0 and x.data == 2.0


def test_hessian_and_hvp_argument_errors():
    with pytest.raises(TypeError, match="f must return a Value"):
        hessian(lambda a: 1.0, [1.0])
    with pytest.raises(TypeError, match=r"hessian\(inputs\)\[1\]"):
        hessian(lambda a, b: a * b, [1.0, "2"])
    with pytest.raises(ValueError, match="v has length 1, inputs 2"):
        hvp(lambda a, b: a * b, [1.0, 2.0], [1.0])


def test_an_op_with_no_rule_cannot_be_differentiated_again():
    x = Value(1.0)
    odd = make_node(2.0, (x,), (0.5,), "mystery")
    with pytest.raises(NotImplementedError, match="mystery"):
        grad(odd, x, create_graph=True)


def test_create_graph_inside_no_grad_still_records_the_gradients_graph():
    x = Value(2.0)
    y = x**3
    with no_grad():  # as PyTorch: create_graph=True records the gradient's graph even here
        g = grad(y, x, create_graph=True)
        assert g.data == 12.0 and g.parents
        assert grad(g, x) == 12.0
        assert hessian(lambda a, b: a * a * b + b**3, [1.0, 2.0]) == [[4.0, 2.0], [2.0, 12.0]]
        assert hvp(lambda a, b: a * a * b + b**3, [1.0, 2.0], [1.0, 0.0]) == [4.0, 2.0]
