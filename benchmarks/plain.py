"""The reference: each workload written by hand in plain Python floats.

Forward pass, backward pass by hand (no graph), SGD update: lists and
loops, the way one writes backprop without an autograd engine.  Each step
returns the gradients (in the engine's parameter order: each neuron's
weights, then its bias) so the benchmark can check the engine against them.

A network is a list of layers; a layer is ``(W, b)`` with ``W`` a list of
rows (one row of weights per neuron) and ``b`` a list of biases.
"""

from __future__ import annotations

import math


def flat_grads(grads) -> list[float]:
    """Per-layer ``(dW, db)`` as one list: each neuron's weights, then its bias."""
    return [g for dW, db in grads for row, gb in zip(dW, db) for g in (*row, gb)]


def chain(x0: float, n_ops: int, c: float) -> tuple[float, float]:
    """x ← tanh(c·x), n_ops/2 times (n_ops ops); returns (output, ∂output/∂x0)."""
    outs = []
    x = x0
    for _ in range(n_ops // 2):
        x = math.tanh(c * x)
        outs.append(x)
    g = 1.0
    for t in reversed(outs):
        g = g * (1.0 - t * t) * c
    return x, g


def _forward(layers, x):
    """Activations of every layer (input first); ReLU on all but the last layer."""
    acts = [x]
    last = len(layers) - 1
    for i, (W, b) in enumerate(layers):
        z = [bj + sum([w * xk for w, xk in zip(row, x)]) for row, bj in zip(W, b)]
        x = [v if v > 0.0 else 0.0 for v in z] if i < last else z
        acts.append(x)
    return acts


def _backward(layers, acts, dout, grads):
    """Accumulate ∂loss/∂W, ∂loss/∂b into ``grads`` given ∂loss/∂(last layer's output)."""
    d = dout
    for i in range(len(layers) - 1, -1, -1):
        W, _ = layers[i]
        dW, db = grads[i]
        x = acts[i]
        for j, dj in enumerate(d):
            if dj == 0.0:
                continue
            db[j] += dj
            row = dW[j]
            for k, xk in enumerate(x):
                row[k] += dj * xk
        if i == 0:
            break  # no gradient needed for the input
        dx = [0.0] * len(x)
        for row, dj in zip(W, d):
            if dj == 0.0:
                continue
            for k, w in enumerate(row):
                dx[k] += dj * w
        # through the ReLU of layer i-1: its output is x
        d = [g if xk > 0.0 else 0.0 for g, xk in zip(dx, x)]


def _zero_grads(layers):
    return [([[0.0] * len(row) for row in W], [0.0] * len(b)) for W, b in layers]


def _sgd(layers, grads, lr):
    for (W, b), (dW, db) in zip(layers, grads):
        for row, drow in zip(W, dW):
            for k, g in enumerate(drow):
                row[k] -= lr * g
        for j, g in enumerate(db):
            b[j] -= lr * g


def demo_step(layers, X, Y, lr: float, alpha: float = 1e-4):
    """micrograd's moons step: SVM loss mean(relu(1 − y·score)) + α·Σp², backward, SGD.

    Returns (loss, grads) with grads as per-layer (dW, db).
    """
    n = len(X)
    grads = _zero_grads(layers)
    data_loss = 0.0
    for x, y in zip(X, Y):
        acts = _forward(layers, x)
        margin = 1.0 - y * acts[-1][0]
        if margin > 0.0:  # the hinge is flat where the margin is met: no gradient
            data_loss += margin
            _backward(layers, acts, [-y / n], grads)
    reg = 0.0
    for (W, b), (dW, db) in zip(layers, grads):
        for row, drow in zip(W, dW):
            for k, w in enumerate(row):
                reg += w * w
                drow[k] += 2.0 * alpha * w
        for j, bj in enumerate(b):
            reg += bj * bj
            db[j] += 2.0 * alpha * bj
    loss = data_loss / n + alpha * reg
    _sgd(layers, grads, lr)
    return loss, grads


def digits_step(layers, X, Y, lr: float):
    """Mean softmax cross-entropy of a batch (stable log-softmax), backward, SGD.

    Returns (loss, grads) with grads as per-layer (dW, db).
    """
    n = len(X)
    grads = _zero_grads(layers)
    loss = 0.0
    for x, y in zip(X, Y):
        acts = _forward(layers, x)
        logits = acts[-1]
        c = max(logits)
        exps = [math.exp(z - c) for z in logits]
        total = sum(exps)
        loss += c + math.log(total) - logits[y]
        dlogits = [e / total / n for e in exps]
        dlogits[y] -= 1.0 / n
        _backward(layers, acts, dlogits, grads)
    _sgd(layers, grads, lr)
    return loss / n, grads


def affine_chain(x0: float, n_ops: int, a: float, b: float) -> tuple[float, float]:
    """y ← a·y + b, n_ops/2 times (n_ops ops); returns (output, ∂output/∂x0).

    The backward pass, by hand, multiplies ∂(a·y + b)/∂y = a once per step:
    the arithmetic an engine does for the same chain, with no graph.
    """
    y = x0
    steps = n_ops // 2
    for _ in range(steps):
        y = y * a + b
    g = 1.0
    for _ in range(steps):
        g = g * a
    return y, g
