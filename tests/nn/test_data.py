import builtins
import math

import pytest

import nn
from nn import data


@pytest.mark.parametrize("make", [nn.make_moons, nn.make_circles, nn.make_blobs])
def test_generators_are_seeded_and_balanced(make):
    X, y = make(101, seed=3)
    assert len(X) == len(y) == 101 and all(len(r) == 2 and all(isinstance(v, float) for v in r) for r in X)
    assert make(101, seed=3) == (X, y) and make(101, seed=4) != (X, y)
    counts = [y.count(c) for c in sorted(set(y))]
    assert max(counts) - min(counts) <= 1


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = nn.make_moons(50, seed=0)
    for (a, b), label in zip(X, y):
        cx, cy = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.hypot(a - cx, b - cy) == pytest.approx(1.0)
        assert (b >= -1e-12) if label == 0 else (b <= 0.5 + 1e-12)


def test_circles_radii_and_noise():
    X, y = nn.make_circles(40, factor=0.5, seed=0)
    assert all(math.hypot(*r) == pytest.approx(1.0 if t == 0 else 0.5) for r, t in zip(X, y))
    Xn, _ = nn.make_circles(400, noise=0.1, factor=0.5, seed=0)
    assert any(abs(math.hypot(*r) - 1.0) > 0.05 and abs(math.hypot(*r) - 0.5) > 0.05 for r in Xn)


def test_blobs_cluster_around_given_centers():
    X, y = nn.make_blobs(300, centers=[[0.0, 0.0], [10.0, 10.0]], cluster_std=0.5, seed=1)
    for c in (0, 1):
        pts = [r for r, t in zip(X, y) if t == c]
        mean = [sum(p[j] for p in pts) / len(pts) for j in range(2)]
        assert mean == pytest.approx([10.0 * c] * 2, abs=0.2)


def test_bad_generator_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        nn.make_moons(1)
    with pytest.raises(ValueError, match="noise"):
        nn.make_moons(10, noise=-1)
    with pytest.raises(ValueError, match="factor"):
        nn.make_circles(10, factor=1.5)


def test_load_digits():
    pytest.importorskip("sklearn")
    X, y = nn.load_digits()
    assert len(X) == len(y) == 1797 and len(X[0]) == 64 and set(y) == set(range(10))


def test_load_digits_without_sklearn_names_the_extra(monkeypatch):
    real = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match=r"chainrule\[digits\]"):
        nn.load_digits()


def test_train_test_split_partitions_the_rows():
    X = [[float(i)] for i in range(20)]
    y = list(range(20))
    Xtr, Xte, ytr, yte = nn.train_test_split(X, y, 0.25, seed=0)
    assert len(Xte) == 5 and len(Xtr) == 15
    assert sorted(ytr + yte) == y and all(r[0] == t for r, t in zip(Xtr + Xte, ytr + yte))
    assert nn.train_test_split(X, y, 0.25, seed=0) == (Xtr, Xte, ytr, yte)
    assert len(nn.train_test_split(X, y, 3, seed=0)[1]) == 3
    with pytest.raises(ValueError, match="test_size"):
        nn.train_test_split(X, y, 1.5)
    with pytest.raises(ValueError, match="20 rows but y has 3"):
        nn.train_test_split(X, y[:3])


def test_train_test_split_without_shuffle_holds_out_the_last_rows():
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    Xtr, Xte, ytr, yte = nn.train_test_split(X, y, 3, shuffle=False)
    assert (ytr, yte) == ([0, 1, 2, 3, 4, 5, 6], [7, 8, 9])  # scikit-learn's split: the latest rows are the test
    assert (Xtr, Xte) == (X[:7], X[7:])
    assert nn.train_test_split(X, y, 0.25, shuffle=False)[3] == [7, 8, 9]


def test_batches_cover_the_data_once():
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    bs = list(nn.batches(X, y, 4, shuffle=True, seed=0))
    assert [len(b[1]) for b in bs] == [4, 4, 2]
    assert sorted(t for _, yb in bs for t in yb) == y
    assert list(nn.batches(X, y, 4, shuffle=True, seed=0)) == bs
    assert [yb for _, yb in nn.batches(X, y, 4, shuffle=False)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    with pytest.raises(ValueError, match="batch_size"):
        list(nn.batches(X, y, 0))


def test_standard_scaler():
    X = [[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]]
    sc = data.StandardScaler().fit(X)
    Z = sc.transform(X)
    assert [r[0] for r in Z] == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert [r[1] for r in Z] == [0.0, 0.0, 0.0]  # constant column: std taken as 1
    with pytest.raises(ValueError, match="row 0 has 1 columns"):
        sc.transform([[1.0]])


@pytest.mark.parametrize("v", [0.1, 0.3, 1 / 3, 1e10 + 0.1, -7.7, 0.0, 1e-300])
@pytest.mark.parametrize("n", [3, 7, 10])
def test_standard_scaler_constant_column_despite_rounding(v, n):
    # the mean of n copies of 0.1 rounds, leaving a std of ~1e-17: it must count as 0, not blow up
    X = [[v, float(i)] for i in range(n)]
    sc = data.StandardScaler().fit(X)
    assert sc.std[0] == 1.0
    assert [r[0] for r in sc.transform(X)] == [0.0] * n
    new = sc.transform([[v + 1.0, 0.0]])[0][0]
    assert new == pytest.approx((v + 1.0) - v)  # value − mean, not ~1e15


def test_standard_scaler_keeps_a_small_but_real_spread():
    X = [[1e-8], [2e-8], [3e-8]]
    sc = data.StandardScaler().fit(X)
    assert sc.std[0] == pytest.approx(math.sqrt(2 / 3) * 1e-8)
    assert [r[0] for r in sc.transform(X)] == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])


def test_make_blobs_argument_errors_name_the_argument():
    with pytest.raises(TypeError, match=r"make_blobs\(centers\) must be a count \(int\) or a list of points.*2\.0"):
        nn.make_blobs(10, centers=2.0)
    with pytest.raises(TypeError, match=r"make_blobs\(centers\)"):
        nn.make_blobs(10, centers=[[0.0, "a"]])
    with pytest.raises(TypeError, match=r"make_blobs\(center_box\) must be a pair"):
        nn.make_blobs(10, center_box=5)
    with pytest.raises(TypeError, match=r"make_blobs\(center_box\) must hold two numbers"):
        nn.make_blobs(10, center_box=("a", "b"))
    with pytest.raises(ValueError, match=r"make_blobs\(center_box\) must be finite with lo ≤ hi"):
        nn.make_blobs(10, center_box=(5.0, -5.0))


def test_numpy_scalars_are_accepted_as_sizes():
    np = pytest.importorskip("numpy")
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    assert len(nn.train_test_split(X, y, np.int64(5), seed=0)[1]) == 5
    assert len(nn.train_test_split(X, y, np.float32(0.2), seed=0)[1]) == 2
    assert len(nn.train_test_split(X, y, np.float64(0.3), seed=0)[1]) == 3
    assert nn.make_blobs(np.int64(6), centers=np.int64(2), seed=0) == nn.make_blobs(6, centers=2, seed=0)
    with pytest.raises(TypeError, match=r"train_test_split\(test_size\)"):
        nn.train_test_split(X, y, "0.2")
    with pytest.raises(TypeError, match=r"train_test_split\(test_size\)"):
        nn.train_test_split(X, y, True)


def test_a_scalers_assigned_mean_and_std_are_used():
    s = nn.StandardScaler().fit([[1.0, 2.0], [3.0, 6.0]])
    s.mean, s.std = [0.0, 0.0], [2.0, 4.0]
    assert s.transform([[2.0, 4.0]]) == [[1.0, 1.0]]
