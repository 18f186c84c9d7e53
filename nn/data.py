"""Small data sets and batching, in plain Python (rows are lists of floats, labels ints).

``make_moons``, ``make_circles`` and ``make_blobs`` follow scikit-learn's
generators of the same names, drawn from ``random.Random(seed)``;
``load_digits`` needs scikit-learn (``pip install 'chainrule[digits]'``).
"""

from __future__ import annotations

import math
import random
import sys
from typing import Iterator, Sequence

from ._checks import checked_int, checked_number, checked_seed, is_int, is_number

__all__ = [
    "make_moons",
    "make_circles",
    "make_blobs",
    "load_digits",
    "train_test_split",
    "batches",
    "StandardScaler",
]


def _linspace(a: float, b: float, n: int, endpoint: bool = True) -> list[float]:
    if n == 1:
        return [a]
    d = (b - a) / (n - 1 if endpoint else n)
    return [a + i * d for i in range(n)]


def _finish(points: list, labels: list, noise: float, rng: random.Random) -> tuple[list, list]:
    order = list(range(len(points)))
    rng.shuffle(order)
    X = [[c + rng.gauss(0.0, noise) if noise else c for c in points[i]] for i in order]
    return X, [labels[i] for i in order]


def make_moons(n_samples: int = 100, *, noise: float = 0.0, seed: int | None = None) -> tuple[list, list]:
    """Two interleaving half circles, labels 0 (upper) and 1 (lower), Gaussian noise of std ``noise``."""
    n = checked_int(n_samples, "make_moons(n_samples)", 2)
    noise = checked_number(noise, "make_moons(noise)", 0.0)
    rng = random.Random(checked_seed(seed, "make_moons(seed)"))
    n_out = n // 2
    n_in = n - n_out
    pts = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    pts += [[1.0 - math.cos(t), 1.0 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, n_in)]
    return _finish(pts, [0] * n_out + [1] * n_in, noise, rng)


def make_circles(
    n_samples: int = 100, *, noise: float = 0.0, factor: float = 0.8, seed: int | None = None
) -> tuple[list, list]:
    """Two concentric circles, label 0 outer (radius 1) and 1 inner (radius ``factor``)."""
    n = checked_int(n_samples, "make_circles(n_samples)", 2)
    noise = checked_number(noise, "make_circles(noise)", 0.0)
    factor = checked_number(factor, "make_circles(factor)", 0.0, 1.0, below_maximum=True)
    rng = random.Random(checked_seed(seed, "make_circles(seed)"))
    n_out = n // 2
    n_in = n - n_out
    pts = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_out, endpoint=False)]
    pts += [[factor * math.cos(t), factor * math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_in, endpoint=False)]
    return _finish(pts, [0] * n_out + [1] * n_in, noise, rng)


def make_blobs(
    n_samples: int = 100,
    *,
    centers: int | Sequence[Sequence[float]] = 3,
    n_features: int = 2,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    seed: int | None = None,
) -> tuple[list, list]:
    """Gaussian blobs of std ``cluster_std`` around ``centers`` (a count, drawn in ``center_box``, or points)."""
    n = checked_int(n_samples, "make_blobs(n_samples)", 1)
    std = checked_number(cluster_std, "make_blobs(cluster_std)", 0.0)
    rng = random.Random(checked_seed(seed, "make_blobs(seed)"))
    if is_int(centers):
        k = checked_int(centers, "make_blobs(centers)", 1)
        d = checked_int(n_features, "make_blobs(n_features)", 1)
        lo, hi = _box(center_box)
        cs = [[rng.uniform(lo, hi) for _ in range(d)] for _ in range(k)]
    else:
        if isinstance(centers, (int, str, bytes)) or is_number(centers):  # int: only a bool gets here
            raise TypeError(
                f"make_blobs(centers) must be a count (int) or a list of points, got {type(centers).__name__}: "
                f"{centers!r}"
            )
        try:
            cs = [[float(c) for c in row] for row in centers]
        except (TypeError, ValueError) as e:
            msg = f"make_blobs(centers) must be a count (int) or a list of points (lists of numbers): {e}"
            raise TypeError(msg) from None
        if not cs or len({len(c) for c in cs}) != 1:
            raise ValueError("make_blobs(centers) must be a count or a non-empty list of points of one dimension")
    k = len(cs)
    per = [n // k + (1 if i < n % k else 0) for i in range(k)]
    pts, labels = [], []
    for i, (c, m) in enumerate(zip(cs, per)):
        pts += [list(c) for _ in range(m)]
        labels += [i] * m
    return _finish(pts, labels, std, rng)


def _box(center_box) -> tuple[float, float]:
    """make_blobs' center_box: a pair (lo, hi) of finite numbers, lo ≤ hi."""
    try:
        lo, hi = center_box
    except (TypeError, ValueError):
        raise TypeError(f"make_blobs(center_box) must be a pair (lo, hi), got {center_box!r}") from None
    for v in (lo, hi):
        if not is_number(v):
            raise TypeError(f"make_blobs(center_box) must hold two numbers, got {center_box!r}")
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
        raise ValueError(f"make_blobs(center_box) must be finite with lo ≤ hi, got {center_box!r}")
    return lo, hi


def load_digits() -> tuple[list, list]:
    """scikit-learn's 8×8 digits: 1797 rows of 64 pixel values in 0..16, labels 0..9."""
    try:
        from sklearn.datasets import load_digits as sk_load_digits
    except ImportError:
        raise ImportError(
            "load_digits needs scikit-learn, which bundles the digits: pip install 'chainrule[digits]'"
        ) from None
    d = sk_load_digits()
    return d.data.tolist(), [int(t) for t in d.target]


def _check_xy(X, y, where: str) -> tuple[list, list]:
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"{where}: X has {len(X)} rows but y has {len(y)} labels")
    return X, y


def train_test_split(
    X: Sequence, y: Sequence, test_size: float | int = 0.25, *, seed: int | None = None, shuffle: bool = True
) -> tuple[list, list, list, list]:
    """(X_train, X_test, y_train, y_test); ``test_size`` is a fraction in (0, 1) or a row count.

    Rows are shuffled with ``random.Random(seed)``; with ``shuffle=False`` the test set is the LAST
    rows, in order (as scikit-learn: for time-ordered data, hold out the latest rows).
    """
    X, y = _check_xy(X, y, "train_test_split")
    n = len(X)
    # numpy scalars (np.int64(5), np.float32(0.2)) count as ints and floats, as everywhere in nn
    if not is_number(test_size):
        raise TypeError(f"train_test_split(test_size) must be a float or an int, got {type(test_size).__name__}")
    if is_int(test_size):
        n_test = int(test_size)
    else:
        if not 0.0 < float(test_size) < 1.0:
            raise ValueError(f"train_test_split(test_size) as a fraction must be in (0, 1), got {test_size}")
        n_test = math.ceil(float(test_size * n))  # in test_size's own precision: np.float32(0.2) * 10 is 2
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: test_size gives {n_test} test rows of {n}; need between 1 and {n - 1}")
    seed = checked_seed(seed, "train_test_split(seed)")
    order = list(range(n))
    if shuffle:
        random.Random(seed).shuffle(order)
        test, train = order[:n_test], order[n_test:]
    else:
        train, test = order[: n - n_test], order[n - n_test :]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]


def batches(
    X: Sequence, y: Sequence, batch_size: int, shuffle: bool = True, seed: int | random.Random | None = None
) -> Iterator[tuple[list, list]]:
    """(X_batch, y_batch) pairs covering the data once; the last batch may be smaller."""
    X, y = _check_xy(X, y, "batches")
    bs = checked_int(batch_size, "batches(batch_size)", 1)
    seed = checked_seed(seed, "batches(seed)", allow_random=True)
    order = list(range(len(X)))
    if shuffle:
        (seed if isinstance(seed, random.Random) else random.Random(seed)).shuffle(order)
    for s in range(0, len(order), bs):
        idx = order[s : s + bs]
        yield [X[i] for i in idx], [y[i] for i in idx]


_NEGLIGIBLE = 10 * sys.float_info.epsilon  # a std at most this times |mean| is rounding noise, taken as 0


def _finite_row(row, i: int, where: str) -> list[float]:
    """A row of X as floats; a value that is no finite number is an error naming its row and column."""
    out = [float(x) for x in row]
    for j, x in enumerate(out):
        if not math.isfinite(x):
            raise ValueError(f"{where}: X at row {i}, column {j} is {x!r}; only finite numbers can be standardised")
    return out


class StandardScaler:
    """Standardisation x ← (x − mean)/std per column, fitted on training data.

    A column whose std is 0, or negligible next to its mean (≤ 10·eps·|mean|, rounding noise of
    a constant column), gets scale 1: a constant column maps to 0.0, and new values to value − mean.
    """

    def __init__(self) -> None:
        self.mean: list[float] | None = None
        self.std: list[float] | None = None

    def fit(self, X: Sequence[Sequence[float]]) -> StandardScaler:
        rows = [_finite_row(r, i, "StandardScaler.fit") for i, r in enumerate(X)]
        if not rows:
            raise ValueError("StandardScaler.fit: X is empty")
        n, d = len(rows), len(rows[0])
        if any(len(r) != d for r in rows):
            raise ValueError("StandardScaler.fit: rows of X differ in length")
        mean, std = [], []
        for j in range(d):
            col = [r[j] for r in rows]
            m = math.fsum(col) / n
            s = math.sqrt(math.fsum((x - m) ** 2 for x in col) / n)
            # A constant column gets a tiny nonzero std from the rounding of its mean; dividing by it
            # would blow new values up (~1e15).  A std negligible next to the column's magnitude is 0
            # (scikit-learn's idea): scale 1, and an exactly constant column is centred on its value.
            if s <= _NEGLIGIBLE * max(abs(m), sys.float_info.min):
                s = 1.0
                if min(col) == max(col):
                    m = col[0]
            mean.append(m)
            std.append(s)
        self.mean, self.std = mean, std
        return self

    def transform(self, X: Sequence[Sequence[float]]) -> list[list[float]]:
        if self.mean is None or self.std is None:  # fit sets both
            raise ValueError("StandardScaler.transform: call fit first")
        d = len(self.mean)
        out = []
        for i, r in enumerate(X):
            if len(r) != d:
                raise ValueError(f"StandardScaler.transform: row {i} has {len(r)} columns, fitted on {d}")
            out.append([(x - m) / s for x, m, s in zip(_finite_row(r, i, "StandardScaler.transform"), self.mean,
                                                       self.std)])
        return out

    def fit_transform(self, X: Sequence[Sequence[float]]) -> list[list[float]]:
        return self.fit(X).transform(X)
