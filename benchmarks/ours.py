"""The workloads on chainrule's engine.

Until ``nn`` lands, the network is built here directly from Values: a
neuron is ``dot(w, x, b)`` then ``.relu()`` (none on the last layer), and
the parameters are each neuron's weights, then its bias.
"""

from __future__ import annotations

import autograd
from autograd import Value, dot, logsumexp


class Net:
    """A stand-in for ``nn.MLP``: ReLU hidden layers, a linear last layer."""

    def __init__(self, layers):
        self.layers = [[([Value(w) for w in row], Value(bj)) for row, bj in zip(W, b)] for W, b in layers]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def __call__(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            if i < last:
                x = [dot(w, x, b).relu() for w, b in layer]
            else:
                x = [dot(w, x, b) for w, b in layer]
        return x


def chain(x0: float, n_ops: int, c: float) -> tuple[float, float]:
    """x ← tanh(c·x), n_ops/2 times, then backward; returns (output, ∂output/∂x0)."""
    x = Value(x0)
    y = x
    for _ in range(n_ops // 2):
        y = (y * c).tanh()
    y.backward()
    return y.data, x.grad


def chain_graph(x0: float, n_ops: int, c: float):
    """The chain's output node and input (for measuring memory)."""
    x = Value(x0)
    y = x
    for _ in range(n_ops // 2):
        y = (y * c).tanh()
    return y, x


def demo_step(model, X, Y, lr: float, alpha: float = 1e-4):
    """micrograd's demo step as a micrograd user writes it: builtin sum, operators."""
    inputs = [list(map(Value, x)) for x in X]
    scores = [model(x)[0] for x in inputs]
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    params = model.parameters()
    for p in params:
        p.data -= lr * p.grad
    return total.data, [p.grad for p in params]


def demo_forward_fast(model, inputs, Y, alpha: float = 1e-4):
    params = model.parameters()
    scores = [model(x)[0] for x in inputs]
    losses = [(s * -y + 1.0).relu() for y, s in zip(Y, scores)]
    return autograd.sum(losses) * (1.0 / len(losses)) + dot(params, params) * alpha


def demo_step_fast(model, inputs, Y, lr: float, alpha: float = 1e-4):
    """The same step the fastest way the API offers: inputs made Values once, fused sum and dot."""
    params = model.parameters()
    total = demo_forward_fast(model, inputs, Y, alpha)
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data, [p.grad for p in params]


def digits_forward(model, inputs, Y):
    losses = []
    for x, y in zip(inputs, Y):
        logits = model(x)
        losses.append(logsumexp(logits) - logits[y])
    return autograd.sum(losses) * (1.0 / len(losses))


def digits_step(model, inputs, Y, lr: float):
    """Mean softmax cross-entropy (logsumexp − the label's logit), backward, SGD."""
    params = model.parameters()
    total = digits_forward(model, inputs, Y)
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data, [p.grad for p in params]
