"""A hypothesis state machine drives the engine: random graphs, backward (again and again), grad,
zero_grad, no_grad blocks and parameter updates, in random orders; every grad is checked against a
deliberately naive reference engine written here (recursive, one formula per op, no rule table)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from autograd import Value, grad, no_grad

# ---------------------------------------------------------------- the naive reference
# A node is ("leaf", n) or (op, children, the children's values when it was built): derivatives read
# the values the node was built from, as the engine's stored local grads do (a later update of a
# leaf changes only nodes built after it).


def local(ref, k: int) -> float:
    """∂ref/∂(its k-th child), from the formula, at the values it was built from."""
    op, _, vals = ref
    a = vals[0]
    b = vals[1] if len(vals) > 1 else None
    if op == "add":
        return 1.0
    if op == "sub":
        return 1.0 if k == 0 else -1.0
    if op == "mul":
        return b if k == 0 else a
    if op == "tanh":
        return 1.0 - math.tanh(a) ** 2
    if op == "sin":
        return math.cos(a)
    if op == "exp":
        return math.exp(a)
    if op == "square":
        return 2.0 * a
    raise AssertionError(op)


def derivative(ref, target) -> float:
    """∂ref/∂target by recursion over every path (exponential, and that is the point: no cleverness)."""
    if ref is target:
        return 1.0
    if ref[0] == "leaf":
        return 0.0
    return sum(local(ref, k) * derivative(child, target) for k, child in enumerate(ref[1]))


def depends(ref, target) -> bool:
    return ref is target or (ref[0] != "leaf" and any(depends(c, target) for c in ref[1]))


FORWARD = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "tanh": lambda a: a.tanh(),
    "sin": lambda a: a.sin(),
    "exp": lambda a: a.exp(),
    "square": lambda a: a**2,
}
UNARY = ["tanh", "sin", "exp", "square"]
BINARY = ["add", "sub", "mul"]
MAX_DEPTH = 7


class EngineAgainstNaiveReference(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.nodes: list[tuple[Value, tuple, int]] = []  # (engine node, reference node, depth)
        self.expected: dict[int, float] = {}  # id(engine node) → the grad it must hold

    def _add(self, v: Value, ref, depth: int) -> None:
        self.nodes.append((v, ref, depth))
        self.expected[id(v)] = 0.0

    def _leaves(self):
        return [(v, ref) for v, ref, _ in self.nodes if ref[0] == "leaf"]

    @rule(x=st.floats(-2.0, 2.0))
    def new_parameter(self, x):
        self._add(Value(x), ("leaf", len(self.nodes)), 0)  # a new object: nodes are matched by identity

    @precondition(lambda self: self.nodes)
    @rule(op=st.sampled_from(UNARY), i=st.integers(0, 10**6))
    def unary(self, op, i):
        a, ra, d = self.nodes[i % len(self.nodes)]
        if d >= MAX_DEPTH or (op == "exp" and a.data > 3) or (op == "square" and abs(a.data) > 30):
            return
        self._add(FORWARD[op](a), (op, (ra,), (a.data,)), d + 1)

    @precondition(lambda self: self.nodes)
    @rule(op=st.sampled_from(BINARY), i=st.integers(0, 10**6), j=st.integers(0, 10**6))
    def binary(self, op, i, j):
        (a, ra, da), (b, rb, db) = self.nodes[i % len(self.nodes)], self.nodes[j % len(self.nodes)]
        if max(da, db) >= MAX_DEPTH or (op == "mul" and abs(a.data * b.data) > 1e3):
            return
        self._add(FORWARD[op](a, b), (op, (ra, rb), (a.data, b.data)), max(da, db) + 1)

    @precondition(lambda self: self.nodes)
    @rule(op=st.sampled_from(UNARY), i=st.integers(0, 10**6))
    def op_inside_no_grad(self, op, i):
        a, _, _ = self.nodes[i % len(self.nodes)]
        if (op == "exp" and a.data > 3) or (op == "square" and abs(a.data) > 30):
            return
        with no_grad():
            out = FORWARD[op](a)
        assert out.parents == () and out.op == ""
        self._add(out, ("leaf", len(self.nodes)), 0)  # a leaf: the reference sees a new input

    @precondition(lambda self: self.nodes)
    @rule(i=st.integers(0, 10**6))
    def backward(self, i):
        root, rroot, _ = self.nodes[i % len(self.nodes)]
        root.backward()
        for v, ref, _ in self.nodes:
            if v is root and ref[0] != "leaf":
                self.expected[id(v)] = 1.0
            elif ref[0] == "leaf":
                if depends(rroot, ref):
                    self.expected[id(v)] += derivative(rroot, ref)  # leaves accumulate
            elif depends(rroot, ref):
                self.expected[id(v)] = derivative(rroot, ref)  # interior grads are recomputed

    @precondition(lambda self: self.nodes)
    @rule(i=st.integers(0, 10**6))
    def grad_leaves_nothing_changed(self, i):
        root, rroot, _ = self.nodes[i % len(self.nodes)]
        leaves = self._leaves()
        got = grad(root, [v for v, _ in leaves])
        for g, (_, ref) in zip(got, leaves):
            assert g == pytest.approx(derivative(rroot, ref), rel=1e-9, abs=1e-12)

    @rule()
    def zero_grad(self):
        for v, _ in self._leaves():
            v.grad = 0.0
            self.expected[id(v)] = 0.0

    @rule(lr=st.sampled_from([0.01, 0.1, 0.5]))
    def parameter_update(self, lr):
        with no_grad():
            for v, _ in self._leaves():
                v.data -= lr * v.grad  # as an optimizer's step: later nodes read the new data

    @invariant()
    def every_grad_is_the_reference_one(self):
        for v, _, _ in self.nodes:
            assert v.grad == pytest.approx(self.expected[id(v)], rel=1e-9, abs=1e-12)


EngineAgainstNaiveReference.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestEngineAgainstNaiveReference = EngineAgainstNaiveReference.TestCase


def test_the_machine_catches_an_engine_that_forgets_to_accumulate(monkeypatch):
    from hypothesis.stateful import run_state_machine_as_test

    from autograd import value as core

    real_pass = core.backward_pass

    def overwriting_pass(root, gradient):  # a plausible bug: leaves' grads set, not accumulated
        leaves = [p for node in core.computed_order(root) for p in node.parents if not p.parents]
        for leaf in leaves:
            leaf.grad = 0.0
        real_pass(root, gradient)

    monkeypatch.setattr(core, "backward_pass", overwriting_pass)
    with pytest.raises(AssertionError):
        run_state_machine_as_test(EngineAgainstNaiveReference, settings=settings(
            max_examples=200, stateful_step_count=30, deadline=None, database=None))
