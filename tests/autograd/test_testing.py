"""The hypothesis strategies that users import."""

import math

import pytest
from hypothesis import find, given, settings

from autograd import Value
from autograd.testing import Expression, expressions, reals, values


@given(reals(-2.0, 3.0))
def test_reals_are_finite_and_in_range(x):
    assert math.isfinite(x) and -2.0 <= x <= 3.0


@given(values(0.0, 1.0, label="p"))
def test_values_are_labelled_leaves(v):
    assert isinstance(v, Value) and v.label == "p" and v.op == "" and 0.0 <= v.data <= 1.0


def _nodes(v):
    from autograd import topological_order

    return topological_order(v)


def test_expressions_contain_repeated_parents_and_shared_subexpressions():
    rep = find(expressions(2), lambda e: any(len(set(n.parents)) < len(n.parents) for n in _nodes(e.value)))
    assert any(len(set(n.parents)) < len(n.parents) for n in _nodes(rep.value))

    def shared(e):
        nodes = _nodes(e.value)
        uses = {}
        for n in nodes:
            for p in set(n.parents):
                if p.parents:
                    uses[p] = uses.get(p, 0) + 1
        return any(u > 1 for u in uses.values())

    assert shared(find(expressions(2), shared))


@settings(max_examples=100, deadline=None)
@given(expressions(3))
def test_an_expression_replays_to_the_same_value(expr):
    again = expr(*[Value(x.data) for x in expr.inputs])
    assert again.data == expr.value.data
    assert "t3 =" in repr(expr)


def test_expressions_over_given_inputs_build_on_them():
    xs = [Value(0.5, "a"), Value(1.5, "b")]
    expr = find(expressions(xs, max_ops=3), lambda e: True)
    assert isinstance(expr, Expression) and expr.inputs == tuple(xs)


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown op"):
        expressions(2, ops=["nope"])
    with pytest.raises(ValueError, match="max_ops"):
        expressions(2, max_ops=0)


def test_importing_autograd_testing_without_hypothesis_names_the_extra(monkeypatch):
    import importlib
    import sys

    for name in [m for m in sys.modules if m == "hypothesis" or m.startswith("hypothesis.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # import hypothesis now raises ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "autograd.testing")
    with pytest.raises(ImportError, match=r"pip install 'chainrule\[testing\]'"):
        importlib.import_module("autograd.testing")
