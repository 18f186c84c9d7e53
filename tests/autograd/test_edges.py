"""Edge values where a silent wrong number is easy, each as PyTorch float64 gives it."""

import copy
import math
import pickle
import threading

import pytest

from autograd import Value, grad, gradcheck, logsumexp, no_grad
from autograd.ops import relu as relu_rule

INF, NAN = math.inf, math.nan


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@pytest.mark.parametrize(
    "xs, out, grads",
    [
        ([-INF, NAN], NAN, [NAN, NAN]),
        ([NAN, -INF], NAN, [NAN, NAN]),
        ([1.0, INF], INF, [0.0, NAN]),
        ([800.0, INF], INF, [0.0, NAN]),
        ([-INF, -INF], -INF, [NAN, NAN]),
        ([INF, INF], INF, [NAN, NAN]),
        ([0.0, 0.0], math.log(2.0), [0.5, 0.5]),
    ],
)
def test_logsumexp_at_infinities_and_nan_is_pytorchs(xs, out, grads):
    vs = [Value(x) for x in xs]
    y = logsumexp(vs)
    y.backward()
    assert same(y.data, out)
    assert all(same(v.grad, g) for v, g in zip(vs, grads)), [v.grad for v in vs]


def test_relu_of_nan_passes_the_gradient_on_as_pytorch():
    x = Value(NAN)
    y = x.relu()
    y.backward()
    assert math.isnan(y.data) and x.grad == 1.0
    assert relu_rule(NAN)[1] == (1.0,)


def test_zero_to_the_minus_infinity_with_a_value_exponent():
    a, b = Value(0.0), Value(-INF)
    y = a**b
    y.backward()
    assert (y.data, a.grad, b.grad) == (INF, -INF, -INF)


def test_minus_infinity_to_a_fractional_power_follows_python():
    x = Value(-INF)
    y = x**0.5
    y.backward()
    assert y.data == INF == (-INF) ** 0.5 and x.grad == 0.0


def test_gradcheck_refuses_a_zero_or_negative_step():
    for eps in (0, 0.0, -1e-6):
        with pytest.raises(ValueError, match="eps"):
            gradcheck(lambda a: a * a, [1.0], eps=eps)


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_copying_a_deep_chain_needs_no_recursion(how):
    x = Value(0.5, "x")
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    c = copy.deepcopy(y) if how == "deepcopy" else pickle.loads(pickle.dumps(y))
    assert c is not y and c.data == y.data and c.op == y.op
    leaf = c
    depth = 0
    while leaf.parents:
        leaf = leaf.parents[0]
        depth += 1
    assert depth == 200_000 and leaf.label == "x" and leaf is not x
    c.backward()
    assert leaf.grad == 1.0


def test_a_copied_graph_keeps_shared_nodes_shared():
    a = Value(2.0, "a")
    b = a * a + a
    c = copy.deepcopy(b)
    leaves = [p for node in (c, *c.parents) for p in node.parents if not p.parents]
    assert len({id(p) for p in leaves}) == 1 and grad(c, leaves[0]) == 5.0


def test_threads_in_no_grad_and_hessians_leave_training_recording():
    from autograd import custom_op, hessian
    from autograd.ops import FLOAT
    from nn import MLP, predict

    @custom_op("cube_for_stress", domain=[(-2.0, 2.0)])
    def cube(a, m=FLOAT):
        return a * a * a, (3.0 * a * a,)

    model = MLP(2, [4, 1], seed=0)
    stop = threading.Event()
    errors = []

    def predicting():
        try:
            while not stop.is_set():
                predict(model, [[0.1, 0.2], [0.3, -0.4]])
                with no_grad():
                    Value(1.0) * 2.0
        except Exception as e:  # reported below
            errors.append(e)

    def hessians():
        try:
            while not stop.is_set():
                assert hessian(lambda v: cube(v), [1.5]) == [[9.0]]
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=predicting) for _ in range(2)] + [threading.Thread(target=hessians)]
    for t in threads:
        t.start()
    try:
        for _ in range(300):
            out = model([0.5, -0.5])
            model.zero_grad()
            out.backward()
            assert out.parents, "a training step built no graph"
            assert any(p.grad != 0.0 for p in model.parameters())
            assert float(Value(2.5)) == 2.5
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors




def _wide():
    from hypothesis import strategies as st

    finite = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)
    return st.lists(st.one_of(finite, st.sampled_from([INF, -INF, NAN, 0.0, -0.0, 1e16])), min_size=1, max_size=6)


def test_logsumexp_agrees_with_torch_float64_over_wide_ranges():
    torch = pytest.importorskip("torch")
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_wide())
    def check(xs):
        vs = [Value(x) for x in xs]
        y = logsumexp(vs)
        y.backward()
        t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
        ty = torch.logsumexp(t, 0)
        ty.backward()
        want, grads = ty.item(), t.grad.tolist()
        assert same(y.data, want) or math.isclose(y.data, want, rel_tol=1e-12), (xs, y.data, want)
        for v, g in zip(vs, grads):
            assert same(v.grad, g) or math.isclose(v.grad, g, rel_tol=1e-9, abs_tol=1e-300), (xs, v.grad, g)

    check()
