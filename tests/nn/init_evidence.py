"""Which initialisation trains the three classic networks most reliably? ``python tests/nn/init_evidence.py``.

For each init and seeds 0..19 (data split, weights and shuffling all from the seed):
- moons: micrograd's demo (MLP(2, [16, 16, 1]), 100 points, hinge + 1e-4 L2, SGD lr 1 − 0.9k/100,
  100 steps); success = 100% training accuracy;
- circles: MLP(2, [4, 6, 6, 4, 1]) ReLU/sigmoid, BCE, Adam lr 0.02, 60 epochs of batches of 32;
  success = test accuracy ≥ 95%;
- digits: MLP(64, [32, 10]), cross-entropy, Adam lr 0.01, 3 epochs of batches of 32, standardised;
  success = test accuracy ≥ 95%.
Prints the success counts (the README's table).  Takes about half an hour on one core.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

import nn  # noqa: E402
from autograd import Value  # noqa: E402
from nn import INITS, MLP, optim  # noqa: E402

sys.path.insert(0, HERE)
from test_classics import micrograd_demo  # noqa: E402


def moons(init, seed):
    X, y = nn.make_moons(100, noise=0.1, seed=seed)
    y = [2 * t - 1 for t in y]
    m = MLP(2, [16, 16, 1], init=init, seed=seed)
    micrograd_demo(m, Value, X, y, 100)
    return nn.accuracy(nn.predict(m, X), y) == 1.0


def circles(init, seed):
    X, y = nn.make_circles(300, noise=0.08, factor=0.5, seed=seed)
    Xtr, Xte, ytr, yte = nn.train_test_split(X, y, 0.25, seed=seed)
    m = MLP(2, [4, 6, 6, 4, 1], "relu", "sigmoid", init=init, seed=seed)
    nn.fit(m, Xtr, ytr, loss="binary_cross_entropy", optimizer=optim.Adam(m.parameters(), lr=0.02),
           epochs=60, batch_size=32, seed=seed, progress=False)
    return nn.accuracy(nn.predict(m, Xte), yte, 0.5) >= 0.95


def digits(init, seed, _data=[]):  # noqa: B006  (the data set, loaded once)
    if not _data:
        _data.append(nn.load_digits())
    X, y = _data[0]
    Xtr, Xte, ytr, yte = nn.train_test_split(X, y, 0.25, seed=seed)
    sc = nn.StandardScaler().fit(Xtr)
    Xtr, Xte = sc.transform(Xtr), sc.transform(Xte)
    m = MLP(64, [32, 10], init=init, seed=seed)
    nn.fit(m, Xtr, ytr, loss="cross_entropy", optimizer=optim.Adam(m.parameters(), lr=0.01),
           epochs=3, batch_size=32, seed=seed, progress=False)
    return nn.accuracy(nn.predict(m, Xte), yte) >= 0.95


if __name__ == "__main__":
    print("| init | moons (micrograd demo) | circles | digits | total |")
    print("|---|---|---|---|---|")
    for init in INITS:
        counts = [sum(net(init, s) for s in range(20)) for net in (moons, circles, digits)]
        print(f"| {init} | " + " | ".join(f"{c}/20" for c in counts) + f" | {sum(counts)}/60 |", flush=True)
