"""Training: ``fit`` (mini-batches, progress bar, history), ``predict`` and ``accuracy``."""

from __future__ import annotations

import os
import random
from typing import Callable, Sequence

from autograd import Value, gc_paused, no_grad

from . import losses as L
from ._checks import checked_int, checked_number, checked_seed
from .data import batches
from .optim import Adam, Optimizer

__all__ = ["fit", "predict", "accuracy", "History", "LOSSES"]

LOSSES: dict[str, Callable] = {
    "mse": L.mse,
    "rmse": L.rmse,
    "binary_cross_entropy": L.binary_cross_entropy,
    "bce": L.binary_cross_entropy,
    "binary_cross_entropy_with_logits": L.binary_cross_entropy_with_logits,
    "bce_with_logits": L.binary_cross_entropy_with_logits,
    "cross_entropy": L.cross_entropy,
    "hinge": L.hinge,
}

# The threshold on a single output above which a sample counts as the positive class.
_THRESHOLD = {L.binary_cross_entropy: 0.5, L.binary_cross_entropy_with_logits: 0.0, L.hinge: 0.0,
              L.cross_entropy: 0.0}


class History(dict):
    """One list per metric, one entry per epoch (what :func:`fit` returns).

    - ``loss``, ``accuracy``: on the whole training set, measured after the epoch's last step;
    - ``val_loss``, ``val_accuracy``: the same on the validation data (with ``validation=``);
    - ``running_loss``, ``running_accuracy``: the average over the epoch's batches, each
      measured before its own step (what Keras prints as it trains): cheap, but a blend of
      the model at every step of the epoch, so it lags behind the model the epoch ends with.
    """

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.items() if v and v[-1] is not None)
        n = len(self.get("loss", []))
        return f"History({n} epochs; last: {last})"


def predict(model, X: Sequence) -> list:
    """The model's outputs for each row of X, as floats (lists of floats for several outputs); no graph is built."""
    with no_grad():
        return [_output_floats(out) for out in _outputs(model, X)]


def _outputs(model, X) -> list:
    """The model's output for each input: ``model.batch(X)`` when it has one (nn's modules), else a call each."""
    batch = getattr(model, "batch", None)
    return batch(list(X)) if callable(batch) else [model(x) for x in X]


def _output_floats(out):
    """A model's output as a float, or a list of floats for several outputs."""
    if isinstance(out, Value):
        return out.data
    if isinstance(out, (list, tuple)):
        return [o.data if isinstance(o, Value) else float(o) for o in out]
    return float(out)


def _target_as_floats(t) -> list | None:
    """A target given as a row (list, tuple, ndarray: one-hot or multi-output) as floats; None for a scalar."""
    if isinstance(t, (list, tuple)):
        return [float(v) for v in t]
    if getattr(t, "ndim", 0) >= 1 and hasattr(t, "tolist"):  # a numpy row, without importing numpy
        return [float(v) for v in t.reshape(-1).tolist()]
    return None


def _argmax(row: list) -> int:
    return max(range(len(row)), key=row.__getitem__)


def accuracy(outputs: Sequence, targets: Sequence, threshold: float = 0.0) -> float:
    """Fraction of correct predictions: for several outputs, argmax(output) == the target, a class
    index or a row (one-hot or scores: its argmax); for one output, (output > threshold) == (target > 0),
    which fits labels 0/1 and ±1 alike."""
    outputs, targets = list(outputs), list(targets)
    if len(outputs) != len(targets):
        raise ValueError(f"accuracy: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError("accuracy: no outputs")
    correct = 0
    for i, (o, t) in enumerate(zip(outputs, targets)):
        o = _output_floats(o)
        row = _target_as_floats(t)
        if isinstance(o, list) and len(o) > 1:
            if row is None:
                correct += _argmax(o) == t
            elif len(row) != len(o):
                raise ValueError(f"accuracy: output {i} has {len(o)} values but its target has {len(row)}")
            else:
                correct += _argmax(o) == _argmax(row)
        else:
            o = o[0] if isinstance(o, list) else o
            if row is not None:
                if len(row) != 1:
                    raise ValueError(f"accuracy: output {i} is a single value but its target has {len(row)}")
                t = row[0]
            correct += (o > threshold) == (t > 0)
    return correct / len(outputs)


def _progress_disabled(progress: bool) -> bool:
    return not progress or os.environ.get("TQDM_DISABLE", "").strip().lower() not in ("", "0", "false", "no")


def fit(
    model,
    X: Sequence,
    y: Sequence,
    *,
    loss: str | Callable = "cross_entropy",
    optimizer: Optimizer | None = None,
    epochs: int = 10,
    batch_size: int | None = None,
    validation: tuple[Sequence, Sequence] | None = None,
    seed: int | None = None,
    shuffle: bool = True,
    track_accuracy: bool | None = None,
    threshold: float | None = None,
    progress: bool = True,
    callbacks: Sequence[Callable] = (),
    live: bool = False,
) -> History:
    """Train ``model`` on (X, y) and return its :class:`History`.

    Each step: outputs of a batch → ``loss(outputs, targets)`` → backward →
    ``optimizer.step()``.  ``loss`` is a name from :data:`LOSSES` or any
    callable; ``optimizer`` defaults to ``Adam(model.parameters(), lr=0.01)``;
    ``batch_size=None`` is full batch.  After each epoch, ``loss`` and
    ``accuracy`` are measured on the whole training set (under ``no_grad``),
    as ``val_loss`` and ``val_accuracy`` are on ``validation``: the model the
    epoch ends with.  ``running_loss`` and ``running_accuracy`` keep the
    average over the epoch's batches, each measured before its own step (as
    Keras reports them while it trains).  Accuracy is tracked for the classification losses (not for mse/rmse or
    an unknown callable unless ``track_accuracy=True``); a single output is
    positive above ``threshold`` (0.5 after a sigmoid for BCE, else 0).
    The tqdm progress bar goes to stderr; ``progress=False`` or the
    environment variable ``TQDM_DISABLE=1`` silences it.  Each step runs
    inside ``autograd.gc_paused()``: no cyclic collection while the graph is
    built, one young-generation collection after the step.

    ``callbacks``: functions called as ``callback(epoch, history)``, with
    epoch 0 before the first step and then after each epoch (1, 2, …): an
    :class:`nn.plot.BoundaryRecorder` records the boundary's history this way.
    ``live=True`` shows a panel in Jupyter that updates as training runs (the
    curves; for 2-D inputs the decision boundary and a map per neuron of the
    first hidden layer) and stays in the notebook as a PNG; see
    :class:`nn.live.LivePanel`.  Outside a Jupyter kernel it warns and trains
    without it.
    """
    if not callable(model) or not callable(getattr(model, "parameters", None)):
        raise TypeError(f"fit(model): expected a model (an nn Module, or a callable with parameters()), "
                        f"got {type(model).__name__}")
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"fit(loss): unknown loss {loss!r}; expected one of {', '.join(LOSSES)} or a callable")
        loss_fn = LOSSES[loss]
    elif callable(loss):
        loss_fn = loss
    else:
        raise TypeError(f"fit(loss) must be a name or a callable, got {type(loss).__name__}")
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"fit: X has {len(X)} rows but y has {len(y)} labels")
    if not X:
        raise ValueError("fit: X is empty")
    epochs = checked_int(epochs, "fit(epochs)", 0)
    batch_size = len(X) if batch_size is None else checked_int(batch_size, "fit(batch_size)", 1)
    seed = checked_seed(seed, "fit(seed)")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError("fit(validation) must be a pair (X_val, y_val)")
        Xv, yv = list(validation[0]), list(validation[1])
        if len(Xv) != len(yv) or not Xv:
            raise ValueError(f"fit(validation): {len(Xv)} rows and {len(yv)} labels; need equal and non-zero")
    if optimizer is None:
        optimizer = Adam(model.parameters(), lr=0.01)
    elif not isinstance(optimizer, Optimizer):
        raise TypeError(f"fit(optimizer) must be an nn.optim optimizer, got {type(optimizer).__name__}")
    if track_accuracy is None:
        track_accuracy = loss_fn in _THRESHOLD
    if threshold is None:
        threshold = _THRESHOLD.get(loss_fn, 0.0)
    else:
        threshold = checked_number(threshold, "fit(threshold)")

    if isinstance(callbacks, (str, bytes)) or not hasattr(callbacks, "__iter__"):
        raise TypeError(f"fit(callbacks) must be a list of functions, got {type(callbacks).__name__}")
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        if not callable(cb):
            raise TypeError(f"fit(callbacks): item {i} is a {type(cb).__name__}, not a function")
    if not isinstance(live, bool):
        raise TypeError(f"fit(live) must be True or False, got {type(live).__name__}")

    keys = ["loss"] + (["accuracy"] if track_accuracy else [])
    keys += [f"val_{k}" for k in keys] if validation is not None else []
    keys += ["running_loss"] + (["running_accuracy"] if track_accuracy else [])
    history = History({k: [] for k in keys})

    def measure(Xs, ys) -> tuple[float, float | None]:
        with gc_paused(), no_grad():
            outs = _outputs(model, Xs)
            return loss_fn(outs, ys).data, accuracy(outs, ys, threshold) if track_accuracy else None

    panel = None
    if live:
        from .live import LivePanel

        panel = LivePanel.for_fit(model, X, y, epochs=epochs, threshold=threshold, classify=track_accuracy)

    rng = random.Random(seed)
    bar = None
    if not _progress_disabled(progress):
        from tqdm.auto import tqdm

        # disable=False: tqdm read TQDM_DISABLE once, at import; we read it now, per call
        bar = tqdm(total=epochs, unit="epoch", desc="fit", leave=True, disable=False)
    try:
        for cb in callbacks:
            cb(0, history)
        if panel is not None:
            panel.update(0, history)
        for epoch in range(1, epochs + 1):
            total, correct, n = 0.0, 0.0, 0
            for Xb, yb in batches(X, y, batch_size, shuffle=shuffle, seed=rng):
                # the graph holds no cycles: no collection while it is built, one young one after the step
                with gc_paused():
                    outputs = _outputs(model, Xb)
                    value = loss_fn(outputs, yb)
                    optimizer.zero_grad()
                    value.backward()
                    optimizer.step()
                    total += value.data * len(Xb)
                    if track_accuracy:
                        correct += accuracy(outputs, yb, threshold) * len(Xb)
                    del outputs, value  # freed by reference counting first: the young collection finds little
                n += len(Xb)
            history["running_loss"].append(total / n)
            if track_accuracy:
                history["running_accuracy"].append(correct / n)
            for prefix, Xs, ys in [("", X, y)] + ([("val_", Xv, yv)] if validation is not None else []):
                value, acc = measure(Xs, ys)
                history[prefix + "loss"].append(value)
                if track_accuracy:
                    history[prefix + "accuracy"].append(acc)
            for cb in callbacks:
                cb(epoch, history)
            if panel is not None:
                panel.update(epoch, history)
            if bar is not None:
                bar.set_postfix({k: f"{v[-1]:.4f}" for k, v in history.items() if not k.startswith("running")},
                                refresh=False)  # fmt: skip
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        if panel is not None:
            panel.close(history)
    return history
