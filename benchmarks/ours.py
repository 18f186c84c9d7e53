"""The workloads on chainrule's engine and ``nn``.

The network is ``nn.MLP`` with the losses of ``nn.losses``.  Where ``nn``
is not there (a checkout of the engine alone), the same network is built
here from Values: a neuron is ``dot(w, x, b)`` then ``.relu()`` (none on
the last layer), parameters are each neuron's weights, then its bias.
"""

from __future__ import annotations

import autograd
from autograd import Value, dot, logsumexp

try:
    from nn import MLP
    from nn.losses import cross_entropy, hinge
except ImportError:
    MLP = None


def make_model(layers):
    """An MLP with these weights: ``nn.MLP`` if importable, else :class:`Net`."""
    if MLP is None:
        return Net(layers)
    sizes = [len(layers[0][0][0])] + [len(b) for _, b in layers]
    model = MLP(sizes[0], sizes[1:], seed=0)
    values = [v for W, b in layers for row, bj in zip(W, b) for v in (*row, bj)]
    params = model.parameters()
    assert len(params) == len(values)
    for p, v in zip(params, values):
        p.data = v
    return model


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
        return x[0] if len(x) == 1 else x


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


def demo_step(model, X, Y, lr: float, alpha: float = 1e-4, *, value=Value):
    """micrograd's demo step as a micrograd user writes it: builtin sum, operators.

    The same text runs micrograd's own step: pass its MLP and ``value=`` its Value.
    """
    inputs = [list(map(value, x)) for x in X]
    scores = list(map(model, inputs))
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
    scores = [model(x) for x in inputs]
    if MLP is None:
        loss = autograd.sum([(s * -y + 1.0).relu() for y, s in zip(Y, scores)]) * (1.0 / len(scores))
    else:
        loss = hinge(scores, Y)
    return loss + dot(params, params) * alpha


def _sgd_step(params, total, lr: float):
    """Zero the grads, backward from ``total``, one SGD update; returns (loss, grads)."""
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data, [p.grad for p in params]


def demo_step_fast(model, inputs, Y, lr: float, alpha: float = 1e-4):
    """The same step the fastest way the API offers: inputs made Values once, the
    fused hinge loss (one ``sum`` node), the L2 term as one ``dot(params, params)``."""
    return _sgd_step(model.parameters(), demo_forward_fast(model, inputs, Y, alpha), lr)


def digits_forward(model, inputs, Y):
    if MLP is not None:
        return cross_entropy([model(x) for x in inputs], Y)
    losses = []
    for x, y in zip(inputs, Y):
        logits = model(x)
        losses.append(logsumexp(logits) - logits[y])
    return autograd.sum(losses) * (1.0 / len(losses))


def digits_step(model, inputs, Y, lr: float):
    """Mean softmax cross-entropy (logsumexp − the label's logit), backward, SGD."""
    return _sgd_step(model.parameters(), digits_forward(model, inputs, Y), lr)
