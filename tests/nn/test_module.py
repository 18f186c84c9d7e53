import nn
import nn.module
from autograd import Value
from nn import MLP, Module


class Pair(Module):
    """The smallest Module: two parameters."""

    def __init__(self):
        self.a, self.b = Value(1.0), Value(2.0)
        self._label_parameters()

    def named_parameters(self):
        yield "a", self.a
        yield "b", self.b


def test_a_module_is_its_named_parameters():
    m = Pair()
    assert m.parameters() == [m.a, m.b] and m.num_parameters() == 2
    assert [p.label for p in m.parameters()] == ["a", "b"]
    assert m.state_dict() == {"a": 1.0, "b": 2.0}
    m.load_state_dict({"a": 3.0, "b": 4.0})
    assert (m.a.data, m.b.data) == (3.0, 4.0)
    m.a.grad = m.b.grad = 5.0
    m.zero_grad()
    assert (m.a.grad, m.b.grad) == (0.0, 0.0)


def test_zero_grad():
    m = MLP(2, [2, 1], seed=0)
    m([1.0, 2.0]).backward()
    assert any(p.grad for p in m.parameters())
    m.zero_grad()
    assert all(p.grad == 0.0 for p in m.parameters())



def test_the_models_are_importable_where_they_were_before_nn_layers():
    for name in ("Neuron", "Layer", "MLP", "ACTIVATIONS", "INITS", "DEFAULT_INIT"):
        assert getattr(nn.module, name) is getattr(nn.layers, name) is getattr(nn, name)
