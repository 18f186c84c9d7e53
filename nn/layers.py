"""Layers: a Neuron is y = f(b + Σᵢ wᵢxᵢ), a Layer is neurons side by side, an MLP is layers in a row.

Parameters are listed in micrograd's order (each neuron's weights then its
bias, neuron by neuron, layer by layer), and each parameter's ``label`` is
its dotted name (``layers.0.neurons.3.w.1``), so a drawing can group the
nodes of a graph by neuron and layer.

Every public attribute either works when assigned (``activation``,
``output_activation``, ``w``, ``b``, ``neurons``, ``layers``) or is read-only
and says what to do instead (sizes, ``init``, ``seed``: build a new model).
"""

from __future__ import annotations

import math
import random
from typing import Callable, Iterator, Sequence, Union

from autograd import LINEAR_ACTIVATIONS, Value, linear_batch

from . import io, torch_interop
from ._checks import checked_int, checked_seed, is_number
from .module import Module

__all__ = ["Neuron", "Layer", "MLP", "ACTIVATIONS", "INITS", "DEFAULT_INIT"]

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

# What Layer.activation and MLP.activation report when their neurons do not share one activation.
MIXED = "mixed"


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


def _is_named(name: str, function) -> bool:
    """Whether (name, function) is an entry of ACTIVATIONS, not a callable that happens to share its name."""
    return name in ACTIVATIONS and function is ACTIVATIONS[name]


def _read_only(cls_name: str, attribute: str, instead: str):
    """A property that reads ``_<attribute>`` and, assigned, says why it cannot change and what to do instead."""
    private = "_" + attribute

    def get(self):
        return getattr(self, private)

    def refuse(self, value):
        raise AttributeError(f"{cls_name}.{attribute} is read-only: {instead}")

    return property(get, refuse, doc=f"Read-only: {instead}")


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


def _init_function(init: str, where: str):
    """The function INITS names ``init``."""
    if not isinstance(init, str):
        raise TypeError(f"{where}: init must be a name, got {type(init).__name__}")
    if init not in INITS:
        raise ValueError(f"{where}: unknown init {init!r}; expected one of {', '.join(INITS)}")
    return INITS[init]


# ---------------------------------------------------------------- inputs
def _inputs(x, n_in: int, where: str) -> tuple:
    """x as a tuple of n_in Values and floats (numbers become floats: data, no gradient)."""
    if type(x) is not list and type(x) is not tuple:  # lists and tuples: the fast path
        if isinstance(x, Value) or is_number(x):
            raise TypeError(f"{where}: expected a sequence of {n_in} inputs, got a single {type(x).__name__}")
        if isinstance(x, (str, bytes, bytearray, set, frozenset, dict)):  # no order, or characters: not inputs
            raise TypeError(f"{where}: expected a sequence of {n_in} numbers or Values, got {type(x).__name__}: "
                            f"{x!r}")
    try:
        n = len(x)
    except TypeError:
        raise TypeError(f"{where}: expected a sequence of {n_in} inputs, got {type(x).__name__}") from None
    if n != n_in:
        raise ValueError(f"{where}: expected {n_in} inputs, got {n}")
    out = list(x)
    for i, xi in enumerate(out):
        if type(xi) is not float and not isinstance(xi, Value):
            if not is_number(xi):
                raise TypeError(f"{where}: input x[{i}] must be a number or a Value, got {type(xi).__name__}: {xi!r}")
            out[i] = float(xi)
    return tuple(out)


def _batch(X, n_in: int, where: str) -> list:
    if isinstance(X, (Value, str)) or is_number(X) or not hasattr(X, "__iter__"):
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
    name = first._activation_name
    if name in LINEAR_ACTIVATIONS and f is ACTIVATIONS[name]:
        return linear_batch(W, X, B, name)
    outs = linear_batch(W, X, B)
    return outs if f is None else [[f(z) for z in zs] for zs in outs]


# ---------------------------------------------------------------- modules
class Neuron(Module):
    """y = f(b + Σᵢ wᵢxᵢ): one fused ``dot`` node (``dotc`` when x is data), then the activation (if any).

    ``init`` names how (w, b) are drawn (see :data:`INITS`), from ``rng`` or
    the global ``random``; ``fan_out`` is the width of the neuron's layer,
    which only Glorot's init uses.  ``activation``, ``w`` and ``b`` may be
    assigned; ``n_in`` (= len(w)) and ``init`` are read-only.
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
        n_in = checked_int(n_in, "Neuron(n_in)", 1)
        fan_out = checked_int(fan_out, "Neuron(fan_out)", 1)
        self._activation_name, self._f = _activation(activation, "Neuron(activation)")
        draw = _init_function(init, "Neuron(init)")
        self._init = init
        w, b = draw(random if rng is None else rng, n_in, fan_out)
        self.w = [Value(wi) for wi in w]
        self.b = Value(b)
        self._label_parameters()

    @property
    def activation(self) -> str:
        """The activation's name ("linear" for none); assign a name, a callable or None to change it."""
        return self._activation_name

    @activation.setter
    def activation(self, activation: Activation) -> None:
        self._activation_name, self._f = _activation(activation, "Neuron.activation")

    @property
    def n_in(self) -> int:
        """How many inputs the neuron reads: len(w).  Read-only: build a new Neuron(n_in, ...) to change it."""
        return len(self.w)

    @n_in.setter
    def n_in(self, value) -> None:
        raise AttributeError("Neuron.n_in is read-only (it is len(w)): build a new Neuron(n_in, ...) instead")

    init = _read_only("Neuron", "init", "it names how the weights were drawn; build a new Neuron(..., init=...)")

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """f(b + Σᵢ wᵢxᵢ); numbers among x are data (no gradient), Values get gradients too."""
        return _apply([self], [_inputs(x, len(self.w), "Neuron")])[0][0]

    def batch(self, X: Sequence[Sequence[Value | float]]) -> list[Value]:
        """``[self(x) for x in X]``, built faster: each weight is read once for the batch."""
        return [out[0] for out in _apply([self], _batch(X, len(self.w), "Neuron.batch"))]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for k, w in enumerate(self.w):
            yield f"w.{k}", w
        yield "b", self.b

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.n_in}, {self.activation})"


class Layer(Module):
    """n_out neurons reading the same n_in inputs; calling it returns a list of n_out Values.

    ``activation`` (set on every neuron) and ``neurons`` may be assigned;
    ``n_in``, ``n_out`` (read from the neurons) and ``init`` are read-only.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: Activation = "relu",
        *,
        init: str = DEFAULT_INIT,
        rng: random.Random | None = None,
    ) -> None:
        n_in = checked_int(n_in, "Layer(n_in)", 1)
        n_out = checked_int(n_out, "Layer(n_out)", 1)
        _activation(activation, "Layer(activation)")
        _init_function(init, "Layer(init)")
        self.neurons = [Neuron(n_in, activation, init=init, rng=rng, fan_out=n_out) for _ in range(n_out)]
        self._init = init
        self._label_parameters()

    @property
    def activation(self) -> str:
        """The neurons' activation name, or ``"mixed"`` when they differ; assigning sets every neuron's."""
        names = {n.activation for n in self.neurons}
        return names.pop() if len(names) == 1 else MIXED

    @activation.setter
    def activation(self, activation: Activation) -> None:
        _activation(activation, "Layer.activation")  # check once, before changing any neuron
        for n in self.neurons:
            n.activation = activation

    @property
    def n_in(self) -> int:
        """How many inputs the layer reads (its first neuron's n_in).  Read-only."""
        return self.neurons[0].n_in

    @n_in.setter
    def n_in(self, value) -> None:
        raise AttributeError("Layer.n_in is read-only (its neurons' n_in): build a new Layer(n_in, n_out, ...) instead")

    @property
    def n_out(self) -> int:
        """How many outputs the layer gives: len(neurons).  Read-only."""
        return len(self.neurons)

    @n_out.setter
    def n_out(self, value) -> None:
        raise AttributeError(
            "Layer.n_out is read-only (it is len(neurons)): build a new Layer(n_in, n_out, ...) or assign neurons"
        )

    init = _read_only("Layer", "init", "it names how the weights were drawn; build a new Layer(..., init=...)")

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

    ``activation``, ``output_activation`` and ``layers`` may be assigned;
    ``n_in``, ``n_outs`` (read from the layers), ``init`` and ``seed`` are read-only.
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
        n_in = checked_int(n_in, "MLP(n_in)", 1)
        if isinstance(n_outs, (str, bytes)) or is_number(n_outs) or not hasattr(n_outs, "__iter__"):
            raise TypeError(f"MLP(n_outs) must be a list of layer sizes, got {type(n_outs).__name__}: {n_outs!r}")
        n_outs = [checked_int(n, f"MLP(n_outs[{i}])", 1) for i, n in enumerate(n_outs)]
        if not n_outs:
            raise ValueError("MLP(n_outs) must list at least one layer size, got []")
        _activation(activation, "MLP(activation)")
        _activation(output_activation, "MLP(output_activation)")
        _init_function(init, "MLP(init)")
        seed = checked_seed(seed, "MLP(seed)")
        rng = None if seed is None else random.Random(seed)  # None: the random module's own
        sizes = [n_in, *n_outs]
        last = len(n_outs) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, init=init, rng=rng)
            for i in range(len(n_outs))
        ]
        self._hidden_activation = activation  # what a one-layer MLP reports and saves: it has no hidden layer
        self._init, self._seed = init, seed
        self._label_parameters()

    @property
    def activation(self) -> str:
        """The hidden layers' activation name (``"mixed"`` if they differ); assigning sets every hidden layer's."""
        hidden = {layer.activation for layer in self.layers[:-1]}
        if not hidden:
            return _activation(self._hidden_activation, "MLP.activation")[0]
        return hidden.pop() if len(hidden) == 1 else MIXED

    @activation.setter
    def activation(self, activation: Activation) -> None:
        _activation(activation, "MLP.activation")
        for layer in self.layers[:-1]:
            layer.activation = activation
        self._hidden_activation = activation

    @property
    def output_activation(self) -> str:
        """The last layer's activation name; assigning sets it."""
        return self.layers[-1].activation

    @output_activation.setter
    def output_activation(self, activation: Activation) -> None:
        _activation(activation, "MLP.output_activation")
        self.layers[-1].activation = activation

    @property
    def n_in(self) -> int:
        """How many inputs the MLP reads (its first layer's n_in).  Read-only."""
        return self.layers[0].n_in

    @n_in.setter
    def n_in(self, value) -> None:
        raise AttributeError("MLP.n_in is read-only (its first layer's n_in): build a new MLP(n_in, n_outs) instead")

    @property
    def n_outs(self) -> list[int]:
        """Each layer's width, as a new list (changing it changes nothing).  Read-only."""
        return [layer.n_out for layer in self.layers]

    @n_outs.setter
    def n_outs(self, value) -> None:
        raise AttributeError("MLP.n_outs is read-only (its layers' n_out): build a new MLP(n_in, n_outs) instead")

    init = _read_only("MLP", "init", "it names how the weights were drawn; build a new MLP(..., init=...)")
    seed = _read_only("MLP", "seed", "it is the seed the weights were drawn from; build a new MLP(..., seed=...)")

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """The output for one input x: a Value, or a list of them for several outputs.

        Numbers in x are data, as a tensor without ``requires_grad`` in PyTorch:
        the first layer's ``dotc`` nodes hold them as constants, with no gradient.
        Pass Values to get ∂/∂x as well.
        """
        return self._forward([_inputs(x, len(self.layers[0].neurons[0].w), "MLP")])[0]

    def batch(self, X: Sequence[Sequence[Value | float]]) -> list:
        """``[self(x) for x in X]``, built faster: each weight is read once for the batch."""
        return self._forward(_batch(X, len(self.layers[0].neurons[0].w), "MLP.batch"))

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
        """The constructor's arguments, as JSON-able data (activations by name), read from the layers."""
        hidden = [n for layer in self.layers[:-1] for n in layer.neurons]
        if not hidden:  # one layer: the activation it was given, which no neuron uses
            hidden_name, hidden_f = _activation(self._hidden_activation, "MLP.activation")
            if not _is_named(hidden_name, hidden_f):
                raise ValueError(f"MLP.activation is a callable ({hidden_name}); only named activations can be saved")
        names = []
        for what, neurons in (("activation", hidden), ("output_activation", self.layers[-1].neurons)):
            for n in neurons:
                if not _is_named(n._activation_name, n._f):
                    raise ValueError(
                        f"MLP.{what} is a callable ({n._activation_name}); only named activations can be saved"
                    )
            if len({n._activation_name for n in neurons}) > 1:
                raise ValueError(f"MLP.{what}: its neurons use different activations; only one can be saved")
            names.append(neurons[0]._activation_name if neurons else hidden_name)
        return {"type": "MLP", "n_in": self.n_in, "n_outs": self.n_outs, "activation": names[0],
                "output_activation": names[1]}

    @classmethod
    def from_architecture(cls, architecture: dict, *, seed: int | None = 0) -> MLP:
        """A new MLP (weights drawn from ``seed``) of the shape :meth:`architecture` describes."""
        a = architecture
        return cls(a["n_in"], a["n_outs"], a["activation"], a["output_activation"], seed=seed)

    def __repr__(self) -> str:
        rows = "".join(f"\n  (layers.{i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"MLP({rows}\n)  # {self.num_parameters()} parameters"

    # files and PyTorch: nn.io and nn.torch_interop read and write (architecture, parameters); we build the model
    def save(self, path) -> None:
        """Write the architecture and parameters to ``path`` as JSON, atomically."""
        io.save(self, path)

    @classmethod
    def load(cls, path) -> MLP:
        """A new MLP built and filled from a file written by :meth:`save`."""
        architecture, parameters = io.read_model(path)
        try:
            model = cls.from_architecture(architecture)
        except (KeyError, TypeError, ValueError) as e:
            raise io.ModelFileError(f"{io.describe(path)}: bad architecture {architecture!r}: {e}") from None
        io.load_state_dict(model, parameters, where=io.describe(path))
        return model

    def load_weights(self, path) -> None:
        """Set this MLP's parameters from a file written by :meth:`save` (same architecture)."""
        io.load_weights(self, path)

    def to_torch(self):
        """A float64 ``torch.nn.Sequential`` with the same weights (needs torch)."""
        return torch_interop.to_torch(self.architecture(), self.state_dict())

    @classmethod
    def from_torch(cls, sequential) -> MLP:
        """An MLP with the weights of a ``torch.nn.Sequential`` of Linear and activation modules."""
        architecture, parameters = torch_interop.from_torch(sequential)
        model = cls.from_architecture(architecture)
        model.load_state_dict(parameters)
        return model
