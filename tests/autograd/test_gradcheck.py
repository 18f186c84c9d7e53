import math

import pytest

from autograd import GradcheckError, Value, gradcheck, ops


def test_passes_for_correct_derivatives():
    assert gradcheck(lambda a, b: (a * b).tanh() / b + a**b, [0.3, 1.2])
    assert gradcheck(lambda a: a.sigmoid().log(), [Value(-2.0, "a")])


def test_catches_a_wrong_rule_and_names_the_input_and_both_numbers(monkeypatch):
    def wrong_tanh(a, m=ops.FLOAT):
        out = math.tanh(a)
        return out, (1.0 - out,)  # should be 1 - out²

    monkeypatch.setattr(ops, "tanh", wrong_tanh)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: x * y.tanh(), [Value(2.0, "x"), Value(0.5, "y")])
    message = str(info.value)
    assert "input 1 ('y')" in message
    analytic = 2.0 * (1 - math.tanh(0.5))
    numeric = 2.0 * (1 - math.tanh(0.5) ** 2)
    assert f"{analytic:.6f}"[:7] in message and f"{numeric:.6f}"[:7] in message
    assert gradcheck(lambda x, y: x * y.tanh(), [2.0, 0.5], raise_exception=False) is False


def test_tolerances_are_keyword_only_and_used():
    f = lambda a: a * a  # noqa: E731
    with pytest.raises(TypeError):
        gradcheck(f, [1.0], 1e-6)
    assert gradcheck(f, [1.0], eps=1e-3, atol=1e-5, rtol=1e-3)


def test_bad_arguments():
    with pytest.raises(TypeError, match="str"):
        gradcheck(lambda a: a, ["x"])
    with pytest.raises(TypeError, match="Value"):
        gradcheck(lambda a: 3.0, [1.0])
