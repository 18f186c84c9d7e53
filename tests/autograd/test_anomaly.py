"""autograd.detect_anomaly(): the first NaN or infinity, forward or backward, named with its op,
operands and the line of user code that made the node; outside the mode nodes stay as they were."""

import math
import threading

import pytest

import autograd
from autograd import AnomalyError, Value, custom_op, detect_anomaly
from autograd import value as core
from autograd.ops import FLOAT

HERE = "test_anomaly.py"


def test_a_forward_nan_names_the_op_its_operands_and_the_line():
    x = Value(math.nan, "x")
    with detect_anomaly():
        with pytest.raises(AnomalyError) as info:
            y = x * 2.0  # noqa: F841  (the line the message must name)
    message = str(info.value)
    assert "forward" in message and "nan" in message
    assert "`*`" in message and "x=nan" in message and "2.0" in message
    assert f"{HERE}:" in message and "y = x * 2.0" in message


def test_a_forward_overflow_to_inf_is_caught_where_it_happens():
    x = Value(1e200, "x")
    with detect_anomaly():
        y = x * 1e100
        with pytest.raises(AnomalyError, match=r"`\*` .*is inf") as info:
            y * 1e10
    assert y.data == 1e300
    assert f"{HERE}:" in str(info.value)


def test_a_backward_inf_names_the_node_its_operands_and_where_it_was_made():
    x = Value(0.0, "x")
    with detect_anomaly():
        r = x.sqrt()  # ∂√x/∂x = inf at 0
        loss = r * 3.0
        with pytest.raises(AnomalyError) as info:
            loss.backward()
    message = str(info.value)
    assert "backward" in message and "inf" in message
    assert "`**0.5`" in message and "x=0.0" in message
    assert f"{HERE}:" in message and "r = x.sqrt()" in message


def test_a_custom_op_with_a_bad_rule_is_caught_forward_and_backward():
    @custom_op("bad_log", domain=[(0.1, 10.0)])
    def bad_log(a, m=FLOAT):
        # a wrong rule: the forward is NaN below 1, the local derivative infinite at 1
        out = m.log(a) if a >= 1.0 else math.nan
        return out, (math.inf if a == 1.0 else 1.0 / a,)

    with detect_anomaly():
        with pytest.raises(AnomalyError, match=r"`bad_log`.*Value\(0\.5\)") as info:
            bad_log(Value(0.5))
        assert "`bad_log` of (Value(0.5))" in str(info.value)
        x = Value(1.0, "x")
        y = bad_log(x) + 1.0
        with pytest.raises(AnomalyError, match=r"backward.*`bad_log`.*x=1\.0"):
            y.backward()


def test_the_zero_times_inf_rule_is_no_anomaly():
    # backward skips a zero gradient, even through an infinite local derivative (0·√x at 0)
    x = Value(0.0, "x")
    with detect_anomaly():
        y = x.sqrt() * 0.0 + x
        y.backward()
    assert x.grad == 1.0


def test_outside_the_mode_the_fast_twins_are_back_and_nothing_is_checked():
    fast = core.make_node, core.backward_pass
    with detect_anomaly():
        assert (core.make_node, core.backward_pass) != fast
        with detect_anomaly():  # nested: the twins stay until the outer block ends
            pass
        assert core.make_node is not fast[0]
    assert (core.make_node, core.backward_pass) == fast
    y = Value(math.nan) * 2.0  # no error outside the mode
    assert math.isnan(y.data)
    x = Value(0.0)
    x.sqrt().backward()
    assert x.grad == math.inf


def test_the_twins_are_restored_when_the_block_raises():
    fast = core.make_node
    with pytest.raises(AnomalyError):
        with detect_anomaly():
            Value(math.inf) + 1.0
    assert core.make_node is fast
    assert not autograd.anomaly.SITES


def test_nodes_keep_their_slots_inside_the_mode():
    with detect_anomaly():
        y = Value(2.0) * 3.0
    assert not hasattr(y, "__dict__")
    assert y.op == "*" and y.local_grads == (3.0,)


def test_the_mode_applies_to_the_thread_that_entered_it():
    inside, other = threading.Event(), threading.Event()
    seen = []

    def worker():
        inside.wait()
        seen.append((Value(math.nan) * 2.0).data)  # this thread did not ask: no error
        other.set()

    t = threading.Thread(target=worker)
    t.start()
    with detect_anomaly():
        inside.set()
        other.wait(5)
        with pytest.raises(AnomalyError):
            Value(math.nan) * 2.0
    t.join()
    assert len(seen) == 1 and math.isnan(seen[0])


def test_the_same_nodes_as_outside_the_mode():
    def build():
        x = Value(0.3, "x")
        return x, (x.tanh() * x + x.exp()).log1p()

    x1, y1 = build()
    y1.backward()
    with detect_anomaly():
        x2, y2 = build()
        y2.backward()
    assert (y1.data, y1.op, y1.local_grads, x1.grad) == (y2.data, y2.op, y2.local_grads, x2.grad)
