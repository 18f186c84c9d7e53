"""check_graph: every node's local grads against central differences of its own rule; gradcheck
points at the node when it fails."""

import pytest
from hypothesis import HealthCheck, given, settings

import autograd
from autograd import GradcheckError, Value, check_graph, custom_op, gradcheck
from autograd.ops import FLOAT
from autograd.testing import expressions
from autograd.value import make_node


@custom_op("bad_swish", domain=[(-30.0, 30.0)])
def bad_swish(a, m=FLOAT):
    # a learner's rule: the product rule's second term forgotten (∂ = σ(a), should be σ·(1 + a·(1 − σ)));
    # at 0.3: σ = 0.574443, σ·(1 + a·(1 − σ)) = 0.647780
    s = m.sigmoid(a)
    return a * s, (s,)


def test_a_wrong_custom_rule_is_named_with_its_operand_and_both_numbers():
    x, w = Value(0.3, "x"), Value(-1.2, "w")
    y = (bad_swish(x) * w + x.tanh()).exp()
    found = check_graph(y)
    assert len(found) == 1
    problem = found[0]
    assert problem.node.op == "bad_swish" and problem.node.parents == (x,)
    assert problem.rule == pytest.approx(0.574443, abs=1e-6)
    assert problem.numeric == pytest.approx(0.647780, abs=1e-5)
    assert str(problem).endswith("the rule of `bad_swish` at x = 0.3 gives ∂/∂x = 0.574443, "
                                 "central differences 0.64778")


def test_gradcheck_on_failure_appends_the_nodes_that_disagree():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, w: (bad_swish(x) * w + x.tanh()).exp(), [Value(0.3, "x"), Value(-1.2, "w")])
    message = str(info.value)
    assert message.startswith("gradcheck failed for input 0 ('x')")
    assert "the rule of `bad_swish` at x = 0.3 gives ∂/∂x = 0.574443, central differences 0.64778" in message


def test_gradcheck_says_so_when_every_node_agrees():
    # a number taken out of the graph: every node is right, the function's gradient is not
    with pytest.raises(GradcheckError, match="every node's local derivatives agree"):
        gradcheck(lambda x: x * Value(x.data), [2.0])


def test_gradcheck_on_a_kink_names_the_nodes_there_instead_of_guessing():
    # relu(x) + relu(x * 2) at 0: every rule is right, both relus sit on their kink
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.relu() + (x * 2.0).relu(), [0.0])
    message = str(info.value)
    assert "2 node(s) sit on a kink" in message and "taken out of the graph" not in message
    assert message.count("`relu` at a = 0.0: slope 0.0 from the left, 1.0 from the right; the rule says 0.0") == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(3))
def test_a_correct_graph_has_no_findings(expr):
    assert check_graph(expr.value) == []


def test_kinks_and_infinite_derivatives_are_skipped_not_reported():
    x0 = Value(0.0, "x")
    y = x0.relu() + abs(x0) + x0.sign() + x0.leaky_relu(0.1) + x0.sqrt() + (x0 + 1.0).log()
    assert check_graph(y) == []


def test_constant_local_grads_are_checked_too():
    x = Value(2.0, "x")
    wrong_relu = make_node(2.0, (x,), (0.5,), "relu")  # ∂relu/∂x is 1 at x = 2
    (found,) = check_graph(wrong_relu * 1.0)
    assert "the rule of `relu` at x = 2.0 gives ∂/∂x = 0.5, central differences 1.0" in str(found)
    # a number folded in is recovered from the local grad: a wrong one shows as a wrong forward
    wrong_times = make_node(6.0, (x,), (2.5,), "*")  # x·3 with local grad 2.5
    (found,) = check_graph(wrong_times)
    assert "forward" in str(found) and "6.0" in str(found) and "5.0" in str(found)


def test_fused_and_layer_nodes_are_checked():
    ws = [Value(0.5, "w0"), Value(-1.0, "w1")]
    z = autograd.dot(ws, [2.0, 3.0], Value(0.1, "b")).tanh() + autograd.dot(ws, ws) + autograd.logsumexp(ws)
    (h,) = autograd.linear([ws], [Value(1.5), Value(-0.5)], [Value(0.2)], activation="tanh")
    assert check_graph(z + h) == []


def test_a_bad_dot_local_grad_is_named_by_its_operand():
    w, x = Value(0.5, "w"), Value(2.0, "x")
    bad = make_node(1.0, (w, x), (2.0, 0.7), "dot")  # ∂(w·x)/∂x is w = 0.5
    (found,) = check_graph(bad)
    assert "∂/∂x = 0.7, central differences 0.5" in str(found)
