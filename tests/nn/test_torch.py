import random

import pytest

from nn import MLP

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    "n_in, n_outs, act, out_act",
    [(2, [16, 16, 1], "relu", None), (3, [5, 4], "tanh", "sigmoid"), (4, [3, 3, 2], "leaky_relu", "tanh"),
     (2, [3], "sigmoid", "relu")],
)
def test_to_torch_and_back_give_the_same_outputs(n_in, n_outs, act, out_act):
    m = MLP(n_in, n_outs, act, out_act, seed=1)
    seq = m.to_torch()
    assert isinstance(seq, torch.nn.Sequential) and all(p.dtype == torch.float64 for p in seq.parameters())
    rng = random.Random(0)
    xs = [[rng.uniform(-2, 2) for _ in range(n_in)] for _ in range(20)]
    theirs = seq(torch.tensor(xs, dtype=torch.float64)).tolist()
    for x, t in zip(xs, theirs):
        out = m(x)
        ours = [out.data] if not isinstance(out, list) else [v.data for v in out]
        assert ours == pytest.approx(t, rel=1e-12, abs=1e-12)
    back = MLP.from_torch(seq)
    assert back.state_dict() == m.state_dict()
    if len(n_outs) > 1:  # a one-layer network has no hidden activation to carry over
        assert back.architecture() == m.architecture()


def test_from_torch_reads_a_torch_built_network():
    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    m = MLP.from_torch(seq)
    assert m.architecture()["activation"] == "tanh" and m.architecture()["output_activation"] == "linear"
    x = [0.3, -0.1, 0.7]
    assert [v.data for v in m(x)] == pytest.approx(seq(torch.tensor(x, dtype=torch.float64)).tolist(), rel=1e-12)
    assert [p.label for p in m.parameters()][:2] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1"]


def test_from_torch_rejects_what_an_mlp_cannot_hold():
    with pytest.raises(ValueError, match="Softmax"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Softmax(dim=0)))
    with pytest.raises(ValueError, match="different activations"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Linear(2, 2),
                                           torch.nn.Tanh(), torch.nn.Linear(2, 1)))
    with pytest.raises(ValueError, match="do not chain"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(2, 1)))
    with pytest.raises(TypeError, match="Sequential"):
        MLP.from_torch(torch.nn.Linear(2, 2))
