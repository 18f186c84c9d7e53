import math
import random

import pytest

import nn
from autograd import Value, gradcheck
from nn import MLP, losses

N = 5


def batch(seed, lo=-3.0, hi=3.0, n=N):
    rng = random.Random(seed)
    return [rng.uniform(lo, hi) for _ in range(n)]


def ours(loss, outputs, targets):
    """Loss value and d loss / d output for each output."""
    vs = [Value(o) for o in outputs]
    out = loss(vs, targets)
    out.backward()
    return out.data, [v.grad for v in vs]


def theirs(torch_loss, outputs, targets, target_dtype=None):
    torch = pytest.importorskip("torch")
    x = torch.tensor(outputs, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(targets, dtype=target_dtype or torch.float64)
    out = torch_loss(x, t)
    out.backward()
    return out.item(), x.grad.tolist()


def agree(a, b):
    assert a[0] == pytest.approx(b[0], rel=1e-9, abs=1e-12)
    assert a[1] == pytest.approx(b[1], rel=1e-9, abs=1e-12)


def scalar_cases():
    F = pytest.importorskip("torch.nn.functional")
    torch = pytest.importorskip("torch")
    return F, torch


@pytest.mark.parametrize("seed", range(3))
def test_mse_and_rmse_match_torch(seed):
    F, torch = scalar_cases()
    x, t = batch(seed), batch(seed + 100)
    agree(ours(losses.mse, x, t), theirs(F.mse_loss, x, t))
    agree(ours(losses.rmse, x, t), theirs(lambda a, b: torch.sqrt(F.mse_loss(a, b)), x, t))


@pytest.mark.parametrize("seed", range(3))
def test_binary_cross_entropy_matches_torch(seed):
    F, _ = scalar_cases()
    p = batch(seed, 0.01, 0.99)
    t = [float(random.Random(seed).random() < 0.5) for _ in p]
    t[0] = 0.3  # soft targets too
    agree(ours(losses.binary_cross_entropy, p, t), theirs(F.binary_cross_entropy, p, t))


def test_binary_cross_entropy_clamps_its_logs_at_minus_100_like_torch():
    F, _ = scalar_cases()
    p, t = [0.0, 1.0, 0.5], [1.0, 0.0, 1.0]
    assert losses.binary_cross_entropy([Value(v) for v in p], t).data == pytest.approx(
        theirs(F.binary_cross_entropy, p, t)[0], rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_binary_cross_entropy_with_logits_matches_torch_even_for_huge_logits(seed):
    F, _ = scalar_cases()
    z = batch(seed, -10, 10) + [800.0, -800.0]
    t = [float(i % 2) for i in range(len(z))]
    agree(ours(losses.binary_cross_entropy_with_logits, z, t), theirs(F.binary_cross_entropy_with_logits, z, t))


@pytest.mark.parametrize("seed", range(3))
def test_hinge_matches_the_clamped_margin_in_torch(seed):
    _, torch = scalar_cases()
    s = batch(seed)
    y = [1.0 if i % 2 else -1.0 for i in range(N)]
    agree(ours(losses.hinge, s, y), theirs(lambda a, b: torch.clamp(1 - a * b, min=0).mean(), s, y))


@pytest.mark.parametrize("seed", range(3))
def test_cross_entropy_matches_torch_even_for_huge_logits(seed):
    F, torch = scalar_cases()
    rng = random.Random(seed)
    rows = [[rng.uniform(-5, 5) for _ in range(4)] for _ in range(3)] + [[1000.0, -1000.0, 999.0, 0.0]]
    ys = [rng.randrange(4) for _ in rows]
    vs = [[Value(z) for z in r] for r in rows]
    out = losses.cross_entropy(vs, ys)
    out.backward()
    x = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    ref = F.cross_entropy(x, torch.tensor(ys))
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-9)
    assert [v.grad for r in vs for v in r] == pytest.approx(x.grad.flatten().tolist(), rel=1e-9, abs=1e-12)


def test_softmax_and_log_softmax_match_torch_and_do_not_overflow():
    _, torch = scalar_cases()
    z = [1.0, 2.0, -3.0, 1000.0]
    ref = torch.tensor(z, dtype=torch.float64)
    assert [v.data for v in losses.softmax(z)] == pytest.approx(torch.softmax(ref, 0).tolist(), rel=1e-12, abs=1e-300)
    assert [v.data for v in losses.log_softmax(z)] == pytest.approx(torch.log_softmax(ref, 0).tolist(), rel=1e-12)
    assert sum(v.data for v in losses.softmax([0.5, -0.5, 2.0])) == pytest.approx(1.0, abs=1e-15)


FUNCS = {
    "mse": lambda *v: losses.mse(v[:3], [0.5, -1.0, 2.0]),
    "rmse": lambda *v: losses.rmse(v[:3], [0.5, -1.0, 2.0]),
    "bce": lambda *v: losses.binary_cross_entropy([x.sigmoid() for x in v[:3]], [1.0, 0.0, 0.25]),
    "bce_logits": lambda *v: losses.binary_cross_entropy_with_logits(v[:3], [1.0, 0.0, 0.25]),
    "hinge": lambda *v: losses.hinge(v[:3], [1, -1, 1]),
    "cross_entropy": lambda *v: losses.cross_entropy([v[:3], v[3:]], [2, 0]),
    "log_softmax": lambda *v: losses.log_softmax(v)[1] * 2.0 + losses.softmax(v)[4],
}


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_gradients_agree_with_central_differences(name):
    assert gradcheck(FUNCS[name], [0.3, -0.4, 1.7, 0.9, -1.1, 0.2], atol=1e-7, rtol=1e-6)


def test_bad_arguments_raise_naming_the_problem():
    with pytest.raises(ValueError, match="3 outputs but 2 targets"):
        losses.mse([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        losses.mse([], [])
    with pytest.raises(ValueError, match="target 1 is 3, out of range for 3 classes"):
        losses.cross_entropy([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], [0, 3])
    with pytest.raises(ValueError, match="target 0 is -1"):
        losses.cross_entropy([[1.0, 2.0]], [-1])
    with pytest.raises(TypeError, match="class index"):
        losses.cross_entropy([[1.0, 2.0]], [0.5])
    with pytest.raises(ValueError, match="labels must be -1 or 1"):
        losses.hinge([0.5, 0.2], [1, 0])
    with pytest.raises(ValueError, match="outside"):
        losses.binary_cross_entropy([Value(1.5)], [1.0])
    with pytest.raises(TypeError, match="target 0"):
        losses.mse([1.0], ["a"])


@pytest.mark.parametrize("loss", [losses.binary_cross_entropy, losses.binary_cross_entropy_with_logits])
@pytest.mark.parametrize("bad", [-1, 2, 1.5, -0.25, float("nan")])
def test_binary_cross_entropies_reject_targets_outside_0_1(loss, bad):
    # like torch's binary_cross_entropy; with ±1 labels the loss had no lower bound
    with pytest.raises(ValueError, match=rf"{loss.__name__}: target 1 is {bad!r}, outside \[0, 1\]"):
        loss([0.5, 0.5], [1, bad])
    assert loss([0.5], [0.0]).data >= 0 and loss([0.5], [1.0]).data >= 0  # the ends of [0, 1] are fine


def test_fit_with_plus_minus_one_labels_and_bce_says_so():
    X, y = nn.make_moons(20, noise=0.1, seed=0)
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits: target .* is -1, outside"):
        nn.fit(MLP(2, [4, 1], seed=0), X, [2 * t - 1 for t in y], loss="bce_with_logits", epochs=1, progress=False)


def test_losses_accept_one_element_rows_and_return_a_value():
    out = losses.binary_cross_entropy_with_logits([[Value(0.0)], [Value(0.0)]], [1, 0])
    assert isinstance(out, Value) and out.data == pytest.approx(math.log(2))
    assert losses.mse([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 2.0]]).data == pytest.approx(1.0)


def test_mse_takes_numpy_rows_and_n_by_1_targets():
    np = pytest.importorskip("numpy")
    outs = [[Value(0.2), Value(0.7), Value(0.1)], [Value(0.5), Value(0.1), Value(0.4)]]
    one_hot = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    want = losses.mse(outs, one_hot).data
    assert losses.mse(outs, np.array(one_hot)).data == want  # ndarray rows are flattened like lists
    assert losses.mse(outs, [np.array(r) for r in one_hot]).data == want
    single = [Value(0.5), Value(-1.0)]  # one output per sample, targets of shape (n, 1)
    assert losses.mse(single, np.array([[1.0], [0.0]])).data == losses.mse(single, [1.0, 0.0]).data
    assert losses.mse(single, [[1.0], (0.0,)]).data == losses.mse(single, [1.0, 0.0]).data
    assert losses.binary_cross_entropy_with_logits(single, np.array([[1.0], [0.0]])).data == pytest.approx(
        losses.binary_cross_entropy_with_logits(single, [1.0, 0.0]).data)
    with pytest.raises(ValueError, match="sample 1 has 3 outputs but 2 targets"):
        losses.mse(outs, [np.zeros(3), np.zeros(2)])
    with pytest.raises(ValueError, match="sample 0 has 1 output but 2 targets"):
        losses.mse(single, np.zeros((2, 2)))


def test_cross_entropy_and_softmax_at_logits_1e16_are_those_of_torch():
    # ln Σ e^z rounds to z itself there; the shifted form does not (torch float64: 0.693…, [−0.5, 0.5])
    z = [Value(1e16), Value(1e16)]
    out = losses.cross_entropy([z], [0])
    out.backward()
    assert out.data == pytest.approx(math.log(2.0), rel=1e-15)
    assert [v.grad for v in z] == [-0.5, 0.5]
    assert [p.data for p in losses.softmax([1e16, 1e16])] == [0.5, 0.5]
    assert [v.data for v in losses.log_softmax([1e16, 1e16])] == pytest.approx([-math.log(2.0)] * 2, rel=1e-15)


def test_softmax_sums_to_1_within_rounding_at_1e12():
    # the unshifted form's log-sum-exp is off by ulp(1e12) ≈ 1e-4: the probabilities summed to 1.00003
    for z in ([1e12, 0.0, 1e12 - 3.0], [1e15, 1e15 + 2.0, -1e15], [-1e300, 1e300, 0.0, 1e300]):
        assert abs(math.fsum(p.data for p in losses.softmax(z)) - 1.0) <= 4 * len(z) * 2.0**-53
