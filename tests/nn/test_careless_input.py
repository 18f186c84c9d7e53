"""Careless input gets an error that names the problem, never a silent answer."""

import math

import pytest

import nn
from autograd import Value, draw_dot


def test_fit_without_a_model_names_the_argument():
    with pytest.raises(TypeError, match=r"fit\(model\)"):
        nn.fit(None, [[0.1, 0.2]], [0], epochs=1)


def test_fit_with_a_bad_threshold_names_it():
    with pytest.raises(TypeError, match=r"fit\(threshold\)"):
        nn.fit(nn.MLP(2, [1], seed=0), [[0.1, 0.2]], [0], epochs=1, threshold="a", loss="hinge")


def test_cross_entropy_refuses_a_bool_as_a_class_index():
    logits = [[Value(1.0), Value(2.0)]]
    for bad in (True, [True]):
        with pytest.raises(TypeError, match="class index"):
            nn.losses.cross_entropy(logits, bad)


@pytest.mark.parametrize("bad", [b"ab", "ab", {1.0, 2.0}, {1.0: 2.0, 2.0: 3.0}, frozenset({1.0, 2.0})])
def test_a_model_refuses_inputs_that_are_no_sequence_of_numbers(bad):
    model = nn.MLP(2, [1], seed=0)
    with pytest.raises(TypeError, match="sequence"):
        model(bad)
    with pytest.raises(TypeError, match="sequence"):
        model.batch([bad])


def test_standard_scaler_refuses_non_finite_values_naming_row_and_column():
    with pytest.raises(ValueError, match=r"row 0, column 1"):
        nn.StandardScaler().fit([[1.0, math.inf], [2.0, 3.0]])
    scaler = nn.StandardScaler().fit([[1.0, 2.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match=r"row 0, column 0"):
        scaler.transform([[math.nan, 1.0]])


def test_a_label_with_a_lone_surrogate_is_drawn_not_a_unicode_error():
    g = draw_dot(Value(1.0, "a\udc80") * 2)
    assert "\\udc80" in g.source
    assert g.pipe(format="svg").startswith(b"<?xml")
