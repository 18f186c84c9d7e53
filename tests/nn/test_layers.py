import math
import random

import pytest

from autograd import Value, topological_order
from nn import INITS, MLP, Layer, Neuron


def test_parameters_follow_micrograds_order_and_carry_their_names_as_labels():
    m = MLP(3, [2, 1], seed=0)
    names = [n for n, _ in m.named_parameters()]
    assert names == [
        "layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.w.2", "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0", "layers.0.neurons.1.w.1", "layers.0.neurons.1.w.2", "layers.0.neurons.1.b",
        "layers.1.neurons.0.w.0", "layers.1.neurons.0.w.1", "layers.1.neurons.0.b",
    ]
    assert m.parameters() == [p for _, p in m.named_parameters()]
    assert [p.label for p in m.parameters()] == names
    assert m.parameters()[3] is m.layers[0].neurons[0].b


def test_standalone_neuron_and_layer_labels():
    n = Neuron(2, rng=random.Random(0))
    assert [p.label for p in n.parameters()] == ["w.0", "w.1", "b"]
    layer = Layer(2, 2, rng=random.Random(0))
    assert [p.label for p in layer.parameters()] == [
        "neurons.0.w.0", "neurons.0.w.1", "neurons.0.b", "neurons.1.w.0", "neurons.1.w.1", "neurons.1.b"]


def test_neuron_builds_one_dot_node_and_one_activation_node():
    n = Neuron(3, "tanh", rng=random.Random(1))
    x = [Value(1.0), Value(-2.0), Value(0.5)]
    out = n(x)
    assert out.op == "tanh"
    (d,) = out.parents
    assert d.op == "dot" and d.parents == (*n.w, *x, n.b)
    expected = math.tanh(sum((w.data * xi.data for w, xi in zip(n.w, x)), n.b.data))
    assert out.data == expected
    lin = Neuron(3, "linear", rng=random.Random(1))
    assert lin(x).op == "dot"


def test_mlp_keeps_float_inputs_as_constants_of_the_first_layer():
    # data, as a tensor without requires_grad in PyTorch: no input leaves, no input gradients
    m = MLP(2, [3, 1], seed=0)
    out = m([0.5, -1])
    nodes = topological_order(out)
    assert not [v for v in nodes if not v.parents and v not in set(m.parameters())]
    first = [v for v in nodes if v.op == "dotc"]
    assert len(first) == 3
    for d, neuron in zip(first, m.layers[0].neurons):
        assert d.parents == (*neuron.w, neuron.b) and d.local_grads == (0.5, -1.0, 1.0)
    assert all(d.local_grads is first[0].local_grads for d in first)  # one tuple per sample


def test_mlp_on_value_inputs_gives_their_gradients_too():
    m = MLP(2, [3, 1], seed=0)
    x = [Value(0.5), Value(-1.0)]
    out = m(x)
    first = [v for v in topological_order(out) if v.op == "dot" and len(v.parents) == 5]
    assert len(first) == 3 and all(d.parents[2:4] == tuple(x) for d in first)
    out.backward()
    h = 1e-6
    for i in range(2):
        up = [x[j].data + (h if j == i else 0.0) for j in range(2)]
        down = [x[j].data - (h if j == i else 0.0) for j in range(2)]
        assert x[i].grad == pytest.approx((m(up).data - m(down).data) / (2 * h), rel=1e-6, abs=1e-9)


def test_batch_equals_one_call_per_input():
    rng = random.Random(5)
    X = [[rng.uniform(-2, 2) for _ in range(3)] for _ in range(6)]
    for m in (MLP(3, [4, 4, 2], seed=1), MLP(3, [4, 1], "tanh", "sigmoid", seed=2),
              MLP(3, [4, 1], activation="leaky_relu", seed=3), MLP(3, [2, 1], activation=lambda v: v * v, seed=4)):
        got, want = m.batch(X), [m(x) for x in X]
        flat = [o if isinstance(o, list) else [o] for o in got]
        flat_want = [o if isinstance(o, list) else [o] for o in want]
        assert [[v.data for v in o] for o in flat] == [[v.data for v in o] for o in flat_want]
        m.zero_grad()
        flat[0][0].backward()
        got_grads = [p.grad for p in m.parameters()]
        m.zero_grad()
        flat_want[0][0].backward()
        assert got_grads == [p.grad for p in m.parameters()] and any(got_grads)
    layer = Layer(3, 2, rng=random.Random(0))
    assert [[v.data for v in o] for o in layer.batch(X)] == [[v.data for v in layer(x)] for x in X]
    neuron = Neuron(3, rng=random.Random(0))
    assert [v.data for v in neuron.batch(X)] == [neuron(x).data for x in X]


def test_batch_bad_input_names_the_sample():
    m = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="MLP.batch: input 1: expected 2 inputs, got 3"):
        m.batch([[1.0, 2.0], [1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match=r"MLP.batch: input 0: input x\[1\] must be a number or a Value"):
        m.batch([[1.0, "a"]])
    with pytest.raises(TypeError, match="expected a batch"):
        m.batch(3.0)


def test_mlp_returns_one_value_for_one_output_else_a_list():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    out = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(Layer(2, 1, rng=random.Random(0))([1.0, 2.0]), list)


def test_hidden_layers_use_activation_and_the_last_output_activation():
    m = MLP(2, [3, 3, 1], "tanh", "sigmoid", seed=0)
    assert [layer.activation for layer in m.layers] == ["tanh", "tanh", "sigmoid"]
    assert MLP(2, [3, 1], seed=0).layers[-1].activation == "linear"
    assert m([0.1, 0.2]).op == "sigmoid"


def test_callable_activation():
    m = MLP(2, [2, 1], activation=lambda v: v * v, seed=0)
    out = m([1.0, 2.0])
    h = [n([1.0, 2.0]) for n in m.layers[0].neurons]
    assert out.data == pytest.approx(sum((w.data * x.data for w, x in zip(m.layers[1].neurons[0].w, h)),
                                         m.layers[1].neurons[0].b.data))


def test_leaky_relu_activation():
    n = Neuron(1, "leaky_relu", rng=random.Random(0))
    n.w[0].data, n.b.data = 1.0, 0.0
    assert n([-2.0]).data == pytest.approx(-0.02)


def test_seed_gives_the_same_weights_and_no_seed_uses_the_global_random():
    assert MLP(2, [4, 1], seed=3).state_dict() == MLP(2, [4, 1], seed=3).state_dict()
    assert MLP(2, [4, 1], seed=3).state_dict() != MLP(2, [4, 1], seed=4).state_dict()
    random.seed(7)
    a = MLP(2, [4, 1]).state_dict()
    random.seed(7)
    assert MLP(2, [4, 1]).state_dict() == a


@pytest.mark.parametrize("init", sorted(INITS))
def test_inits_draw_within_their_ranges(init):
    m = MLP(50, [40, 1], init=init, seed=0)
    ws = [w.data for n in m.layers[0].neurons for w in n.w]
    bs = [n.b.data for n in m.layers[0].neurons]
    mean = sum(ws) / len(ws)
    std = math.sqrt(sum((w - mean) ** 2 for w in ws) / len(ws))
    if init == "micrograd":
        assert max(map(abs, ws)) <= 1 and bs == [0.0] * 40 and std == pytest.approx(1 / math.sqrt(3), rel=0.05)
    elif init == "torch":
        k = 1 / math.sqrt(50)
        assert max(map(abs, ws + bs)) <= k and any(bs)
    elif init == "he":
        assert std == pytest.approx(math.sqrt(2 / 50), rel=0.05) and bs == [0.0] * 40
    else:
        a = math.sqrt(6 / 90)
        assert max(map(abs, ws)) <= a and std == pytest.approx(a / math.sqrt(3), rel=0.05)


def test_repr_shows_the_architecture():
    r = repr(MLP(2, [16, 16, 1], seed=0))
    assert "Layer(2 → 16, relu)" in r and "Layer(16 → 1, linear)" in r and "337 parameters" in r
    assert repr(Neuron(3, "tanh", rng=random.Random(0))) == "Neuron(3, tanh)"


@pytest.mark.parametrize(
    "make, exc, words",
    [
        (lambda: MLP(0, [1]), ValueError, "n_in"),
        (lambda: MLP(2, []), ValueError, "n_outs"),
        (lambda: MLP(2, [3, 0]), ValueError, "n_outs[1]"),
        (lambda: MLP(2, 3), TypeError, "n_outs"),
        (lambda: MLP(2.0, [1]), TypeError, "n_in"),
        (lambda: MLP(2, [1], activation="swish"), ValueError, "swish"),
        (lambda: MLP(2, [1], output_activation="softmax"), ValueError, "output_activation"),
        (lambda: MLP(2, [1], init="lecun"), ValueError, "init"),
        (lambda: Neuron(0), ValueError, "n_in"),
        (lambda: Layer(2, 0), ValueError, "n_out"),
        (lambda: Neuron(2, activation=3), TypeError, "activation"),
    ],
)
def test_bad_architectures_raise_naming_the_problem(make, exc, words):
    with pytest.raises(exc, match=words.replace("[", r"\[").replace("]", r"\]")):
        make()


def test_wrong_input_length_raises_naming_the_lengths():
    m = MLP(3, [2, 1], seed=0)
    with pytest.raises(ValueError, match="expected 3 inputs, got 2"):
        m([1.0, 2.0])
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        Neuron(2, rng=random.Random(0))([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expected 2 inputs"):
        Layer(2, 3, rng=random.Random(0))([1.0])
    with pytest.raises(TypeError, match="sequence"):
        m(1.0)
    with pytest.raises(TypeError, match=r"x\[1\]"):
        m([1.0, "a", 2.0])


def test_gradients_flow_to_every_parameter_and_input():
    m = MLP(2, [3, 1], "tanh", seed=0)
    x = [Value(0.3), Value(-0.7)]
    out = m(x)
    out.backward()
    h = 1e-6
    for p in m.parameters():
        p.data += h
        up = m([0.3, -0.7]).data
        p.data -= 2 * h
        down = m([0.3, -0.7]).data
        p.data += h
        assert p.grad == pytest.approx((up - down) / (2 * h), abs=1e-6)


def test_a_layer_assembled_by_hand_keeps_each_neurons_activation():
    layer = Layer(2, 2, "relu", rng=random.Random(0))
    layer.neurons[1] = Neuron(2, "tanh", rng=random.Random(1))
    outs = layer([0.3, -0.9])
    assert [v.op for v in outs] == ["relu", "tanh"]
    assert outs[1].data == layer.neurons[1]([0.3, -0.9]).data
    assert [[v.op for v in o] for o in layer.batch([[0.3, -0.9], [1.0, 1.0]])] == [["relu", "tanh"]] * 2


# ---------------------------------------------------------------- public attributes: work when assigned, or refuse
def test_assigning_a_neurons_activation_changes_what_it_computes():
    n = Neuron(3, "linear", rng=random.Random(0))
    n.w = [Value(1.0), Value(1.0), Value(1.0)]
    n.b = Value(-10.0)
    assert n([1.0, 2.0, 3.0]).data == -4.0
    n.activation = "relu"
    assert n.activation == "relu" and n([1.0, 2.0, 3.0]).data == 0.0 and n([1.0, 2.0, 3.0]).op == "relu"
    n.activation = lambda v: v * v
    assert n([1.0, 2.0, 3.0]).data == 16.0
    n.activation = None
    assert n.activation == "linear" and n([1.0, 2.0, 3.0]).op == "dotc"
    with pytest.raises(ValueError, match=r"Neuron.activation: unknown activation 'swish'"):
        n.activation = "swish"


def test_assigning_a_layers_activation_sets_every_neurons():
    layer = Layer(2, 3, "relu", rng=random.Random(0))
    layer.activation = "tanh"
    assert [v.op for v in layer([0.3, -0.9])] == ["tanh"] * 3 and layer.activation == "tanh"
    layer.neurons[1].activation = "sigmoid"
    assert layer.activation == "mixed"
    with pytest.raises(ValueError, match="Layer.activation"):
        layer.activation = "swish"
    assert [n.activation for n in layer.neurons] == ["tanh", "sigmoid", "tanh"]  # a bad name changes nothing


def test_assigning_an_mlps_activations_changes_its_layers_and_what_it_saves(tmp_path):
    m = MLP(2, [3, 3, 1], seed=0)
    m.activation, m.output_activation = "tanh", "sigmoid"
    assert [layer.activation for layer in m.layers] == ["tanh", "tanh", "sigmoid"]
    assert m([0.1, 0.2]).op == "sigmoid"
    assert m.architecture()["activation"] == "tanh" and m.architecture()["output_activation"] == "sigmoid"
    m.save(tmp_path / "m.json")
    assert MLP.load(tmp_path / "m.json")([0.1, 0.2]).data == m([0.1, 0.2]).data
    m.layers[0].activation = "relu"  # a layer changed by hand: the MLP reports it, and refuses to save a mix
    assert m.activation == "mixed"
    with pytest.raises(ValueError, match="different activations"):
        m.architecture()
    one = MLP(2, [1], seed=0)
    one.activation = "tanh"  # no hidden layer: only what it reports and saves
    assert one.activation == "tanh" and one.architecture()["activation"] == "tanh"


def test_a_callable_assigned_as_activation_cannot_be_saved():
    m = MLP(2, [2, 1], seed=0)
    m.output_activation = lambda v: v
    with pytest.raises(ValueError, match="output_activation is a callable"):
        m.architecture()


@pytest.mark.parametrize(
    "make, attribute, words",
    [
        (lambda: Neuron(3, rng=random.Random(0)), "n_in", "build a new Neuron"),
        (lambda: Neuron(3, rng=random.Random(0)), "init", "build a new Neuron"),
        (lambda: Layer(3, 2, rng=random.Random(0)), "n_in", "build a new Layer"),
        (lambda: Layer(3, 2, rng=random.Random(0)), "n_out", "build a new Layer"),
        (lambda: Layer(3, 2, rng=random.Random(0)), "init", "build a new Layer"),
        (lambda: MLP(3, [2, 1], seed=0), "n_in", "build a new MLP"),
        (lambda: MLP(3, [2, 1], seed=0), "n_outs", "build a new MLP"),
        (lambda: MLP(3, [2, 1], seed=0), "init", "build a new MLP"),
        (lambda: MLP(3, [2, 1], seed=0), "seed", "build a new MLP"),
    ],
)
def test_sizes_init_and_seed_are_read_only_and_say_what_to_do(make, attribute, words):
    model = make()
    before = getattr(model, attribute)
    with pytest.raises(AttributeError, match=f"{type(model).__name__}.{attribute} is read-only.*{words}"):
        setattr(model, attribute, 7)
    assert getattr(model, attribute) == before


def test_sizes_are_read_from_the_parameters():
    m = MLP(3, [2, 1], seed=0)
    assert (m.n_in, m.n_outs, m.init, m.seed) == (3, [2, 1], "he", 0)
    m.n_outs.append(5)  # a new list each time: changing it changes nothing
    assert m.n_outs == [2, 1]
    m.layers.append(Layer(1, 4, rng=random.Random(0)))
    assert m.n_outs == [2, 1, 4] and len(m([1.0, 2.0, 3.0])) == 4
    layer = Layer(3, 2, rng=random.Random(0))
    layer.neurons.append(Neuron(3, rng=random.Random(1)))
    assert layer.n_out == 3 and len(layer([1.0, 2.0, 3.0])) == 3


def test_assigned_weights_and_bias_are_used():
    n = Neuron(2, "linear", rng=random.Random(0))
    n.w, n.b = [Value(2.0), Value(3.0)], Value(1.0)
    assert n([1.0, 1.0]).data == 6.0 and n.parameters() == [*n.w, n.b]
