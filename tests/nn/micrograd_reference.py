"""Record micrograd 0.1.0's losses on its own demo program: ``python tests/nn/micrograd_reference.py``.

Writes tests/nn/data/micrograd_moons_losses.json, which test_classics.py
compares all 100 steps against (micrograd needs far longer than a test
should take for them; the test runs its first 10 steps live).
"""

import gc
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

import micrograd  # noqa: E402
import micrograd.engine  # noqa: E402
import micrograd.nn  # noqa: E402
from test_classics import SEED, micrograd_demo, moons  # noqa: E402

if __name__ == "__main__":
    X, y = moons()
    random.seed(SEED)
    model = micrograd.nn.MLP(2, [16, 16, 1])
    gc.disable()
    losses = micrograd_demo(model, micrograd.engine.Value, X, y, 100)
    gc.enable()
    scores = [model(list(map(micrograd.engine.Value, x))) for x in X]
    acc = sum((yi > 0) == (s.data > 0) for yi, s in zip(y, scores)) / len(y)
    doc = {"micrograd": "0.1.0", "program": "tests/nn/test_classics.py::micrograd_demo", "seed": SEED,
           "losses": losses, "final_accuracy": acc}
    with open(os.path.join(HERE, "data", "micrograd_moons_losses.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(losses)} losses; final loss {losses[-1]!r}, accuracy {acc}")
