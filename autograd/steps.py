"""Stepping through ``backward()``: moved to :mod:`autograd.draw.steps`; these names still work from here."""

from .draw.player import Player
from .draw.steps import BackwardSteps, Frame, backward_steps

__all__ = ["backward_steps", "BackwardSteps", "Frame", "Player"]
