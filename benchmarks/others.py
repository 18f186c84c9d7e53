"""The workloads on micrograd and PyTorch, for reference (each used only when importable)."""

from __future__ import annotations

import sys

import ours

try:
    from micrograd import nn as mg_nn
    from micrograd.engine import Value as MgValue
except ImportError:  # pragma: no cover - depends on the environment
    mg_nn = MgValue = None

try:
    import torch

    torch.set_num_threads(1)  # 2 cores shared with other work: one thread times steadier
except ImportError:  # pragma: no cover
    torch = None


# ---------------------------------------------------------------- micrograd
def mg_model(layers):
    """micrograd's MLP with our initial weights (its own init is unseeded)."""
    sizes = [len(layers[0][0][0])] + [len(b) for _, b in layers]
    model = mg_nn.MLP(sizes[0], sizes[1:])
    for layer, (W, b) in zip(model.layers, layers):
        for neuron, row, bj in zip(layer.neurons, W, b):
            for p, w in zip(neuron.w, row):
                p.data = w
            neuron.b.data = bj
    return model


def mg_demo_step(model, X, Y, lr: float, alpha: float = 1e-4):
    """micrograd's demo notebook step: the very code of ``ours.demo_step``, on micrograd's Value."""
    return ours.demo_step(model, X, Y, lr, alpha, value=MgValue)


def mg_chain(x0: float, n_ops: int, c: float):
    """x ← relu(c·x), n_ops/2 times (micrograd has no tanh), then backward.

    micrograd sorts the graph recursively: the recursion limit is raised
    here, for this call only, and restored.
    """
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, n_ops + 1000))
    try:
        x = MgValue(x0)
        y = x
        for _ in range(n_ops // 2):
            y = (y * c).relu()
        y.backward()
        return y.data, x.grad
    finally:
        sys.setrecursionlimit(old)


def mg_chain_graph(x0: float, n_ops: int, c: float):
    x = MgValue(x0)
    y = x
    for _ in range(n_ops // 2):
        y = (y * c).relu()
    return y, x


def mg_backward(y, n_ops: int):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, n_ops + 1000))
    try:
        y.backward()
    finally:
        sys.setrecursionlimit(old)


# ---------------------------------------------------------------- PyTorch, one 0-d tensor per scalar
def _t(x, grad=False):
    return torch.tensor(x, dtype=torch.float64, requires_grad=grad)


class TorchScalarNet:
    """Every weight a 0-d float64 tensor: the per-scalar engine PyTorch would be."""

    def __init__(self, layers):
        self.layers = [[([_t(w, True) for w in row], _t(bj, True)) for row, bj in zip(W, b)] for W, b in layers]

    def parameters(self):
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            out = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = [o.relu() for o in out] if i < last else out
        return x


def _sgd_scalars(params, lr):
    grads = [p.grad.item() for p in params]
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad = None
    return grads


def torch_scalar_demo_step(model, X, Y, lr: float, alpha: float = 1e-4):
    inputs = [[_t(v) for v in x] for x in X]
    scores = [model(x)[0] for x in inputs]
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    total = sum(losses) * (1.0 / len(losses)) + alpha * sum(p * p for p in model.parameters())
    total.backward()
    return total.item(), _sgd_scalars(model.parameters(), lr)


def torch_scalar_digits_step(model, inputs, Y, lr: float):
    losses = []
    for x, y in zip(inputs, Y):
        logits = model(x)
        losses.append(torch.logsumexp(torch.stack(logits), 0) - logits[y])
    total = sum(losses) * (1.0 / len(losses))
    total.backward()
    return total.item(), _sgd_scalars(model.parameters(), lr)


def torch_scalar_chain(x0: float, n_ops: int, c: float):
    x = _t(x0, True)
    y = x
    for _ in range(n_ops // 2):
        y = (y * c).tanh()
    y.backward()
    return y.item(), x.grad.item()


# ---------------------------------------------------------------- PyTorch, batched tensors
class TorchBatchedNet:
    def __init__(self, layers):
        self.params = []
        for W, b in layers:
            self.params += [_t(W, True), _t(b, True)]

    def __call__(self, X):
        h = X
        n = len(self.params) // 2
        for i in range(n):
            h = h @ self.params[2 * i].T + self.params[2 * i + 1]
            if i < n - 1:
                h = h.relu()
        return h

    def flat_grads(self):
        """Gradients in the engine's order: each neuron's weights, then its bias."""
        out = []
        for i in range(0, len(self.params), 2):
            W, b = self.params[i], self.params[i + 1]
            out.append(torch.cat([W.grad, b.grad[:, None]], 1).reshape(-1))
        return torch.cat(out).tolist()


def _sgd_batched(model, lr):
    grads = model.flat_grads()
    with torch.no_grad():
        for p in model.params:
            p -= lr * p.grad
            p.grad = None
    return grads


def torch_batched_demo_step(model, X, Y, lr: float, alpha: float = 1e-4):
    scores = model(X)[:, 0]
    loss = (1 - Y * scores).relu().mean() + alpha * sum((p * p).sum() for p in model.params)
    loss.backward()
    return loss.item(), _sgd_batched(model, lr)


def torch_batched_digits_step(model, X, Y, lr: float):
    loss = torch.nn.functional.cross_entropy(model(X), Y)
    loss.backward()
    return loss.item(), _sgd_batched(model, lr)
