"""nn.course.check: right, wrong with a hint, not attempted; never a traceback."""

import math

import pytest

from autograd import custom_op
from autograd.ops import FLOAT
from nn.course import EXERCISES, check


def said(capsys, *args, **kwargs) -> str:
    check(*args, **kwargs)
    return capsys.readouterr().out


@pytest.mark.parametrize("placeholder", [..., None])
def test_a_placeholder_is_not_attempted(capsys, placeholder):
    assert "not attempted yet" in said(capsys, "01.dL_dc", placeholder)


def test_a_function_still_returning_the_placeholder_is_not_attempted(capsys):
    def g_prime(x):
        return ...

    out = said(capsys, "01.g_prime", g_prime)
    assert "not attempted yet" in out and "✗" not in out


def test_a_right_number_and_a_known_wrong_one(capsys):
    t = math.tanh(-1.5)
    assert said(capsys, "01.dL_dc", 2 * (1 - t * t)) == "01.dL_dc: ✓ right\n"
    out = said(capsys, "01.dL_dc", 1 - t * t)
    assert out.startswith("01.dL_dc: ✗ not yet: ") and "∂L/∂t = a = 2" in out


def test_the_equals_bug_explains_what_breaks(capsys):
    t = math.tanh(-1.5)
    out = said(capsys, "01.grad_a_with_equals", t + 2 * (1 - t * t) * -1)  # the += answer
    assert "✗ not yet" in out and "overwrites" in out
    assert "✓ right" in said(capsys, "01.grad_a_with_equals", 2 * (1 - t * t) * -1)


def test_a_derivative_is_checked_at_several_points(capsys):
    assert "✓ right" in said(capsys, "01.g_prime", lambda x: math.cos(x) * x**2 + 2 * x * math.sin(x))
    out = said(capsys, "01.g_prime", lambda x: math.cos(x) * 2 * x)
    assert "✗ not yet: at x = -2" in out and "product" in out


def test_a_student_function_that_raises_is_a_hint_not_a_traceback(capsys):
    out = said(capsys, "02.sigmoid_prime", lambda z: 1 / 0)
    assert "✗ not yet: your answer raised ZeroDivisionError" in out


def test_a_matrix_gradient_names_its_shape_and_the_missing_mean(capsys):
    assert "✓ right" in said(capsys, "03.dW2", lambda dZ2, A1, m: dZ2 @ A1.T / m)
    assert "should be (1, 3)" in said(capsys, "03.dW2", lambda dZ2, A1, m: A1 @ dZ2.T / m)
    assert "divide the sum" in said(capsys, "03.dW2", lambda dZ2, A1, m: dZ2 @ A1.T)


def test_the_naive_double_count_is_what_the_naive_pass_leaves(capsys):
    assert said(capsys, "01.naive_double_count", 27) == "01.naive_double_count: ✓ right\n"
    assert "counted twice" in said(capsys, "01.naive_double_count", 18)  # the right gradient, not the naive one
    assert "first visit" in said(capsys, "01.naive_double_count", 9)


def test_the_work_count_names_the_method_a_wrong_count_belongs_to(capsys):
    assert "✓ right" in said(capsys, "01.central_evaluations", 2000)
    assert "forward differences" in said(capsys, "01.central_evaluations", 1001)
    assert "forward mode" in said(capsys, "01.central_evaluations", 1000)
    assert "reverse mode" in said(capsys, "01.central_evaluations", 1)


def test_delta1_is_per_observation_and_has_no_mean(capsys):
    assert "✓ right" in said(capsys, "03.delta1", lambda W2, delta2, A1: (W2.T @ delta2) * (1 - A1**2))
    assert "no 1/m" in said(capsys, "03.delta1", lambda W2, delta2, A1: (W2.T @ delta2) * (1 - A1**2) / 5)
    assert "1 − A1²" in said(capsys, "03.delta1", lambda W2, delta2, A1: W2.T @ delta2)


def test_the_rmse_gradient_is_checked_against_the_engine(capsys):
    import numpy as np

    def right(Y_hat, Y):
        return (Y_hat - Y) / (Y.shape[1] * np.sqrt(np.mean((Y_hat - Y) ** 2)))

    assert said(capsys, "03.rmse_grad", right) == "03.rmse_grad: ✓ right\n"
    assert "gradient of ½·MSE" in said(capsys, "03.rmse_grad", lambda Y_hat, Y: (Y_hat - Y) / Y.shape[1])
    assert "δ2 = m·∂J/∂Ŷ" in said(capsys, "03.rmse_grad", lambda Y_hat, Y: right(Y_hat, Y) * Y.shape[1])
    assert "not attempted yet" in said(capsys, "03.rmse_grad", lambda Y_hat, Y: ...)


def test_one_layer_backward_names_the_equation_that_is_wrong(capsys):
    def make(dW_mean=True, db_mean=True, dA_over_m=False):
        def layer_backward(dZ, A_prev, W):
            m = dZ.shape[1]
            dW = dZ @ A_prev.T / (m if dW_mean else 1)
            db = dZ.mean(axis=1, keepdims=True) if db_mean else dZ.sum(axis=1, keepdims=True)
            return dW, db, W.T @ dZ / (m if dA_over_m else 1)
        return layer_backward

    assert "✓ right" in said(capsys, "05.layer_backward", make())
    assert "divide dZ·A_prevᵀ by m" in said(capsys, "05.layer_backward", make(dW_mean=False))
    assert "the mean, not the sum" in said(capsys, "05.layer_backward", make(db_mean=False))
    assert "dA_prev has no 1/m" in said(capsys, "05.layer_backward", make(dA_over_m=True))
    assert "should be (3, 4)" in said(capsys, "05.layer_backward", lambda dZ, A, W: (A @ dZ.T, 0, 0))
    assert "not attempted" in said(capsys, "05.layer_backward", lambda dZ, A, W: (..., ..., ...))


def test_a_momentum_step_names_the_usual_mistakes(capsys):
    assert "✓ right" in said(capsys, "06.momentum_step", lambda p, b, g, lr, mu: (p - lr * (mu * b + g), mu * b + g))
    assert "plain SGD step" in said(capsys, "06.momentum_step", lambda p, b, g, lr, mu: (p - lr * g, mu * b + g))
    assert "running average" in said(capsys, "06.momentum_step",
                                     lambda p, b, g, lr, mu: (p - lr * (mu * b + (1 - mu) * g), mu * b + (1 - mu) * g))
    assert "update the buffer first" in said(capsys, "06.momentum_step",
                                             lambda p, b, g, lr, mu: (p - lr * b, mu * b + g))


def test_the_forgotten_zero_grad_is_named(capsys):
    def without_zero_grad(model, x, target, lr):
        ((model(x) - target) ** 2).backward()
        for p in model.parameters():
            p.data -= lr * p.grad

    def right(model, x, target, lr):
        model.zero_grad()
        without_zero_grad(model, x, target, lr)

    assert "✓ right" in said(capsys, "04.train_step", right)
    out = said(capsys, "04.train_step", without_zero_grad)
    assert "✗ not yet" in out and "model.zero_grad()" in out
    assert "zero_grad" in said(capsys, "02.without_zero_grad", 1)

    def unwritten(model, x, target, lr):
        ...

    assert "not attempted yet" in said(capsys, "04.train_step", unwritten)


def test_a_broken_rule_is_caught_by_check_primitive_with_a_hint(capsys):
    @custom_op("test_course_times", domain=[(-5.0, 5.0), (-5.0, 5.0)])
    def times(a, b, m=FLOAT):
        return a * b, (a, b)

    out = said(capsys, "07.fixed_times", times)
    assert "✗ not yet: " in out and "multiply swaps" in out and "check_primitive found: test_course_times" in out

    @custom_op("test_course_times", domain=[(-5.0, 5.0), (-5.0, 5.0)])
    def times_fixed(a, b, m=FLOAT):
        return a * b, (b, a)

    assert "✓ right" in said(capsys, "07.fixed_times", times_fixed)
    assert "give the op" in said(capsys, "07.fixed_times", 3)


def test_the_gradient_checking_predictions_name_the_usual_mistakes(capsys):
    assert "✓ right" in said(capsys, "07.rel_error", abs(0.25 - 0.2505) / 0.2505)
    assert "absolute difference" in said(capsys, "07.rel_error", 0.0005)
    assert "percentage" in said(capsys, "07.rel_error", 0.2)
    assert "✓ right" in said(capsys, "07.relu_kink", 0.5)
    assert "engine's convention" in said(capsys, "07.relu_kink", 0)
    assert "✓ right" in said(capsys, "07.sigmoid_max_slope", 1 / 4)
    assert "tanh's largest slope" in said(capsys, "07.sigmoid_max_slope", 1)
    assert "not attempted yet" in said(capsys, "07.sigmoid_max_slope", ...)


def test_context_from_the_notebook(capsys):
    assert "✓ right" in said(capsys, "09.initial_loss", math.log(27), vocab_size=27)
    assert "✗ not yet" in said(capsys, "09.initial_loss", 27, vocab_size=27)


def test_an_unknown_exercise_and_a_non_number(capsys):
    assert "no exercise 'nope'" in said(capsys, "nope", 1)
    assert "give a number" in said(capsys, "06.initial_loss", "two")


def test_every_exercise_is_in_a_notebook():
    import json
    import os

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    text = "".join(open(os.path.join(root, "notebooks", f), encoding="utf-8").read()
                   for f in os.listdir(os.path.join(root, "notebooks")) if f.endswith(".ipynb"))
    assert [n for n in EXERCISES if json.dumps(n) not in text.replace('\\"', '"')] == []


# ---------------------------------------------------------------- 00: the student's own engine
class Tiny:
    """A micrograd-style Value, with switches for the classic mistakes."""

    equals = False  # = instead of += in add
    wrong_tanh = False
    naive_backward = False

    def __init__(self, data, prev=()):
        self.data, self.grad, self._prev, self._backward = float(data), 0.0, tuple(prev), lambda: None

    def _acc(self, node, g):
        if type(self).equals:
            node.grad = g
        else:
            node.grad += g

    def __add__(self, other):
        out = type(self)(self.data + other.data, (self, other))

        def _backward():
            self._acc(self, out.grad)
            self._acc(other, out.grad)

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = type(self)(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = type(self)(t, (self,))

        def _backward():
            self.grad += (1 - (self.data**2 if type(self).wrong_tanh else t * t)) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        if type(self).naive_backward:  # recursion without an order: a shared node passes on too early
            self.grad = 1.0
            stack = [self]
            while stack:
                node = stack.pop()
                node._backward()
                stack.extend(node._prev)
            return
        order, seen = [], set()

        def visit(n):
            if n not in seen:
                seen.add(n)
                for p in n._prev:
                    visit(p)
                order.append(n)

        visit(self)
        self.grad = 1.0
        for n in reversed(order):
            n._backward()


def variant(**switches):
    return type("Variant", (Tiny,), switches)


def test_a_right_engine_passes_every_check(capsys):
    for name in ("00.add", "00.mul", "00.tanh", "00.backward"):
        assert said(capsys, name, Tiny) == f"{name}: ✓ right\n"


def test_equals_instead_of_plus_equals_is_named(capsys):
    out = said(capsys, "00.add", variant(equals=True))
    assert "✗ not yet" in out and "+=, never =" in out


def test_a_wrong_tanh_rule_is_named_by_the_op_check(capsys):
    assert "1 − tanh(a)²" in said(capsys, "00.tanh", variant(wrong_tanh=True))
    assert "first tanh (above)" in said(capsys, "00.backward", variant(wrong_tanh=True))


def test_a_backward_without_a_topological_order_gets_a_shrunk_counterexample(capsys):
    out = said(capsys, "00.backward", variant(naive_backward=True))
    assert "✗ not yet: on this graph (shrunk by hypothesis)" in out and "Expression over 3 inputs" in out
    assert "topological order" in out


def test_an_unwritten_engine_is_not_attempted(capsys):
    class Blank(Tiny):
        def __add__(self, other):
            return None

    assert "not attempted yet" in said(capsys, "00.add", Blank)
    assert "not attempted yet" in said(capsys, "00.backward", Blank)
