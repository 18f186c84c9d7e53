"""Module: the base of every model (parameters, their names, gradients and state dicts).

The models themselves (Neuron, Layer, MLP) are in :mod:`nn.layers`.
"""

from __future__ import annotations

from typing import Iterator

from autograd import Value

from . import io

__all__ = ["Module"]

# Neuron, Layer, MLP and their tables lived here before nn.layers; ``nn.module.MLP`` still finds them.
_MOVED_TO_LAYERS = {"Neuron", "Layer", "MLP", "ACTIVATIONS", "INITS", "DEFAULT_INIT"}


def __getattr__(name: str):
    if name in _MOVED_TO_LAYERS:
        from . import layers

        return getattr(layers, name)
    raise AttributeError(f"module 'nn.module' has no attribute {name!r}")


class Module:
    """Base of every model: its parameters, their dotted names, their gradients and its state dict."""

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
        """How many parameters (scalars) the model has."""
        return len(self.parameters())

    # state dicts: checked by nn.io, which knows no model class
    def state_dict(self) -> dict[str, float]:
        """{dotted name: value} for every parameter, in parameter order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict) -> None:
        """Set every parameter from ``state`` (same names, finite numbers); on any error, change nothing."""
        io.load_state_dict(self, state)
