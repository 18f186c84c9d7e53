"""The workloads on chainrule's engine and ``nn``: ``nn.MLP`` with the losses of ``nn.losses``."""

from __future__ import annotations

from autograd import Value, dot
from nn import MLP
from nn.losses import cross_entropy, hinge


def make_model(layers):
    """An ``nn.MLP`` with these weights (ReLU hidden layers, a linear last layer)."""
    sizes = [len(layers[0][0][0])] + [len(b) for _, b in layers]
    model = MLP(sizes[0], sizes[1:], seed=0)
    values = [v for W, b in layers for row, bj in zip(W, b) for v in (*row, bj)]
    params = model.parameters()
    assert len(params) == len(values)
    for p, v in zip(params, values):
        p.data = v
    return model


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
    return _sgd_step(model.parameters(), demo_forward(model, X, Y, alpha, value=value), lr)


def demo_forward(model, X, Y, alpha: float = 1e-4, *, value=Value):
    """demo_step's loss: inputs wrapped in Values, ``model(x)`` per point, the hinge and L2 written out."""
    inputs = [list(map(value, x)) for x in X]
    scores = list(map(model, inputs))
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def demo_forward_fast(model, X, Y, alpha: float = 1e-4):
    params = model.parameters()
    return hinge(model.batch(X), Y) + dot(params, params) * alpha


def _sgd_step(params, total, lr: float):
    """Zero the grads, backward from ``total``, one SGD update; returns (loss, grads)."""
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data, [p.grad for p in params]


def demo_step_fast(model, X, Y, lr: float, alpha: float = 1e-4):
    """The same step the fastest way the API offers: the batch through ``model.batch``
    with the inputs as numbers (data: no input gradients, as plain floats and PyTorch
    compute none), the fused hinge loss (one ``sum`` node), the L2 term as one
    ``dot(params, params)``."""
    return _sgd_step(model.parameters(), demo_forward_fast(model, X, Y, alpha), lr)


def digits_forward(model, X, Y):
    return cross_entropy(model.batch(X), Y)


def digits_step(model, X, Y, lr: float):
    """Mean softmax cross-entropy (logsumexp − the label's logit) of the batch, backward, SGD."""
    return _sgd_step(model.parameters(), digits_forward(model, X, Y), lr)


def mlp_step(model, X, Y, lr: float):
    """digits-step as a micrograd user writes it: ``model(x)`` per sample, builtin ``sum``,
    operators, softmax cross-entropy written out ((v − max).exp(), sum, .log()), no fused loss."""
    return _sgd_step(model.parameters(), mlp_forward(model, X, Y), lr)


def mlp_forward(model, X, Y):
    """mlp_step's loss."""
    losses = []
    for x, y in zip(X, Y):
        logits = model(x)
        top = max(v.data for v in logits)  # a number: shifts the exponents, takes no gradient
        exps = [(v - top).exp() for v in logits]
        losses.append(sum(exps).log() + top - logits[y])
    return sum(losses) * (1.0 / len(losses))


def affine_chain(x0: float, n_ops: int, a: float, b: float):
    """y ← a·y + b, n_ops/2 times (a multiply and an add of numbers, as a user writes
    ``y = y * 1.0001 + 0.0001``), then backward; returns (output, ∂output/∂x0)."""
    x = Value(x0)
    y = x
    for _ in range(n_ops // 2):
        y = y * a + b
    y.backward()
    return y.data, x.grad


def affine_chain_graph(x0: float, n_ops: int, a: float, b: float):
    x = Value(x0)
    y = x
    for _ in range(n_ops // 2):
        y = y * a + b
    return y, x
