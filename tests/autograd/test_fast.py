"""The fast layer (autograd/fast/) against its twins in the core: the same nodes, the same grads."""

import gc
import math
import random
import struct
import threading
import tracemalloc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, dot, fast, gc_paused, grad, linear, linear_batch, no_grad
from autograd import value as core
from autograd.fast import layer as fast_layer
from autograd.ops import relu as relu_rule
from autograd.testing import expressions
from nn import MLP

EDGES = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e-308, -2.5, 3.0]


def same(a, b) -> bool:
    """Bit for bit: -0.0 is not 0.0, NaN is NaN."""
    if type(a) is not float or type(b) is not float:
        return a == b
    return struct.pack("<d", a) == struct.pack("<d", b)


def assert_same_graphs(root_a: Value, root_b: Value) -> None:
    order_a, order_b = core.topological_order(root_a), core.topological_order(root_b)
    assert len(order_a) == len(order_b)
    index_a = {v: i for i, v in enumerate(order_a)}
    index_b = {v: i for i, v in enumerate(order_b)}
    for a, b in zip(order_a, order_b):
        assert a.op == b.op and a.label == b.label
        assert same(a.data, b.data), (a.op, a.data, b.data)
        assert [index_a[p] for p in a.parents] == [index_b[p] for p in b.parents]
        assert len(a.local_grads) == len(b.local_grads)
        assert all(same(x, y) for x, y in zip(a.local_grads, b.local_grads)), (a.op, a.local_grads, b.local_grads)


def assert_same_grads(root_a: Value, root_b: Value) -> None:
    for a, b in zip(core.topological_order(root_a), core.topological_order(root_b)):
        assert same(a.grad, b.grad), (a.op, a.grad, b.grad)


def with_core(fn):
    """fn() with the core's plain definitions in place of the fast twins."""
    fast.install(fast.CORE)
    try:
        return fn()
    finally:
        fast.install(fast.FAST)


def test_the_twins_are_installed_and_the_core_keeps_its_definitions():
    assert core.make_node is fast.make_node and core.backward_pass is fast.backward_pass
    assert fast.CORE["backward_pass"] is not fast.backward_pass
    assert fast.CORE["backward_pass"].__module__ == "autograd.value"


@settings(max_examples=150, deadline=None)
@given(expressions(3))
def test_expressions_build_the_same_nodes_and_grads(expr):
    xs = [x.data for x in expr.inputs]
    a = with_core(lambda: expr(*[Value(x) for x in xs]))
    b = expr(*[Value(x) for x in xs])
    assert_same_graphs(a, b)
    with_core(a.backward)
    b.backward()
    assert_same_grads(a, b)
    # backward twice: computed nodes recomputed, leaves accumulate, alike
    with_core(lambda: a.backward(2.0))
    b.backward(2.0)
    assert_same_grads(a, b)


@pytest.mark.parametrize("x", EDGES)
@pytest.mark.parametrize("c", [2.0, -1.0, 0.0, -0.0, math.inf, math.nan])
def test_ops_with_numbers_at_edge_values(x, c):
    def build():
        v = Value(x)
        return [v + c, v * c, c * v, v - c, c - v, -v, v.relu(), v.tanh(), v.sigmoid(), abs(v)]

    for a, b in zip(with_core(build), build()):
        assert_same_graphs(a, b)


@pytest.mark.parametrize("x", EDGES)
@pytest.mark.parametrize("y", EDGES)
def test_operators_on_two_values_at_edge_values(x, y):
    def build():
        a, b = Value(x), Value(y)
        return [a + b, a * b, a - b, a / b if y != 0.0 else a * b, a * a, a + a]

    for a, b in zip(with_core(build), build()):
        assert_same_graphs(a, b)


@pytest.mark.parametrize("c", [0, 1, -3, 2**60, 1.5, -0.0, math.inf])
def test_operators_with_ints_and_floats_and_under_no_grad(c):
    def build():
        v = Value(0.75)
        outs = [v + c, c + v, v * c, c * v, v - c, c - v, -v, v / c if c else -v, sum([v, v, v])]
        with no_grad():
            outs += [v + c, v * v, v - v, -v, v / 2.0]
        return outs

    for a, b in zip(with_core(build), build()):
        assert_same_graphs(a, b)


def test_the_operator_twins_are_pinned_to_the_add_and_mul_rules():
    from autograd.ops import add, mul

    for x in EDGES:
        for y in EDGES:
            a, b = Value(x), Value(y)
            out, local = add(x, y)
            s = a + b
            assert same(s.data, out) and s.local_grads == local and s.local_grads is fast.operators._ADD_GRADS
            out, local = mul(x, y)
            p = a * b
            assert same(p.data, out) and all(same(g, h) for g, h in zip(p.local_grads, local))
            out, local = mul(x, y)  # a number folded in: its local grad is the rule's first
            q = a * y
            assert same(q.data, out) and same(q.local_grads[0], local[0]) and len(q.local_grads) == 1


def test_operators_leave_other_operands_and_every_error_to_the_core():
    class Sub(Value):
        __slots__ = ()

    v, w = Value(2.0), Sub(3.0)
    assert (v + w).parents == (v, w) and (v * w).local_grads == (3.0, 2.0)
    odd = Value(1.0)
    odd.data = 10**400  # set behind the constructor's back: no float
    with pytest.raises(OverflowError):
        odd * 1.5
    with pytest.raises(ZeroDivisionError, match=r"Value\(1.0\) / Value\(0.0\)"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError, match=r"Value\(1.0\) / 0"):
        Value(1.0) / 0
    with pytest.raises(ValueError, match="log"):
        Value(-1.0).log()
    with pytest.raises(TypeError, match="bool"):
        Value(1.0) + True
    assert Value(1.0).__add__("a") is NotImplemented and Value(1.0).__rsub__(None) is NotImplemented


def test_a_loop_s_factors_keep_their_own_grads_and_a_repeated_one_shares_its_tuple():
    # x·c keeps the last factor's tuple for the same number object: a factor equal to the last one but
    # another object (0.0 after -0.0, 2 after 2.0) must still get its own (c,), and NaN, which _SHARED
    # cannot hold, is shared only through that identity test
    nan = math.nan
    factors = [2.0, 2.0, 2, 2, -0.0, -0.0, 0.0, nan, nan, 1.5, 2**60, 1.5, 1.5, -3, -0.0]

    def build():
        y = Value(0.75)
        nodes = []
        for c in factors:
            y = y * c if len(nodes) % 2 else c * y  # both sides: __rmul__ is the same twin
            nodes.append(y)
        return nodes

    for a, b in zip(with_core(build), build()):
        assert_same_graphs(a, b)
    nodes = build()
    for c, node in zip(factors, nodes):
        (local,) = node.local_grads
        assert type(local) is float and same(local, float(c)), (c, local)
    assert nodes[8].local_grads is nodes[7].local_grads  # the same NaN object twice: one tuple


def test_constant_grads_are_shared_but_keep_the_sign_of_zero():
    assert fast.constant_grad(2.0) is fast.constant_grad(2.0)
    assert same(fast.constant_grad(-0.0)[0], -0.0) and same(fast.constant_grad(0.0)[0], 0.0)
    assert math.isnan(fast.constant_grad(math.nan)[0])
    for c in (2.0, -0.0, math.nan):
        assert all(same(p, q) for p, q in zip(fast.constant_grad(c), fast.CORE["constant_grad"](c)))


@pytest.mark.parametrize("d", EDGES)
def test_the_relu_builder_is_pinned_to_the_relu_rule(d):
    z = Value(d)
    (built,) = fast_layer._relu_nodes([z])
    out, local = relu_rule(d)
    assert same(built.data, out) and built.local_grads == local and all(
        same(p, q) for p, q in zip(built.local_grads, local)
    )
    assert built.op == "relu" and built.parents == (z,)


def _rows(rng, n_out, n_in, edges=False):
    pool = EDGES if edges else [rng.uniform(-2, 2) for _ in range(20)]
    W = [[Value(rng.choice(pool)) for _ in range(n_in)] for _ in range(n_out)]
    b = [Value(rng.choice(pool)) for _ in range(n_out)]
    return W, b


@pytest.mark.parametrize("activation", [None, "relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("kind", ["numbers", "values", "mixed"])
@pytest.mark.parametrize("edges", [False, True])
def test_linear_batch_builds_what_dot_and_the_activation_build(activation, kind, edges):
    rng = random.Random(f"{activation}{kind}{edges}")
    W, b = _rows(rng, 4, 3, edges)
    pool = EDGES if edges else [rng.uniform(-2, 2) for _ in range(9)]

    def sample():
        xs = [rng.choice(pool) for _ in range(3)]
        if kind == "values":
            return [Value(x) for x in xs]
        if kind == "mixed":
            return [Value(xs[0]), xs[1], xs[2]]
        return xs

    X = [sample() for _ in range(3)]

    def twin(x):
        zs = [dot(w, x, bj) for w, bj in zip(W, b)]
        return zs if activation is None else [getattr(z, activation)() for z in zs]

    for batch_out, x in zip(linear_batch(W, X, b, activation), X):
        for a, c in zip(twin(x), batch_out):
            assert_same_graphs(a, c)
    for a, c in zip(twin(X[0]), linear(W, X[0], b, activation)):
        assert_same_graphs(a, c)
    with no_grad():
        for a, c in zip(twin(X[1]), linear_batch(W, X, b, activation)[1]):
            assert not c.parents and same(a.data, c.data)


def test_nn_batches_build_the_same_graph_and_grads_as_the_core():
    rng = random.Random(0)
    X = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(8)]
    X[0] = [0.0, -0.0]
    X[1] = [math.inf, 1.0]

    def step():
        model = MLP(2, [5, 4, 1], seed=3)
        outs = model.batch(X)
        loss = outs[2] * outs[3] + outs[4] + sum(outs[5:])
        return loss

    def core_step():
        model = MLP(2, [5, 4, 1], seed=3)
        # the definition: per row, dot then the activation; then the same loss
        h = X
        for layer in model.layers:
            act = layer.activation
            h = [[getattr(dot(n.w, x, n.b), act)() if act != "linear" else dot(n.w, x, n.b) for n in layer.neurons]
                 for x in h]
        outs = [o[0] for o in h]
        return outs[2] * outs[3] + outs[4] + sum(outs[5:])

    a, b = with_core(core_step), step()
    assert_same_graphs(a, b)
    with_core(a.backward)
    b.backward()
    assert_same_grads(a, b)


def test_the_sorts_give_the_core_order():
    x = Value(0.5)
    y = x
    for _ in range(50):
        y = (y * 1.5).tanh() + y * 0.1
    assert fast.computed_order(y) == fast.CORE["computed_order"](y)
    assert fast.sort.backward_order(y) == fast.CORE["computed_order"](y)


def random_dag(rng: random.Random, size: int) -> Value:
    """Nodes made by hand with 1 to 5 parents, often shared or repeated, among a few leaves."""
    nodes = [Value(rng.random()) for _ in range(3)]
    for _ in range(size):
        pool = nodes[-6:] if rng.random() < 0.7 else nodes
        parents = tuple(rng.choice(pool) for _ in range(rng.choice([1, 1, 2, 2, 3, 5])))
        nodes.append(node_by_hand(rng, parents))
    return nodes[-1]


def node_by_hand(rng: random.Random, parents: tuple) -> Value:
    v = Value(rng.random())
    v.op, v.parents, v.local_grads = "f", parents, tuple(rng.uniform(-2, 2) for _ in parents)
    return v


@pytest.mark.parametrize("seed", range(40))
def test_the_backward_sort_gives_the_core_order_on_shared_and_repeated_parents(seed):
    root = random_dag(random.Random(seed), 60)
    for v in fast.CORE["computed_order"](root):
        v.grad = 5.0  # stale grads: the sort resets them
    order = fast.sort.backward_order(root)
    assert order == fast.CORE["computed_order"](root)
    assert all(type(v.grad) is float and v.grad == 0.0 for v in order)
    nodes = core.topological_order(root)
    with_core(root.backward)
    core_grads = [v.grad for v in nodes]
    for v in nodes:
        v.grad = 0.0
    root.backward()
    assert all(same(a, v.grad) for a, v in zip(core_grads, nodes))


def one_parent_runs(rng: random.Random, size: int) -> Value:
    """Mostly one-parent nodes (the sort's runs), ending at leaves, at nodes already visited, at
    nodes with many parents, and starting at the root; runs of random length, about two nodes on average."""
    nodes = [Value(rng.random()) for _ in range(3)]
    while len(nodes) < size:
        if rng.random() < 0.3:  # a node with many parents: where a run ends, or from where one starts
            parents = tuple(rng.choice(nodes) for _ in range(rng.choice([2, 3])))
        else:  # one parent: the newest node (a run grows), or any (a run ends at a visited node or a leaf)
            parents = (nodes[-1] if rng.random() < 0.75 else rng.choice(nodes),)
        nodes.append(node_by_hand(rng, parents))
    return nodes[-1]


@pytest.mark.parametrize("seed", range(40))
def test_the_backward_sort_gives_the_core_order_along_runs_of_one_parent_nodes(seed):
    root = one_parent_runs(random.Random(seed), 80)
    order = fast.sort.backward_order(root)
    assert order == fast.CORE["computed_order"](root)
    assert all(v.grad == 0.0 for v in order)


def test_the_backward_sort_of_runs_of_one_and_of_many():
    x, w = Value(0.3), Value(0.7)
    a = (x * w).relu()  # a run of one (relu) down to a two-parent node
    b = ((a * 2.0).exp() + 1.0).tanh()  # from b: one run (tanh, +1, exp, ·2 and a's relu) down to x·w
    c = (b * a).log()  # a run of one (log); the walk reaches a through b, then finds it visited
    d = ((x * 3.0) * 2.0) * 1.5  # a run that ends at a leaf
    root = c + d + a
    assert fast.sort.backward_order(root) == fast.CORE["computed_order"](root)
    for start in (c, d, a, b):  # a run from the root itself
        assert fast.sort.backward_order(start) == fast.CORE["computed_order"](start)


def run_at_the_root(rng: random.Random, size: int) -> Value:
    """A graph whose root starts a run of one-parent nodes (0 to 11 of them, some with a local grad at
    an edge value) down to a leaf, or down to a graph of runs and nodes with many parents."""
    node = one_parent_runs(rng, size) if rng.random() < 0.8 else Value(rng.random())
    for _ in range(rng.randrange(12)):
        node = node_by_hand(rng, (node,))
        if rng.random() < 0.3:
            node.local_grads = (rng.choice(EDGES),)
    return node


def grads_of_backward(root: Value, gradient: float, stale: list) -> list:
    """Every grad of root's graph after ``root.backward(gradient)``, from the given stale grads."""
    nodes = core.topological_order(root)
    for v, s in zip(nodes, stale):
        v.grad = s
    root.backward(gradient)
    return [v.grad for v in nodes]


@pytest.mark.parametrize("seed", range(60))
def test_backward_walks_the_root_s_run_to_the_core_s_grads(seed):
    rng = random.Random(seed)
    root = run_at_the_root(rng, 40)
    stale = [rng.uniform(-1, 1) for _ in core.topological_order(root)]  # leaves accumulate onto theirs
    for gradient in (1.0, rng.uniform(-3, 3), -0.0, math.nan):
        expected = with_core(lambda g=gradient: grads_of_backward(root, g, stale))
        got = grads_of_backward(root, gradient, stale)
        assert all(same(a, b) for a, b in zip(expected, got)), (gradient, expected, got)


def test_the_walk_down_the_root_s_run_at_zeros_and_infinities():
    x = Value(0.5)
    m = x * 2.0
    root = (m * -0.0) * 3.0  # m's grad: 0.0 + (−0.0·3), which is 0.0, not −0.0
    root.backward()
    assert same(m.grad, 0.0) and same(x.grad, 0.0)
    z = Value(0.0)
    root = (z.sqrt() * 0.0) * 2.0  # a zero grad adds nothing, even through √'s infinite derivative at 0
    root.backward()
    assert same(z.grad, 0.0)
    w = Value(1.5)
    below = w * w  # the run ends at a node with two parents: its grad goes on to the sort and loop
    root = (below.exp() * 2.0).log()
    with_core(root.backward)
    expected = (w.grad, below.grad)
    w.grad = 0.0
    root.backward()
    assert same(w.grad, expected[0]) and same(below.grad, expected[1])
    assert w.grad == 2 * 1.5  # log(2·exp(w²)) = w² + log 2: 2w


@pytest.mark.parametrize("length", [1, 2, 3, 7, 100])
def test_backward_ends_on_a_cycle_of_one_parent_nodes_made_by_hand(length):
    nodes = [Value(1.0) * 2.0]
    for _ in range(length - 1):
        nodes.append(nodes[-1] * 3.0)
    nodes[0].parents = (nodes[-1],)  # the first node's parent is the last: a cycle
    root = nodes[-1] * 0.5  # the walk from root goes round it
    expected = with_core(lambda: grads_of_backward(root, 1.0, [0.0] * (length + 1)))
    assert grads_of_backward(root, 1.0, [0.0] * (length + 1)) == expected
    assert grads_of_backward(nodes[0], 1.0, [0.0] * length) == with_core(
        lambda: grads_of_backward(nodes[0], 1.0, [0.0] * length))


def test_the_backward_sort_ends_on_a_cycle_made_by_hand():
    x = Value(1.0)
    a = x * 2.0
    b = a * 3.0
    a.parents = (b,)  # a ← b ← a
    assert fast.sort.backward_order(b) == fast.CORE["computed_order"](b)
    c = x * 2.0
    d = c + x
    c.parents, c.local_grads = (d, x), (1.0, 1.0)
    assert len(fast.sort.backward_order(d)) == 2


def test_a_deep_chain_needs_no_recursion_in_either_twin():
    x = Value(0.1)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    with_core(y.backward)
    assert x.grad == 1.0
    y.backward()
    assert x.grad == 2.0


def test_the_sort_pauses_the_collector_and_restores_it():
    seen = []

    class Spy(tuple):
        def __iter__(self):
            seen.append(gc.isenabled())
            return super().__iter__()

        def __len__(self):  # the backward sort asks for the number of parents first
            seen.append(gc.isenabled())
            return super().__len__()

    x = Value(2.0)
    z = x * 2.0
    z.parents = Spy((x,))  # iterated while the sort runs
    y = z * 3.0
    assert gc.isenabled()
    fast.computed_order(y)
    fast.sort.backward_order(y)
    assert seen and not any(seen) and gc.isenabled()


# ---------------------------------------------------------------- gc_paused
def test_gc_paused_turns_the_collector_off_and_back_on_nested():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_gc_paused_collects_the_cycles_made_inside_on_exit():
    class Node:
        pass

    with gc_paused():
        a = Node()
        a.self = a
        ref = weakref.ref(a)
        del a
        assert ref() is not None  # a cycle: reference counting cannot free it
    assert ref() is None


def _training_steps(steps: int, pause) -> list[int]:
    """A user's loop: each step builds and differentiates a graph, and the user's own code
    makes a reference cycle that holds the step's loss (and so its whole graph)."""

    class Record:  # a cycle: record → its dict → record
        pass

    w = [Value(0.1 * k) for k in range(8)]
    memory = []
    for step in range(steps):
        with pause():
            loss = sum((wi * 1.5).tanh() * wi for wi in w)
            loss.backward()
            r = Record()
            r.me, r.loss = r, loss
            del r, loss
        if step in (99, steps - 1):
            memory.append(tracemalloc.get_traced_memory()[0])
    return memory


def test_gc_paused_loses_no_memory_across_1000_steps_that_make_cycles():
    gc.collect()
    tracemalloc.start()
    try:
        after_100, after_1000 = _training_steps(1000, gc_paused)
    finally:
        tracemalloc.stop()
    # each step's cycle holds a graph of ~40 nodes (~5 KB): 900 steps of them kept would be ~4 MB
    assert after_1000 - after_100 < 20_000, (after_100, after_1000)


def test_the_memory_test_fails_for_a_pause_that_does_not_collect():
    class leaky_pause:  # gc_paused without its young-generation collection
        def __enter__(self):
            gc.disable()

        def __exit__(self, *exc):
            gc.enable() if False else None

    gc.collect()
    tracemalloc.start()
    try:
        after_100, after_1000 = _training_steps(1000, leaky_pause)
    finally:
        tracemalloc.stop()
        gc.enable()
        gc.collect()
    assert after_1000 - after_100 > 1_000_000


def test_gc_paused_across_threads_and_the_sorts_own_pause():
    # A's backward begins its sort (which pauses the collector), B enters gc_paused, A's sort ends:
    # the collector must stay off while B is inside, and come back on when B leaves.
    in_sort, b_inside, a_done, b_done = (threading.Event() for _ in range(4))
    seen = {}

    class Waiting(tuple):
        def __iter__(self):  # iterated by the sort: hold it there until B is inside its pause
            in_sort.set()
            b_inside.wait(5)
            return super().__iter__()

    def thread_a():
        x = Value(2.0)
        z = x * 2.0
        z.parents = Waiting((x,))
        (z * 3.0).backward()
        a_done.set()

    def thread_b():
        in_sort.wait(5)
        with gc_paused():
            b_inside.set()
            a_done.wait(5)
            seen["B inside, A's sort over"] = gc.isenabled()
            with gc_paused():  # nested
                pass
            seen["after a nested pause"] = gc.isenabled()
        seen["after B"] = gc.isenabled()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"B inside, A's sort over": False, "after a nested pause": False, "after B": True}
    assert gc.isenabled()


def test_gc_paused_is_a_decorator_and_restores_on_error():
    @gc_paused()
    def f():
        assert not gc.isenabled()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        f()
    assert gc.isenabled()


# ---------------------------------------------------------------- FLOAT and VALUE agree
def test_float_and_value_sides_agree_where_a_derivative_overflows():
    x = Value(1e-200)
    assert x.__pow__(-1).data == 1e200
    first = grad(x**-1, x)
    again = grad(x**-1, x, create_graph=True)
    assert first == -math.inf and again.data == -math.inf


def test_zero_times_sqrt_at_zero_is_one_rule_for_backward_and_grad():
    def f():
        x = Value(0.0)
        return x, 0 * x.sqrt()

    x, y = f()
    y.backward()
    x2, y2 = f()
    assert x.grad == grad(y2, x2) == grad(y2, x2, create_graph=True).data == 0.0


# ---------------------------------------------------------------- threads
def test_grad_mode_is_per_thread():
    inside, release = threading.Event(), threading.Event()

    def other():
        with no_grad():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(5)
    try:
        x = Value(2.0)
        y = x * x  # the other thread is inside no_grad: this one still records
        assert y.parents == (x, x)
    finally:
        release.set()
        t.join()


def test_the_float_guard_of_higher_order_is_per_thread():
    from autograd import custom_op, hessian
    from autograd.ops import FLOAT

    @custom_op("cube_for_threads", domain=[(-2.0, 2.0)])
    def cube(a, m=FLOAT):
        return a * a * a, (3.0 * a * a,)

    errors = []

    def work():
        try:
            for _ in range(200):
                assert hessian(lambda v: cube(v), [1.5]) == [[9.0]]
                assert float(Value(2.5)) == 2.5
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and float(Value(2.5)) == 2.5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(EDGES), min_size=2, max_size=6))
def test_sum_and_dot_at_edge_values_are_the_same_in_both_installs(xs):
    def build():
        vs = [Value(x) for x in xs]
        return dot(vs, list(reversed(xs))), dot(vs, vs, Value(1.0))

    for a, b in zip(with_core(build), build()):
        assert_same_graphs(a, b)


# ---------------------------------------------------------------- linear, linear_batch (moved from test_value)
def test_linear_builds_the_nodes_dot_builds():
    rng = random.Random(0)
    W = [[Value(rng.gauss(0, 1)) for _ in range(5)] for _ in range(4)]
    B = [Value(rng.gauss(0, 1)) for _ in range(4)]
    numbers = [rng.gauss(0, 1) for _ in range(5)]
    values = [Value(x) for x in numbers]
    mixed = [values[0], *numbers[1:]]
    for xs in (numbers, values, tuple(values), mixed):
        for act in (None, "relu", "tanh", "sigmoid"):
            got = autograd.linear(W, xs, B, act)
            want = [autograd.dot(w, xs, b) for w, b in zip(W, B)]
            if act is not None:
                want = [getattr(z, act)() for z in want]
            assert len(got) == len(want)
            for g, w in zip(got, want):
                assert (g.data, g.op, g.local_grads) == (w.data, w.op, w.local_grads)
                gz, wz = (g.parents[0], w.parents[0]) if act else (g, w)
                assert (gz.data, gz.op, gz.local_grads) == (wz.data, wz.op, wz.local_grads)
                if xs is not mixed:  # mixed: the numbers become new leaves in each call
                    assert gz.parents == wz.parents


def test_linear_activations_at_their_edges_are_the_rules():
    # linear builds relu inline: its nodes must be exactly what the rule gives, kinks and NaN included
    edges = [0.0, -0.0, 1e-300, -1e-300, math.inf, -math.inf, math.nan, 3.5, -3.5]
    for act in ("relu", "tanh", "sigmoid"):
        for b in edges:
            for xs in ([0.0], [Value(0.0)]):
                (got,) = autograd.linear([[Value(1.0)]], xs, [Value(b)], act)
                want = getattr(autograd.dot([Value(1.0)], xs, Value(b)), act)()
                assert got.op == want.op == act
                same = [(g == w) or (g != g and w != w) for g, w in zip((got.data, *got.local_grads),
                                                                      (want.data, *want.local_grads))]
                assert all(same), (act, b, got.data, got.local_grads, want.data, want.local_grads)
                assert math.copysign(1.0, got.data) == math.copysign(1.0, want.data)


def test_linear_batch_is_linear_per_input():
    rng = random.Random(1)
    W = [[Value(rng.gauss(0, 1)) for _ in range(3)] for _ in range(2)]
    B = [Value(0.1), Value(-0.2)]
    X = [[rng.gauss(0, 1) for _ in range(3)] for _ in range(4)]
    got = autograd.linear_batch(W, X, B, "relu")
    want = [autograd.linear(W, x, B, "relu") for x in X]
    assert [[v.data for v in row] for row in got] == [[v.data for v in row] for row in want]
    # the inputs' numbers are one shared local-grads tuple across the rows of a sample
    dots = [v.parents[0] for v in got[0]]
    assert dots[0].local_grads is dots[1].local_grads


def test_linear_bad_arguments():
    W = [[Value(1.0), Value(2.0)]]
    with pytest.raises(ValueError, match="input 0 has 3 entries, the weights 2"):
        autograd.linear(W, [1.0, 2.0, 3.0], [Value(0.0)])
    with pytest.raises(ValueError, match="1 rows of weights but 2 biases"):
        autograd.linear(W, [1.0, 2.0], [Value(0.0), Value(0.0)])
    with pytest.raises(ValueError, match="row 1 of the weights has 1 entries"):
        autograd.linear([W[0], [Value(1.0)]], [1.0, 2.0], [Value(0.0), Value(0.0)])
    with pytest.raises(ValueError, match="activation.*'softmax'"):
        autograd.linear(W, [1.0, 2.0], [Value(0.0)], "softmax")
    with pytest.raises(TypeError, match=r"input 0\[1\].*str"):
        autograd.linear(W, [1.0, "2"], [Value(0.0)])


def test_linear_records_nothing_under_no_grad():
    W = [[Value(1.0), Value(2.0)]]
    with autograd.no_grad():
        (out,) = autograd.linear(W, [3.0, 4.0], [Value(0.5)], "relu")
    assert out.data == 11.5 and out.op == "" and out.parents == ()


def test_linear_refuses_weights_that_hold_no_floats():
    class Fake:  # has a .data, as a tensor does, but is no Value
        data = 2.0 + 0j

    W = [[Value(1.0), Fake()]]
    msg = r"linear: the weights and biases must be Values holding floats; W\[0\]\[1\] is Fake"
    with pytest.raises(TypeError, match=msg):
        autograd.linear(W, [1.0, 2.0], [Value(0.0)])
    w = Value(1.0)
    w.data = 2 + 0j  # set behind the constructor's back
    with pytest.raises(TypeError, match=r"W\[0\]\[0\] is a Value holding complex"):
        autograd.linear([[w]], [Value(1.0)], [Value(0.0)])


def test_linear_under_no_grad_gives_the_same_numbers_as_leaves():
    rng = random.Random(2)
    W = [[Value(rng.gauss(0, 1)) for _ in range(3)] for _ in range(4)]
    B = [Value(rng.gauss(0, 1)) for _ in range(4)]
    X = [[rng.gauss(0, 1) for _ in range(3)] for _ in range(3)] + [[Value(0.5), Value(-1.0), Value(2.0)]]
    for act in (None, "relu", "tanh", "sigmoid"):
        recorded = autograd.linear_batch(W, X, B, act)
        with no_grad():
            plain = autograd.linear_batch(W, X, B, act)
        assert [[v.data for v in r] for r in plain] == [[v.data for v in r] for r in recorded]
        assert all(v.op == "" and v.parents == () for r in plain for v in r)


def test_linear_refuses_an_input_with_a_data_attribute_that_is_no_value():
    class Fake:  # has a .data, as a tensor does, but is no Value
        data = 2.0 + 0j

    with pytest.raises(TypeError, match=r"linear: input 0\[1\] must be a number or a Value holding a float, got Fake"):
        autograd.linear([[Value(1.0), Value(2.0)]], [Value(1.0), Fake()], [Value(0.0)])


def test_linear_takes_numpy_inputs_as_dot_does():
    np = pytest.importorskip("numpy")
    W = [[Value(1.0), Value(2.0)], [Value(-1.0), Value(0.5)]]
    B = [Value(0.5), Value(0.0)]
    for xs in (np.array([1.0, 2.0]), [np.float64(1.0), np.float32(2.0)], (1, 2)):
        got = autograd.linear(W, xs, B, "relu")
        want = [autograd.dot(w, [1.0, 2.0], b).relu() for w, b in zip(W, B)]
        assert [(v.data, v.parents[0].op, v.parents[0].local_grads) for v in got] == \
            [(v.data, v.parents[0].op, v.parents[0].local_grads) for v in want]
    rows = autograd.linear_batch(W, np.array([[1.0, 2.0], [3.0, 4.0]]), B)
    assert [[v.data for v in r] for r in rows] == [[5.5, 0.0], [11.5, -1.0]]
    mixed = autograd.linear(W, [Value(1.0), np.float64(2.0)], B)
    assert [v.data for v in mixed] == [5.5, 0.0] and all(v.op == "dot" for v in mixed)


def test_linear_bad_batches_name_the_problem():
    W, B = [[Value(1.0)]], [Value(0.0)]
    with pytest.raises(TypeError, match="input 0 must be a sequence of 1 numbers or Values, got float"):
        autograd.linear(W, 1.0, B)
    assert [[v.data for v in r] for r in autograd.linear_batch(W, ([float(i)] for i in range(3)), B)] == \
        [[0.0], [1.0], [2.0]]
    assert autograd.linear([], [1.0, 2.0], []) == []
