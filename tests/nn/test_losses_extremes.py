"""Softmax, cross-entropy and the binary cross-entropies against torch float64 over wide ranges.

Logits from ±1e300 to the infinities and NaN; probabilities down to 1e-300
and up to 1 − 2⁻⁵³.  Both sides must give the same numbers (NaN where torch
gives NaN), except where the README's table of differences says otherwise.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from nn import losses

torch = pytest.importorskip("torch")
F = torch.nn.functional

EPS = 2.0**-53


def same(ours, theirs, rel=1e-9, abs_tol=None):
    """Equal as float64 results: NaN where NaN, the same infinity, else close (``abs_tol``: one bound per item,
    for results that are a difference of larger numbers, which both sides round)."""
    assert len(ours) == len(theirs), (ours, theirs)
    abs_tol = [1e-300] * len(ours) if abs_tol is None else abs_tol
    for a, b, tol in zip(ours, theirs, abs_tol):
        if math.isnan(b) or math.isnan(a):
            assert math.isnan(a) and math.isnan(b), (ours, theirs)
        elif math.isinf(b) or math.isinf(a):
            assert a == b, (ours, theirs)
        else:
            assert a == pytest.approx(b, rel=rel, abs=max(tol, 1e-300)), (ours, theirs)


wide = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e300, 1e300),
    st.floats(-50.0, 50.0),
    st.sampled_from([1e16, -1e16, 1e300, -1e300, 0.0, -0.0, math.inf, -math.inf]),
)
finite = st.one_of(st.floats(-1e300, 1e300), st.floats(-1e16, 1e16), st.floats(-50.0, 50.0))
rows = st.lists(wide, min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(rows)
def test_softmax_and_log_softmax_match_torch(z):
    ref = torch.tensor(z, dtype=torch.float64)
    same([p.data for p in losses.softmax(z)], torch.softmax(ref, 0).tolist())
    # ln Σ e^s ∈ [0, ln n] is rounded on both sides: its error is absolute
    same([v.data for v in losses.log_softmax(z)], torch.log_softmax(ref, 0).tolist(),
         abs_tol=[4 * len(z) * EPS] * len(z))


@settings(max_examples=300, deadline=None)
@given(st.lists(finite, min_size=1, max_size=8))
def test_softmax_sums_to_1_within_rounding_for_any_finite_logits(z):
    assert abs(math.fsum(p.data for p in losses.softmax(z)) - 1.0) <= 4 * len(z) * EPS


@settings(max_examples=300, deadline=None)
@given(rows, st.data())
def test_cross_entropy_and_its_gradients_match_torch(z, data):
    y = data.draw(st.integers(0, len(z) - 1))
    vs = [Value(x) for x in z]
    out = losses.cross_entropy([vs], [y])
    out.backward()
    x = torch.tensor([z], dtype=torch.float64, requires_grad=True)
    ref = F.cross_entropy(x, torch.tensor([y]))
    ref.backward()
    same([out.data], [ref.item()], abs_tol=[4 * len(z) * EPS])
    same([v.grad for v in vs], x.grad[0].tolist())


probs = st.one_of(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1e-12),
    st.floats(1.0 - 1e-12, 1.0),
    st.sampled_from([0.0, 1.0, 1e-50, 1e-300, 5e-324, 1e-44, 1.0 - EPS, 1e-12]),
)
targets = st.one_of(st.sampled_from([0.0, 1.0, 0.3]), st.floats(0.0, 1.0))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(probs, targets), min_size=1, max_size=4))
def test_binary_cross_entropy_and_its_gradients_match_torch(pairs):
    p, t = [a for a, _ in pairs], [b for _, b in pairs]
    vs = [Value(x) for x in p]
    out = losses.binary_cross_entropy(vs, t)
    out.backward()
    x = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    ref = F.binary_cross_entropy(x, torch.tensor(t, dtype=torch.float64))
    ref.backward()
    same([out.data], [ref.item()], abs_tol=[4 * EPS * (1 + abs(ref.item()))])
    # inside the clamp both sides round y/p and (1 − y)/(1 − p) differently: their difference cancels
    same([v.grad for v in vs], x.grad.tolist(),
         abs_tol=[8 * EPS * (1 / max(a, 1e-12) + 1 / max(1 - a, 1e-12)) / len(p) for a in p])


def test_binary_cross_entropy_below_the_clamp_pulls_towards_the_target():
    # p = 1e-50, y = 0.3: ln p is clamped at −100, but the gradient must still push p up (torch: ≈ −3e11)
    p = Value(1e-50)
    losses.binary_cross_entropy([p], [0.3]).backward()
    assert p.grad == pytest.approx(-3e11, rel=1e-8)  # torch's 1e-12 is a float32: −3.000000012e11


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(finite, targets), min_size=1, max_size=4))
def test_binary_cross_entropy_with_logits_and_its_gradients_match_torch(pairs):
    z, t = [a for a, _ in pairs], [b for _, b in pairs]
    vs = [Value(x) for x in z]
    out = losses.binary_cross_entropy_with_logits(vs, t)
    out.backward()
    x = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    ref = F.binary_cross_entropy_with_logits(x, torch.tensor(t, dtype=torch.float64))
    ref.backward()
    # torch rounds (1 − y)z + max(−z, 0) + ln(1 + e^−|z|) as one sum: a tiny loss loses its digits there
    # (z = −40, y = 0: torch 0, here 4.2e-18); the README's table of differences says so
    same([out.data], [ref.item()], abs_tol=[4 * EPS * (1 + max(abs(a) for a in z))])
    same([v.grad for v in vs], x.grad.tolist(), abs_tol=[4 * EPS] * len(z))  # torch's σ(z) − y rounds σ(z) first


def test_binary_cross_entropy_with_logits_keeps_a_tiny_loss_and_gives_the_limit_at_infinite_logits():
    # torch float64 gives 0 for the first and NaN for the last two (see the README's table of differences)
    inf = math.inf
    for z, y, loss, grad in [(-40.0, 0.0, 4.248354255291589e-18, 4.248354255291589e-18),
                             (40.0, 1.0, 4.248354255291589e-18, -4.248354255291589e-18),
                             (inf, 0.3, inf, 0.7), (-inf, 0.3, inf, -0.3), (inf, 1.0, 0.0, 0.0)]:
        v = Value(z)
        out = losses.binary_cross_entropy_with_logits([v], [y])
        out.backward()
        assert (out.data, v.grad) == (pytest.approx(loss, rel=1e-12), pytest.approx(grad, rel=1e-12)), (z, y)
