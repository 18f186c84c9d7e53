"""Modules: a Neuron is y = f(b + Σᵢ wᵢxᵢ), a Layer is neurons side by side, an MLP is layers in a row.

Parameters are listed in micrograd's order (each neuron's weights then its
bias, neuron by neuron, layer by layer), and each parameter's ``label`` is
its dotted name (``layers.0.neurons.3.w.1``), so a drawing can group the
nodes of a graph by neuron and layer.
"""

from __future__ import annotations

import math
import random
from typing import Callable, Iterator, Sequence, Union

from autograd import LINEAR_ACTIVATIONS, Value, linear_batch

__all__ = ["Module", "Neuron", "Layer", "MLP", "ACTIVATIONS", "INITS", "DEFAULT_INIT"]

Activation = Union[str, Callable[[Value], Value], None]


# ---------------------------------------------------------------- activations
def _leaky_relu(v: Value) -> Value:
    return v.leaky_relu(0.01)


# name → function on a Value; "linear" is None: the neuron's output is its dot node.
# Layers whose activation autograd.linear_batch knows (LINEAR_ACTIVATIONS) have it build that too.
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": _leaky_relu,
    "linear": None,
}


def _activation(activation: Activation, where: str) -> tuple[str, Callable[[Value], Value] | None]:
    """(name, function) for an activation given by name, callable or None (linear)."""
    if activation is None:
        return "linear", None
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"{where}: unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
        return activation, ACTIVATIONS[activation]
    if callable(activation):
        return getattr(activation, "__name__", repr(activation)), activation
    raise TypeError(f"{where}: expected an activation name or a callable, got {type(activation).__name__}")


# ---------------------------------------------------------------- initialisation
# Each init draws one neuron's (weights, bias) from rng; fan_out is the layer's width.
def _init_micrograd(rng, n_in: int, fan_out: int) -> tuple[list[float], float]:
    # wᵢ ~ U(−1, 1), b = 0: the same draws, in the same order, as micrograd's Neuron
    return [rng.uniform(-1, 1) for _ in range(n_in)], 0.0


def _init_torch(rng, n_in: int, fan_out: int) -> tuple[list[float], float]:
    # PyTorch nn.Linear: wᵢ, b ~ U(−1/√n_in, 1/√n_in)
    k = 1.0 / math.sqrt(n_in)
    return [rng.uniform(-k, k) for _ in range(n_in)], rng.uniform(-k, k)


def _init_he(rng, n_in: int, fan_out: int) -> tuple[list[float], float]:
    # He (Kaiming) normal: wᵢ ~ N(0, 2/n_in), b = 0
    s = math.sqrt(2.0 / n_in)
    return [rng.gauss(0.0, s) for _ in range(n_in)], 0.0


def _init_glorot(rng, n_in: int, fan_out: int) -> tuple[list[float], float]:
    # Glorot (Xavier) uniform: wᵢ ~ U(−a, a), a = √(6/(n_in + n_out)), b = 0
    a = math.sqrt(6.0 / (n_in + fan_out))
    return [rng.uniform(-a, a) for _ in range(n_in)], 0.0


INITS = {"micrograd": _init_micrograd, "torch": _init_torch, "he": _init_he, "glorot": _init_glorot}

# Chosen by the evidence in the README (networks trained over 20 seeds per init).
DEFAULT_INIT = "he"


def _init(init: str, where: str):
    if not isinstance(init, str):
        raise TypeError(f"{where}: init must be a name, got {type(init).__name__}")
    if init not in INITS:
        raise ValueError(f"{where}: unknown init {init!r}; expected one of {', '.join(INITS)}")
    return INITS[init]


def _size(n, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}: {n!r}")
    if n < 1:
        raise ValueError(f"{name} must be at least 1, got {n}")
    return n


def _inputs(x, n_in: int, where: str) -> tuple:
    """x as a tuple of n_in Values and floats (numbers become floats: data, no gradient)."""
    if isinstance(x, (Value, int, float)):
        raise TypeError(f"{where}: expected a sequence of {n_in} inputs, got a single {type(x).__name__}")
    try:
        n = len(x)
    except TypeError:
        raise TypeError(f"{where}: expected a sequence of {n_in} inputs, got {type(x).__name__}") from None
    if n != n_in:
        raise ValueError(f"{where}: expected {n_in} inputs, got {n}")
    out = list(x)
    for i, xi in enumerate(out):
        if type(xi) is not float and not isinstance(xi, Value):
            if isinstance(xi, (bool, str)) or not hasattr(xi, "__float__"):
                raise TypeError(f"{where}: input x[{i}] must be a number or a Value, got {type(xi).__name__}: {xi!r}")
            out[i] = float(xi)
    return tuple(out)


def _batch(X, n_in: int, where: str) -> list:
    if isinstance(X, (Value, int, float, str)) or not hasattr(X, "__iter__"):
        raise TypeError(f"{where}: expected a batch (a sequence of inputs), got {type(X).__name__}")
    return [_inputs(x, n_in, f"{where}: input {i}") for i, x in enumerate(X)]


def _apply(layer_neurons, X: list) -> list:
    """Each neuron's output for each input of the batch X (lists of Values and floats)."""
    first = layer_neurons[0]
    f = first._f
    if any(n._f is not f for n in layer_neurons):  # a layer assembled by hand: neuron by neuron
        columns = [_apply([n], X) for n in layer_neurons]
        return [[col[i][0] for col in columns] for i in range(len(X))]
    W = [n.w for n in layer_neurons]
    B = [n.b for n in layer_neurons]
    if first.activation in LINEAR_ACTIVATIONS and f is ACTIVATIONS[first.activation]:
        return linear_batch(W, X, B, first.activation)
    outs = linear_batch(W, X, B)
    return outs if f is None else [[f(z) for z in zs] for zs in outs]


# ---------------------------------------------------------------- modules
class Module:
    """Base of every model: parameters, names, gradients, state and files."""

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """(dotted name, parameter) pairs, in the order of :meth:`parameters`."""
        return iter(())

    def parameters(self) -> list[Value]:
        """Every parameter: each neuron's weights then its bias, neuron by neuron, layer by layer."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def _label_parameters(self) -> None:
        for name, p in self.named_parameters():
            p.label = name

    def num_parameters(self) -> int:
        return len(self.parameters())

    # state dicts and files: see nn.io
    def state_dict(self) -> dict[str, float]:
        """{dotted name: value} for every parameter, in parameter order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict) -> None:
        """Set every parameter from ``state`` (same names, finite numbers); on any error, change nothing."""
        from .io import load_state_dict

        load_state_dict(self, state)


class Neuron(Module):
    """y = f(b + Σᵢ wᵢxᵢ): one fused ``dot`` node (``dotc`` when x is data), then the activation (if any).

    ``init`` names how (w, b) are drawn (see :data:`INITS`), from ``rng`` or
    the global ``random``; ``fan_out`` is the width of the neuron's layer,
    which only Glorot's init uses.
    """

    def __init__(
        self,
        n_in: int,
        activation: Activation = "relu",
        *,
        init: str = DEFAULT_INIT,
        rng: random.Random | None = None,
        fan_out: int = 1,
    ) -> None:
        self.n_in = _size(n_in, "Neuron(n_in)")
        self.activation, self._f = _activation(activation, "Neuron(activation)")
        self.init = init
        draw = _init(init, "Neuron(init)")
        w, b = draw(random if rng is None else rng, n_in, fan_out)
        self.w = [Value(wi) for wi in w]
        self.b = Value(b)
        self._label_parameters()

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """f(b + Σᵢ wᵢxᵢ); numbers among x are data (no gradient), Values get gradients too."""
        return _apply([self], [_inputs(x, self.n_in, "Neuron")])[0][0]

    def batch(self, X: Sequence[Sequence[Value | float]]) -> list[Value]:
        """``[self(x) for x in X]``, built faster: each weight is read once for the batch."""
        return [out[0] for out in _apply([self], _batch(X, self.n_in, "Neuron.batch"))]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for k, w in enumerate(self.w):
            yield f"w.{k}", w
        yield "b", self.b

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.n_in}, {self.activation})"


class Layer(Module):
    """n_out neurons reading the same n_in inputs; calling it returns a list of n_out Values."""

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: Activation = "relu",
        *,
        init: str = DEFAULT_INIT,
        rng: random.Random | None = None,
    ) -> None:
        self.n_in = _size(n_in, "Layer(n_in)")
        self.n_out = _size(n_out, "Layer(n_out)")
        self.neurons = [Neuron(n_in, activation, init=init, rng=rng, fan_out=n_out) for _ in range(n_out)]
        self.activation = self.neurons[0].activation
        self.init = init
        self._label_parameters()

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return _apply(self.neurons, [_inputs(x, self.n_in, "Layer")])[0]

    def batch(self, X: Sequence[Sequence[Value | float]]) -> list[list[Value]]:
        """``[self(x) for x in X]``, built faster: each weight is read once for the batch."""
        return _apply(self.neurons, _batch(X, self.n_in, "Layer.batch"))

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for j, n in enumerate(self.neurons):
            for name, p in n.named_parameters():
                yield f"neurons.{j}.{name}", p

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in (*n.w, n.b)]

    def __repr__(self) -> str:
        return f"Layer({self.n_in} → {self.n_out}, {self.activation})"


class MLP(Module):
    """Layers in a row: hidden layers use ``activation``, the last ``output_activation`` (linear by default).

    ``MLP(2, [16, 16, 1])`` is micrograd's moons network.  Number inputs are
    data: the first layer's ``dotc`` nodes hold them as constants, with no
    gradient (pass Values for ∂/∂x).  With one output the call returns a
    Value, else a list; ``batch(X)`` does a whole batch faster.
    Weights are drawn from ``random.Random(seed)``, or from the global
    ``random`` when no seed is given.
    """

    def __init__(
        self,
        n_in: int,
        n_outs: Sequence[int],
        activation: Activation = "relu",
        output_activation: Activation = None,
        *,
        init: str = DEFAULT_INIT,
        seed: int | None = None,
    ) -> None:
        n_in = _size(n_in, "MLP(n_in)")
        if isinstance(n_outs, (int, str)) or not hasattr(n_outs, "__iter__"):
            raise TypeError(f"MLP(n_outs) must be a list of layer sizes, got {type(n_outs).__name__}: {n_outs!r}")
        n_outs = list(n_outs)
        if not n_outs:
            raise ValueError("MLP(n_outs) must list at least one layer size, got []")
        for i, n in enumerate(n_outs):
            _size(n, f"MLP(n_outs[{i}])")
        _activation(activation, "MLP(activation)")
        _activation(output_activation, "MLP(output_activation)")
        _init(init, "MLP(init)")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"MLP(seed) must be an int or None, got {type(seed).__name__}")
        rng = random if seed is None else random.Random(seed)
        sizes = [n_in, *n_outs]
        last = len(n_outs) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, init=init, rng=rng)
            for i in range(len(n_outs))
        ]
        self.n_in, self.n_outs = n_in, n_outs
        self.activation, self.output_activation = activation, output_activation
        self.init, self.seed = init, seed
        self._label_parameters()

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """The output for one input x: a Value, or a list of them for several outputs.

        Numbers in x are data, as a tensor without ``requires_grad`` in PyTorch:
        the first layer's ``dotc`` nodes hold them as constants, with no gradient.
        Pass Values to get ∂/∂x as well.
        """
        return self._forward([_inputs(x, self.n_in, "MLP")])[0]

    def batch(self, X: Sequence[Sequence[Value | float]]) -> list:
        """``[self(x) for x in X]``, built faster: each weight is read once for the batch."""
        return self._forward(_batch(X, self.n_in, "MLP.batch"))

    def _forward(self, H: list) -> list:
        for layer in self.layers:
            H = _apply(layer.neurons, H)
        return [h[0] if len(h) == 1 else h for h in H]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, layer in enumerate(self.layers):
            for name, p in layer.named_parameters():
                yield f"layers.{i}.{name}", p

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for n in layer.neurons for p in (*n.w, n.b)]

    def architecture(self) -> dict:
        """The constructor's arguments, as JSON-able data (activations by name)."""
        names = []
        for what, a in (("activation", self.activation), ("output_activation", self.output_activation)):
            name, _ = _activation(a, "MLP")
            if not isinstance(a, str) and a is not None:
                raise ValueError(f"MLP.{what} is a callable ({name}); only named activations can be saved")
            names.append(name)
        return {"type": "MLP", "n_in": self.n_in, "n_outs": list(self.n_outs), "activation": names[0],
                "output_activation": names[1]}

    def __repr__(self) -> str:
        rows = "".join(f"\n  (layers.{i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"MLP({rows}\n)  # {self.num_parameters()} parameters"

    # files and PyTorch: see nn.io and nn.torch_interop
    def save(self, path) -> None:
        """Write the architecture and parameters to ``path`` as JSON, atomically."""
        from .io import save

        save(self, path)

    @classmethod
    def load(cls, path) -> MLP:
        """A new MLP built and filled from a file written by :meth:`save`."""
        from .io import load

        return load(path)

    def load_weights(self, path) -> None:
        """Set this MLP's parameters from a file written by :meth:`save` (same architecture)."""
        from .io import load_weights

        load_weights(self, path)

    def to_torch(self):
        """A float64 ``torch.nn.Sequential`` with the same weights (needs torch)."""
        from .torch_interop import to_torch

        return to_torch(self)

    @classmethod
    def from_torch(cls, sequential) -> MLP:
        """An MLP with the weights of a ``torch.nn.Sequential`` of Linear and activation modules."""
        from .torch_interop import from_torch

        return from_torch(sequential)
