"""Seeded data and initial weights shared by every engine in a workload."""

from __future__ import annotations

import math
import random


def moons(n: int = 100, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles (as sklearn's make_moons), labels ±1.0."""
    rng = random.Random(seed)
    X, Y = [], []
    for i in range(n):
        upper = i < n // 2
        t = math.pi * rng.random()
        x, y = (math.cos(t), math.sin(t)) if upper else (1.0 - math.cos(t), 0.5 - math.sin(t))
        X.append([x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)])
        Y.append(-1.0 if upper else 1.0)
    return X, Y


def digits_batch(n: int = 32, seed: int = 0):
    """A batch of 8×8 'images' (64 pixels in [0, 1], in 1/16 steps) with labels 0..9.

    Synthetic and seeded: the step's cost does not depend on what the pixels show.
    """
    rng = random.Random(seed)
    X = [[rng.randrange(17) / 16.0 for _ in range(64)] for _ in range(n)]
    Y = [rng.randrange(10) for _ in range(n)]
    return X, Y


def init_layers(sizes, seed: int = 0):
    """Weights uniform in [-1, 1] scaled by 1/√n_in, biases 0 (as floats)."""
    rng = random.Random(seed)
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        scale = 1.0 / math.sqrt(n_in)
        W = [[rng.uniform(-1.0, 1.0) * scale for _ in range(n_in)] for _ in range(n_out)]
        layers.append((W, [0.0] * n_out))
    return layers


def copy_layers(layers):
    return [([list(row) for row in W], list(b)) for W, b in layers]
