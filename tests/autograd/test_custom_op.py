"""A user's own primitive: autograd.custom_op (autograd/custom.py) and check_primitive."""

import math

import pytest

from autograd import GradcheckError, Value, custom_op, draw_dot, grad, hessian, hvp, no_grad
from autograd.custom import CUSTOM_OPS
from autograd.opinfo import OPS
from autograd.ops import FLOAT, PRIMITIVES, Arg
from autograd.steps import backward_steps
from autograd.testing import check_primitive


@pytest.fixture(autouse=True)
def registry():
    """Every op a test registers is gone after it: the registries as they were."""
    custom, described = dict(CUSTOM_OPS), dict(OPS)
    yield
    CUSTOM_OPS.clear()
    CUSTOM_OPS.update(custom)
    OPS.clear()
    OPS.update(described)


def sigmoid(a):
    return 1.0 / (1.0 + math.exp(-a))


def make_swish():
    @custom_op("swish", domain=[(-30.0, 30.0)])
    def swish(a, m=FLOAT):
        # out = a·σ(a)        ∂out/∂a = σ(a)·(1 + a·(1 − σ(a)))
        s = m.sigmoid(a)
        return a * s, (s * (1.0 + a * (1.0 - s)),)

    return swish


def make_ratio():
    @custom_op("ratio", domain=[(-3.0, 3.0), (0.5, 3.0)])
    def ratio(a, b, m=FLOAT):
        # out = a/b           ∂out/∂a = 1/b,   ∂out/∂b = −a/b²
        return a / b, (1.0 / b, -a / (b * b))

    return ratio


def make_swish_with_math():
    @custom_op("swish_math", domain=[(-30.0, 30.0)])
    def swish_math(a, m=FLOAT):
        s = 1.0 / (1.0 + math.exp(-a))  # math.exp: fine on floats, not on Values
        return a * s, (s * (1.0 + a * (1.0 - s)),)

    return swish_math


# ---------------------------------------------------------------- the op
@pytest.mark.parametrize("x0", [-20.0, -1.5, 0.0, 0.8, 25.0])
def test_forward_and_derivative_match_the_composite(x0):
    swish = make_swish()
    x, x2 = Value(x0, "x"), Value(x0)
    y, composite = swish(x), x2 * x2.sigmoid()
    assert y.op == "swish" and y.parents == (x,) and len(y.local_grads) == 1
    assert y.data == pytest.approx(composite.data, rel=1e-14, abs=1e-300)
    y.backward()
    assert x.grad == pytest.approx(grad(composite, x2), rel=1e-12, abs=1e-300)


def test_two_operands_numbers_become_leaves():
    ratio = make_ratio()
    a, b = Value(3.0, "a"), Value(2.0, "b")
    out = ratio(a, b)
    assert out.op == "ratio" and out.parents == (a, b) and out.data == 1.5
    assert grad(out, [a, b]) == [0.5, -0.75]
    half = ratio(a, 2)  # a number operand becomes a leaf parent, as in autograd.dot
    assert half.data == 1.5 and half.parents[0] is a and half.parents[1].data == 2.0
    assert ratio(1, 4).data == 0.25


def test_no_grad_records_no_graph():
    swish = make_swish()
    x = Value(1.0)
    with no_grad():
        y = swish(x)
    assert y.op == "" and y.parents == () and y.data == pytest.approx(sigmoid(1.0))


def test_math_errors_name_the_op_and_its_operands():
    @custom_op("mylog", domain=[(0.1, 5.0)])
    def mylog(a, m=FLOAT):
        return m.log(a), (1.0 / a,)

    with pytest.raises(ValueError, match=r"^mylog\(x=-1\.0\): math domain error$"):
        mylog(Value(-1.0, "x"))
    with pytest.raises(ZeroDivisionError, match=r"^ratio\(Value\(1\.0\), Value\(0\.0\)\): "):
        make_ratio()(1.0, 0.0)

    @custom_op("myexp", domain=[(-3.0, 3.0)])
    def myexp(a, m=FLOAT):
        out = m.exp(a)
        return out, (out,)

    with pytest.raises(OverflowError, match=r"^myexp\(Value\(1000\.0\)\)"):
        myexp(1000.0)


def test_bad_calls_and_bad_rules():
    swish = make_swish()
    with pytest.raises(TypeError, match="swish: takes 1 operand"):
        swish(Value(1.0), Value(2.0))
    with pytest.raises(TypeError, match=r"swish\(operands\)\[0\]: expected a real number .* str"):
        swish("1.0")

    @custom_op("two_grads", domain=[(-1.0, 1.0)])
    def two_grads(a, m=FLOAT):
        return a, (1.0, 1.0)

    with pytest.raises(ValueError, match="two_grads: the rule returned 2 local grads for 1 operand"):
        two_grads(0.5)


def test_registration_errors():
    def rule(a, m=FLOAT):
        return a, (1.0,)

    for name in ("exp", "+", "*", "**2", "sum", "relu"):
        with pytest.raises(ValueError, match="built-in op's name"):
            custom_op(name, domain=[(-1.0, 1.0)])
    with pytest.raises(TypeError, match="non-empty str"):
        custom_op("", domain=[(-1.0, 1.0)])
    with pytest.raises(ValueError, match="the domain has 2 entries, the rule 1 operand"):
        custom_op("f", domain=[(-1.0, 1.0), (0.0, 1.0)])(rule)
    with pytest.raises(TypeError, match="parameter m"):
        custom_op("f", domain=[(-1.0, 1.0)])(lambda a: (a, (1.0,)))
    with pytest.raises(ValueError, match="lo < hi"):
        custom_op("f", domain=[(1.0, -1.0)])
    with pytest.raises(TypeError, match=r"\(lo, hi\) or an Arg"):
        custom_op("f", domain=[1.0])
    with pytest.raises(ValueError, match="scalars"):
        custom_op("f", domain=[Arg(-1.0, 1.0, "xs")])
    assert "f" not in CUSTOM_OPS and "f" not in OPS


def test_registered_apart_from_the_built_ins_and_replaced_by_name():
    swish = make_swish()
    assert CUSTOM_OPS["swish"] is swish and "swish" not in PRIMITIVES
    assert swish.domain == (Arg(-30.0, 30.0),) and swish.name == "swish"
    again = make_swish()  # re-running a notebook cell
    assert CUSTOM_OPS["swish"] is again and again(1.0).op == "swish"
    assert "swish" in repr(again)


# ---------------------------------------------------------------- higher order
def test_second_derivative_matches_central_differences_of_the_first():
    swish = make_swish()
    h = 1e-5
    for x0 in (-4.0, -1.278, 0.0, 0.6, 3.0):
        x = Value(x0)
        d2 = grad(grad(swish(x), x, create_graph=True), x)
        up, down = Value(x0 + h), Value(x0 - h)
        numeric = (grad(swish(up), up) - grad(swish(down), down)) / (2 * h)
        assert d2 == pytest.approx(numeric, rel=1e-6, abs=1e-9)
        s = sigmoid(x0)
        assert d2 == pytest.approx(s * (1 - s) * (2 + x0 * (1 - 2 * s)), rel=1e-12, abs=1e-15)


def test_hessian_hvp_and_third_derivative_of_an_nary_op():
    ratio = make_ratio()
    a, b = 1.5, 2.0
    want = [[0.0, -1 / b**2], [-1 / b**2, 2 * a / b**3]]
    got = hessian(ratio, [a, b])
    assert got == [[0.0, pytest.approx(want[0][1])], [pytest.approx(want[1][0]), pytest.approx(want[1][1])]]
    assert hvp(ratio, [a, b], [1.0, 1.0]) == pytest.approx([sum(r) for r in want], rel=1e-14)
    y = Value(b)
    d3 = grad(grad(grad(ratio(a, y), y, create_graph=True), y, create_graph=True), y)  # ∂³(a/b)/∂b³ = −6a/b⁴
    assert d3 == pytest.approx(-6 * a / b**4, rel=1e-12)
    x = Value(a)
    out = ratio(x, y) * x
    out.backward(create_graph=True)
    assert isinstance(x.grad, Value) and grad(x.grad, x) == pytest.approx(2 / b)


def test_a_rule_written_with_math_gives_a_clear_error_not_a_wrong_number():
    swish_math = make_swish_with_math()
    x = Value(0.8)
    assert grad(swish_math(x), x) == pytest.approx(grad(make_swish()(x), x), rel=1e-15)  # first order: fine
    with pytest.raises(TypeError, match=r"custom op 'swish_math'.*m\.exp\(a\)"):
        grad(swish_math(x), x, create_graph=True)
    with pytest.raises(TypeError, match="swish_math"):
        hessian(swish_math, [0.8])
    assert float(Value(2.5)) == 2.5  # float() of a Value works again afterwards


# ---------------------------------------------------------------- check_primitive
def test_check_primitive_passes_good_rules_by_name_op_or_rule():
    swish, ratio = make_swish(), make_ratio()
    assert check_primitive("swish", reference=lambda a: a * sigmoid(a), max_examples=30, seed=1)
    assert check_primitive(ratio, max_examples=30, seed=1)
    assert check_primitive(swish.rule, max_examples=10, seed=1)


def test_check_primitive_catches_a_wrong_derivative():
    @custom_op("bad_swish", domain=[(-6.0, 6.0)])
    def bad_swish(a, m=FLOAT):
        s = m.sigmoid(a)
        return a * s, (s * (1.0 + a * s),)  # bug: 1 − σ written σ

    with pytest.raises(GradcheckError, match=r"bad_swish: ∂out/∂a at a=.*: the rule gives .*central differences"):
        check_primitive(bad_swish, seed=0)

    @custom_op("bad_ratio", domain=[(-3.0, 3.0), (0.5, 3.0)])
    def bad_ratio(a, b, m=FLOAT):
        return a / b, (1.0 / b, a / (b * b))  # bug: the sign of ∂/∂b

    with pytest.raises(GradcheckError, match=r"∂out/∂b at a=.*, b="):
        check_primitive(bad_ratio, seed=0)


def test_check_primitive_catches_a_rule_that_differs_on_values():
    @custom_op("two_faced", domain=[(-2.0, 2.0)])
    def two_faced(a, m=FLOAT):
        out = m.tanh(a)
        return out, (1.0 - out * out if m is FLOAT else 1.0 + 0.0 * out,)

    with pytest.raises(GradcheckError, match="on Values"):
        check_primitive(two_faced, seed=0)


def test_check_primitive_catches_a_math_rule():
    make_swish_with_math()
    with pytest.raises(TypeError, match="m.exp"):
        check_primitive("swish_math", seed=0)


def test_check_primitive_argument_errors():
    with pytest.raises(ValueError, match="no primitive named 'nope'"):
        check_primitive("nope")
    with pytest.raises(TypeError, match="not a registered rule"):
        check_primitive(lambda a, m=FLOAT: (a, (1.0,)))


# ---------------------------------------------------------------- drawing
def test_drawn_like_a_built_in_unary_op():
    @custom_op("mytanh", domain=[(-3.0, 3.0)])
    def mytanh(a, m=FLOAT):
        out = m.tanh(a)
        return out, (1.0 - out * out,)

    x1, x2 = Value(0.5, "x"), Value(0.5, "x")
    builtin, custom = x1.tanh(), mytanh(x2)
    builtin.backward()
    custom.backward()
    source = draw_dot(custom).source
    assert "v1_op [label=mytanh " in source  # the op's own small node, named
    assert source == draw_dot(builtin).source.replace("tanh", "mytanh")
    captions = [f.caption for f in backward_steps(custom).frames]
    assert captions == [f.caption.replace("tanh", "mytanh") for f in backward_steps(builtin).frames]
    assert "#1 = mytanh(x)" in captions[1]
