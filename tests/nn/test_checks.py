"""One meaning of "an int" and "a number" in all of nn: numpy scalars count, bools never do."""

import random

import pytest

import nn
from autograd import Value
from nn import MLP, SGD, Adam, CosineLR, Layer, Neuron, StepLR, losses

np = pytest.importorskip("numpy")

X = [[0.1 * i, -0.2 * i] for i in range(8)]
Y = [i % 2 for i in range(8)]

# name → a call that takes one int argument, a size, a count or a seed
INT_TAKERS = {
    "MLP(n_in)": lambda n: MLP(n, [3, 1], seed=0),
    "MLP(n_outs[0])": lambda n: MLP(2, [n, 1], seed=0),
    "MLP(seed)": lambda n: MLP(2, [3, 1], seed=n),
    "Layer(n_in)": lambda n: Layer(n, 2, rng=random.Random(0)),
    "Layer(n_out)": lambda n: Layer(2, n, rng=random.Random(0)),
    "Neuron(n_in)": lambda n: Neuron(n, rng=random.Random(0)),
    "make_moons(n_samples)": lambda n: nn.make_moons(n),
    "make_moons(seed)": lambda n: nn.make_moons(10, seed=n),
    "make_circles(n_samples)": lambda n: nn.make_circles(n),
    "make_blobs(centers)": lambda n: nn.make_blobs(10, centers=n),
    "make_blobs(n_features)": lambda n: nn.make_blobs(10, n_features=n),
    "train_test_split(seed)": lambda n: nn.train_test_split(X, Y, seed=n),
    "batches(batch_size)": lambda n: list(nn.batches(X, Y, n)),
    "batches(seed)": lambda n: list(nn.batches(X, Y, 3, seed=n)),
    "StepLR(step_size)": lambda n: StepLR(0.1, n),
    "CosineLR(T_max)": lambda n: CosineLR(0.1, n),
    "fit(epochs)": lambda n: nn.fit(MLP(2, [1], seed=0), X, Y, loss="mse", epochs=n, progress=False),
    "fit(batch_size)": lambda n: nn.fit(MLP(2, [1], seed=0), X, Y, loss="mse", epochs=1, batch_size=n, progress=False),
    "fit(seed)": lambda n: nn.fit(MLP(2, [1], seed=0), X, Y, loss="mse", epochs=1, seed=n, progress=False),
}

# name → a call that takes one number argument
NUMBER_TAKERS = {
    "SGD(lr)": lambda x: SGD([Value(1.0)], lr=x),
    "SGD(momentum)": lambda x: SGD([Value(1.0)], lr=0.1, momentum=x),
    "Adam(lr)": lambda x: Adam([Value(1.0)], lr=x),
    "Adam(betas[0])": lambda x: Adam([Value(1.0)], betas=(x, 0.9)),
    "Adam(eps)": lambda x: Adam([Value(1.0)], eps=x),
    "StepLR(gamma)": lambda x: StepLR(0.1, 2, gamma=x),
    "make_moons(noise)": lambda x: nn.make_moons(10, noise=x),
    "make_circles(factor)": lambda x: nn.make_circles(10, factor=x),
    "make_blobs(cluster_std)": lambda x: nn.make_blobs(10, cluster_std=x),
    "fit(threshold)": lambda x: nn.fit(MLP(2, [1], seed=0), X, Y, loss="bce_with_logits", epochs=1, threshold=x,
                                       progress=False),
}


@pytest.mark.parametrize("name", sorted(INT_TAKERS))
def test_numpy_ints_are_ints_everywhere(name):
    INT_TAKERS[name](np.int64(2))
    INT_TAKERS[name](np.int32(2))


@pytest.mark.parametrize("name", sorted(INT_TAKERS))
def test_a_bool_is_not_an_int_anywhere_and_the_error_names_the_argument(name):
    pattern = name.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")
    with pytest.raises(TypeError, match=pattern + r" must be (an int|a count \(int\))"):
        INT_TAKERS[name](True)


@pytest.mark.parametrize("name", sorted(NUMBER_TAKERS))
def test_numpy_floats_are_numbers_everywhere_and_bools_are_not(name):
    NUMBER_TAKERS[name](np.float32(0.5))
    NUMBER_TAKERS[name](np.float64(0.5))
    pattern = name.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")
    with pytest.raises(TypeError, match=pattern + " must be a number"):
        NUMBER_TAKERS[name](True)


def test_numpy_scalars_as_model_inputs_targets_and_class_indices():
    m = MLP(2, [3, 2], seed=0)
    assert [v.data for v in m([np.float32(0.5), np.int64(1)])] == [v.data for v in m([0.5, 1.0])]
    assert losses.cross_entropy([m([0.5, 1.0])], [np.int64(1)]).data == losses.cross_entropy([m([0.5, 1.0])], [1]).data
    assert losses.mse([np.float32(0.5)], [np.float32(1.0)]).data == 0.25


def test_bools_are_not_inputs_targets_or_class_indices():
    m = MLP(2, [3, 2], seed=0)
    with pytest.raises(TypeError, match=r"x\[0\] must be a number"):
        m([True, 1.0])
    with pytest.raises(TypeError, match="target 0 must be a class index"):
        losses.cross_entropy([m([0.5, 1.0])], [True])
    with pytest.raises(TypeError, match="target 0 must be a number"):
        losses.mse([Value(0.5)], [True])


@pytest.mark.parametrize("bad, exc", [(float("nan"), ValueError), (float("inf"), ValueError), (-1.0, ValueError),
                                      ("0.1", TypeError)])
def test_rates_and_noise_must_be_finite_and_in_range(bad, exc):
    for make in (lambda: SGD([Value(1.0)], lr=bad), lambda: nn.make_moons(10, noise=bad)):
        with pytest.raises(exc):
            make()
