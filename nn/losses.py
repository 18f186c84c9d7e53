"""Losses over a batch, mean reduction, with PyTorch's formulas (n is the batch size).

Each loss takes the model's outputs for a batch (Values, or numbers) and the
targets (numbers), and returns one Value.  The sum over the batch is one
fused ``sum`` node; log-softmax goes through the fused, shifted ``logsumexp``.
"""

from __future__ import annotations

import math
from typing import Sequence

from autograd import Value, logsumexp
from autograd import sum as vsum

from ._checks import is_int, is_number

__all__ = [
    "mse",
    "rmse",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge",
    "softmax",
    "log_softmax",
]


def _is_scalar(x) -> bool:
    """A Value or a number (numpy scalars too, bools not): one output or one target."""
    return isinstance(x, Value) or is_number(x)


def _scalars(outputs, where: str) -> list:
    """One output per sample: a Value/number, or a one-element sequence holding one."""
    if _is_scalar(outputs):
        return [outputs]
    out = list(outputs)
    if not out:
        raise ValueError(f"{where}: the batch is empty")
    for i, o in enumerate(out):
        if not _is_scalar(o):
            if isinstance(o, (list, tuple)) and len(o) == 1:
                out[i] = o[0]
            else:
                raise TypeError(f"{where}: output {i} must be a single Value or number, got {type(o).__name__}")
    return out


def _target_as_list(t) -> list | None:
    """A target given as a row (list, tuple, or numpy array of any shape, flattened); None for a scalar."""
    if isinstance(t, (list, tuple)):
        return list(t)
    if getattr(t, "ndim", 0) >= 1 and hasattr(t, "reshape"):  # a numpy row, without importing numpy
        return list(t.reshape(-1))
    return None


def _targets(targets, n: int, where: str) -> list:
    """The targets of n samples: Values or numbers (numpy scalars as floats); a one-element row is its element."""
    if _is_scalar(targets):
        targets = [targets]
    ts = list(targets)
    if len(ts) != n:
        raise ValueError(f"{where}: {n} outputs but {len(ts)} targets")
    for i, t in enumerate(ts):
        row = _target_as_list(t)
        if row is not None:  # a one-element row, as in (n, 1) targets for one output per sample
            if len(row) != 1:
                raise ValueError(f"{where}: sample {i} has 1 output but {len(row)} targets")
            ts[i] = t = row[0]
        if not _is_scalar(t):
            raise TypeError(f"{where}: target {i} must be a number, got {type(t).__name__}: {t!r}")
        if not isinstance(t, (Value, int, float)):  # a numpy scalar
            ts[i] = float(t)
    return ts


def mse(outputs: Sequence, targets: Sequence) -> Value:
    """(1/n) Σ (ŷᵢ − yᵢ)²  (torch.nn.functional.mse_loss); multi-output rows are flattened."""
    outputs, targets = _flatten(outputs, targets, "mse")
    diffs = [o - t for o, t in zip(outputs, targets)]
    return vsum([d * d for d in diffs]) * (1.0 / len(diffs))


def rmse(outputs: Sequence, targets: Sequence) -> Value:
    """√mse (its gradient is infinite where every error is 0)."""
    return mse(outputs, targets) ** 0.5


def _flatten(outputs, targets, where: str) -> tuple[list, list]:
    if _is_scalar(outputs):
        outputs, targets = [outputs], [targets]
    outputs, targets = list(outputs), list(targets) if not _is_scalar(targets) else [targets]
    if not outputs:
        raise ValueError(f"{where}: the batch is empty")
    if len(outputs) != len(targets):
        raise ValueError(f"{where}: {len(outputs)} outputs but {len(targets)} targets")
    flat_o: list = []
    flat_t: list = []
    for i, (o, t) in enumerate(zip(outputs, targets)):
        row = _target_as_list(t)  # lists, tuples and numpy rows alike
        if isinstance(o, (list, tuple)):
            t = row if row is not None else [t]
            if len(o) != len(t):
                raise ValueError(f"{where}: sample {i} has {len(o)} outputs but {len(t)} targets")
            flat_o.extend(o)
            flat_t.extend(t)
        else:
            if row is not None:  # (n, 1) targets for a single-output model
                if len(row) != 1:
                    raise ValueError(f"{where}: sample {i} has 1 output but {len(row)} targets")
                t = row[0]
            flat_o.append(o)
            flat_t.append(t)
    return flat_o, _targets(flat_t, len(flat_t), where)


def _unit_targets(targets, n: int, where: str) -> list:
    """BCE's targets: numbers in [0, 1] (±1 labels would train towards an unbounded negative loss)."""
    ts = _targets(targets, n, where)
    for i, t in enumerate(ts):
        y = t.data if isinstance(t, Value) else t
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"{where}: target {i} is {y!r}, outside [0, 1] (labels must be 0/1 or probabilities)")
    return ts


_LOG_FLOOR = -100.0  # torch clamps BCE's logs at −100, so that a probability of 0 or 1 gives a finite loss
_BCE_EPSILON = 9.999999960041972e-13  # and divides its gradient by max(p(1 − p), ε), ε = 1e-12 as a float32


def _bce_term(p, y: float) -> Value | float:
    """−[y ln p + (1 − y) ln(1 − p)] for one sample, with torch's value and gradient at the edges.

    Inside, where p(1 − p) ≥ 1e-12, it is the plain composite of logs (a graph that higher order
    differentiates again).  At the edges torch clamps each log at −100 for the value but computes the
    gradient as (p − y) / max(p(1 − p), 1e-12): a clamped log with a zero derivative would push p
    the wrong way (p = 1e-50, y = 0.3: +0.7 instead of ≈ −3e11).  There the term is
    ℓ + g·(p − p₀): value ℓ and gradient g, both torch's, with p₀ = p's number."""
    x = p.data if isinstance(p, Value) else float(p)
    if x * (1.0 - x) >= _BCE_EPSILON:
        if y == 1.0:
            return -p.log() if isinstance(p, Value) else -math.log(x)
        if y == 0.0:
            return -(1.0 - p).log() if isinstance(p, Value) else -math.log1p(-x)
        if isinstance(p, Value):
            return -(y * p.log() + (1.0 - y) * (1.0 - p).log())
        return -(y * math.log(x) + (1.0 - y) * math.log1p(-x))
    log_p = max(math.log(x), _LOG_FLOOR) if x > 0.0 else _LOG_FLOOR
    log_q = max(math.log1p(-x), _LOG_FLOOR) if x < 1.0 else _LOG_FLOOR
    value = -(y * log_p + (1.0 - y) * log_q)
    if not isinstance(p, Value):
        return value
    slope = (x - y) / max(x * (1.0 - x), _BCE_EPSILON)  # the sign of p − y: towards the target, always
    return (p - x) * slope + value


def binary_cross_entropy(probs: Sequence, targets: Sequence) -> Value:
    """−(1/n) Σ [yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)], as torch's binary_cross_entropy: logs clamped at −100,
    gradient (p − y)/max(p(1 − p), 1e-12) where p(1 − p) < 1e-12.

    Targets must lie in [0, 1] (0/1 labels or probabilities), as in torch."""
    probs = _scalars(probs, "binary_cross_entropy")
    targets = _unit_targets(targets, len(probs), "binary_cross_entropy")
    terms = []
    for i, (p, y) in enumerate(zip(probs, targets)):
        pd = p.data if isinstance(p, Value) else p
        if not 0.0 <= pd <= 1.0:
            raise ValueError(f"binary_cross_entropy: probability {i} is {pd!r}, outside [0, 1]")
        terms.append(_bce_term(p, y.data if isinstance(y, Value) else float(y)))
    return vsum(terms) * (1.0 / len(terms))


def binary_cross_entropy_with_logits(logits: Sequence, targets: Sequence) -> Value:
    """(1/n) Σ [softplus(zᵢ) − yᵢ zᵢ] = BCE(σ(z), y), targets in [0, 1], finite for every finite z
    (for z ≥ 0 computed as (1 − y)z + softplus(−z))."""
    logits = _scalars(logits, "binary_cross_entropy_with_logits")
    targets = _unit_targets(targets, len(logits), "binary_cross_entropy_with_logits")
    terms = []
    for z, y in zip(logits, targets):
        if not isinstance(z, Value):
            z = Value(float(z))
        y = y.data if isinstance(y, Value) else float(y)
        # softplus(z) − yz = (1 − y)z + softplus(−z): each form where it has no cancellation, so a tiny
        # loss keeps its digits (z = 40, y = 1: 4.2e-18, not 0) and an infinite z gives the limit, not NaN
        if y == 0.0:
            terms.append(z.softplus())
        elif y == 1.0:
            terms.append((-z).softplus())
        elif z.data >= 0.0:
            terms.append(z * (1.0 - y) + (-z).softplus())
        else:
            terms.append(z.softplus() - z * y)
    return vsum(terms) * (1.0 / len(terms))


def _logit_row(logits, where: str) -> list:
    if _is_scalar(logits):
        raise TypeError(f"{where}: expected a sequence of logits, got a single {type(logits).__name__}")
    row = list(logits)
    if not row:
        raise ValueError(f"{where}: needs at least one logit")
    return row


def _shifted(row: list) -> list:
    """sᵢ = zᵢ − c with c = max z, a constant: softmax(s) = softmax(z), and every sᵢ ≤ 0 = max s.

    Why not ln Σ e^z − zᵢ directly: ln Σ e^z = c + ln Σ e^s rounds to a multiple of ulp(c), which at
    c = 1e16 is 2, so ln 2 vanished (loss 0, probabilities [1, 1]).  In the shifted form ln Σ e^s lies in
    [0, ln n] and keeps its digits.  A max that is not finite (±inf, or NaN anywhere) gives NaN, as torch."""
    data = [z.data if isinstance(z, Value) else float(z) for z in row]
    c = max(data)
    if not math.isfinite(c) or any(x != x for x in data):
        c = math.nan
    return [z - c for z in row]


def log_softmax(logits: Sequence) -> list[Value]:
    """zᵢ − ln Σⱼ e^zⱼ = sᵢ − ln Σⱼ e^sⱼ with sᵢ = zᵢ − max z: no overflow, no digits lost."""
    s = _shifted(_logit_row(logits, "log_softmax"))
    lse = logsumexp(s)
    return [si - lse for si in s]


def softmax(logits: Sequence) -> list[Value]:
    """e^(sᵢ − ln Σⱼ e^sⱼ), sᵢ = zᵢ − max z: probabilities that sum to 1 within rounding for any finite z."""
    return [v.exp() for v in log_softmax(logits)]


def cross_entropy(logits_batch: Sequence[Sequence], target_indices: Sequence[int]) -> Value:
    """(1/n) Σ [ln Σⱼ e^zᵢⱼ − zᵢ,yᵢ]: softmax cross-entropy on class indices (torch's cross_entropy),
    computed shifted by each row's max (see :func:`log_softmax`)."""
    rows = list(logits_batch)
    if not rows:
        raise ValueError("cross_entropy: the batch is empty")
    if isinstance(target_indices, bool):
        raise TypeError(f"cross_entropy: a target must be a class index (int), got bool: {target_indices!r}")
    ys: list = [target_indices] if is_int(target_indices) else list(target_indices)  # one index, or one a row
    if len(ys) != len(rows):
        raise ValueError(f"cross_entropy: {len(rows)} rows of logits but {len(ys)} targets")
    terms = []
    for i, (row, y) in enumerate(zip(rows, ys)):
        row = _logit_row(row, f"cross_entropy(logits_batch[{i}])")
        if not is_int(y):  # numpy ints too; a bool is not a class index
            raise TypeError(f"cross_entropy: target {i} must be a class index (int), got {type(y).__name__}: {y!r}")
        y = int(y)
        if not 0 <= y < len(row):
            raise ValueError(f"cross_entropy: target {i} is {y}, out of range for {len(row)} classes")
        s = _shifted(row)
        terms.append(logsumexp(s) - s[y])
    return vsum(terms) * (1.0 / len(terms))


def hinge(scores: Sequence, labels: Sequence) -> Value:
    """(1/n) Σ max(0, 1 − yᵢ sᵢ) with labels yᵢ = ±1: the SVM max-margin loss of micrograd's demo."""
    scores = _scalars(scores, "hinge")
    labels = _targets(labels, len(scores), "hinge")
    terms = []
    for i, (s, y) in enumerate(zip(scores, labels)):
        if y != 1 and y != -1:
            raise ValueError(f"hinge: label {i} is {y!r}; labels must be -1 or 1")
        if not isinstance(s, Value):
            s = Value(float(s))
        terms.append((1.0 - s).relu() if y == 1 else (s + 1.0).relu())
    return vsum(terms) * (1.0 / len(terms))
