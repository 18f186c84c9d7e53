"""The fused n-ary ops: sum, dot, logsumexp (autograd/fused.py)."""

import random

import pytest

import autograd
from autograd import Value


def test_sum_is_one_node_with_numbers_folded_in():
    a, b = Value(1.0), Value(2.0)
    s = autograd.sum([a, b, 3, a])
    assert s.data == 7.0 and s.op == "sum" and s.parents == (a, b, a)
    s.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)
    assert autograd.sum([]).data == 0.0


def test_dot_is_one_node_with_every_operand_a_parent():
    w = [Value(1.0), Value(2.0)]
    x = [Value(3.0), Value(4.0)]
    b = Value(0.5)
    out = autograd.dot(w, x, b)
    assert out.data == 11.5 and out.op == "dot" and out.parents == (*w, *x, b)
    assert out.local_grads == (3.0, 4.0, 1.0, 2.0, 1.0)
    out.backward()
    assert [v.grad for v in w] == [3.0, 4.0] and b.grad == 1.0
    assert [v.grad for v in x] == [1.0, 2.0]


def test_dot_on_numbers_keeps_them_as_constants():
    # a neuron reading data: the numbers get no node and no gradient (PyTorch: no requires_grad)
    w = [Value(1.0), Value(2.0)]
    b = Value(0.5)
    out = autograd.dot(w, [3.0, 4], b)
    assert out.data == 11.5 and out.op == "dotc" and out.parents == (*w, b)
    assert out.local_grads == (3.0, 4.0, 1.0)
    out.backward()
    assert [v.grad for v in w] == [3.0, 4.0] and b.grad == 1.0
    # numbers among the ws: they become leaves (only data, the xs, are constants)
    swapped = autograd.dot([3.0, 4.0], w, b)
    assert swapped.op == "dot" and swapped.parents[2:] == (*w, b) and swapped.data == out.data
    # no bias: a leaf 0.0 takes its place, so every dotc node reads (*ws, bias)
    nb = autograd.dot(w, [3.0, 4.0])
    assert nb.op == "dotc" and nb.parents[:2] == tuple(w) and nb.parents[2].data == 0.0 and nb.data == 11.0


def test_dot_with_numbers_and_values_mixed_makes_the_numbers_leaves():
    w = [Value(1.0), Value(2.0)]
    out = autograd.dot(w, [Value(3.0), 4.0], 0.5)
    assert out.op == "dot" and len(out.parents) == 5 and out.parents[3].data == 4.0 and out.parents[4].data == 0.5
    out.backward()
    assert out.parents[3].grad == 2.0


def test_dot_of_numbers_and_values_agrees_with_values_everywhere():
    # the same weighted sum, bit for bit, whichever form the node takes
    rng = random.Random(3)
    for n in (1, 2, 7, 33):
        ws = [Value(rng.uniform(-2, 2)) for _ in range(n)]
        xs = [rng.uniform(-2, 2) for _ in range(n)]
        b = Value(rng.uniform(-1, 1))
        const = autograd.dot(ws, xs, b)
        full = autograd.dot(ws, [Value(x) for x in xs], b)
        assert const.data == full.data
        assert autograd.grad(const, [*ws, b]) == autograd.grad(full, [*ws, b])


def test_dot_bad_arguments():
    with pytest.raises(ValueError, match="length"):
        autograd.dot([Value(1.0)], [1.0, 2.0])
    with pytest.raises(TypeError, match="str"):
        autograd.dot([Value(1.0)], ["x"])


def test_logsumexp_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        autograd.logsumexp([])


def test_sum_and_dot_of_nothing_are_float_leaves_and_tensors_are_refused():
    for v in (autograd.sum([]), autograd.dot([], []), autograd.sum([1.0, 2.0])):
        assert type(v.data) is float and v.op == "" and v.parents == ()
    assert autograd.sum([1.0, 2.0]).data == 3.0

    class HasData:  # like a tensor: a .data that is not a float
        data = object()

    with pytest.raises(TypeError, match="HasData"):
        autograd.sum([Value(1.0), HasData()])
    with pytest.raises(TypeError, match="HasData"):
        autograd.dot([Value(1.0)], [HasData()])


def test_dot_with_a_number_bias_and_values():
    # the bias becomes a leaf, and the fast path takes it from there
    out = autograd.dot([Value(1.0)], [Value(2.0)], 3.0)
    assert out.op == "dot" and out.data == 5.0 and out.parents[2].data == 3.0
    outs = map(lambda w: autograd.dot(w, [Value(1.0)], 0.5), [[Value(1.0)], [Value(2.0)]])
    assert [v.data for v in outs] == [1.5, 2.5]  # a StopIteration here would end map() early
    empty = autograd.dot([], [], 1.0)
    assert empty.data == 1.0 and len(empty.parents) == 1


def test_dot_refuses_a_value_that_holds_no_float():
    w = Value(1.0)
    w.data = 2 + 0j  # set behind the constructor's back
    with pytest.raises(TypeError, match="dot: a Value holds complex data"):
        autograd.dot([w], [Value(1.0)])
