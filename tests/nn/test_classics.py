"""The classic networks: micrograd's moons demo, the five-layer circles classifier, a digits classifier."""

import gc
import json
import os
import random

import pytest

import nn
from autograd import Value
from nn import MLP, losses, optim

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 5  # moons data and initial weights: a seed where micrograd's init and our default both reach 100%


def moons():
    X, y = nn.make_moons(100, noise=0.1, seed=SEED)
    return X, [2 * t - 1 for t in y]  # labels ±1, as micrograd's demo


def micrograd_demo(model, Value, X, y, steps):
    """micrograd's demo loop, written as its users write it; the loss of every step."""
    seen = []
    for k in range(steps):
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))  # noqa: UP034  (as written in micrograd)
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        seen.append(total_loss.data)
    return seen


def train_accuracy(model, X, y):
    return nn.accuracy(nn.predict(model, X), y)


def test_micrograd_init_draws_micrograds_weights():
    mg_nn = pytest.importorskip("micrograd.nn")
    random.seed(SEED)
    theirs = mg_nn.MLP(2, [16, 16, 1])
    ours = MLP(2, [16, 16, 1], init="micrograd", seed=SEED)
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]


def test_micrograd_demo_gives_micrograds_losses_live():
    mg_nn = pytest.importorskip("micrograd.nn")
    mg_engine = pytest.importorskip("micrograd.engine")
    X, y = moons()
    random.seed(SEED)
    theirs = mg_nn.MLP(2, [16, 16, 1])
    ours = MLP(2, [16, 16, 1], init="micrograd", seed=SEED)
    for p, q in zip(ours.parameters(), theirs.parameters()):  # the same weights, whatever the init draws
        p.data = q.data
    # micrograd's closures make reference cycles: without the cycle collector its 10 steps take
    # seconds instead of tens of seconds (the garbage is collected right after)
    gc.disable()
    try:
        expected = micrograd_demo(theirs, mg_engine.Value, X, y, 10)
    finally:
        gc.enable()
        gc.collect()
    got = micrograd_demo(ours, Value, X, y, 10)
    assert got == pytest.approx(expected, rel=1e-9, abs=0)


def test_micrograd_demo_all_100_steps_match_the_recorded_micrograd_run_and_reach_100_percent():
    # recorded by tests/nn/micrograd_reference.py with micrograd 0.1.0 (the same program, same data, same weights)
    with open(os.path.join(HERE, "data", "micrograd_moons_losses.json")) as f:
        ref = json.load(f)
    X, y = moons()
    ours = MLP(2, [16, 16, 1], init="micrograd", seed=SEED)
    got = micrograd_demo(ours, Value, X, y, 100)
    assert got == pytest.approx(ref["losses"], rel=1e-9, abs=0)
    assert train_accuracy(ours, X, y) == 1.0 == ref["final_accuracy"]


def test_micrograd_demo_with_the_default_init_reaches_100_percent():
    X, y = moons()
    model = MLP(2, [16, 16, 1], seed=SEED)
    micrograd_demo(model, Value, X, y, 100)
    assert train_accuracy(model, X, y) == 1.0


def test_circles_five_layer_network_reaches_95_percent_on_test_data():
    X, y = nn.make_circles(300, noise=0.08, factor=0.5, seed=0)
    Xtr, Xte, ytr, yte = nn.train_test_split(X, y, 0.25, seed=0)
    model = MLP(2, [4, 6, 6, 4, 1], "relu", "sigmoid", seed=0)
    nn.fit(model, Xtr, ytr, loss=losses.binary_cross_entropy, optimizer=optim.Adam(model.parameters(), lr=0.02),
           epochs=60, batch_size=32, seed=0, progress=False)
    assert nn.accuracy(nn.predict(model, Xte), yte, threshold=0.5) >= 0.95


def test_digits_classifier_reaches_95_percent_on_test_data():
    pytest.importorskip("sklearn")
    X, y = nn.load_digits()
    Xtr, Xte, ytr, yte = nn.train_test_split(X, y, 0.25, seed=0)
    scaler = nn.StandardScaler().fit(Xtr)
    Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)
    model = MLP(64, [32, 10], seed=0)
    history = nn.fit(model, Xtr, ytr, loss=losses.cross_entropy, optimizer=optim.Adam(model.parameters(), lr=0.01),
                     epochs=3, batch_size=32, seed=0, validation=(Xte, yte), progress=False)
    assert history["val_accuracy"][-1] >= 0.95
    assert nn.accuracy(nn.predict(model, Xte), yte) == history["val_accuracy"][-1]
