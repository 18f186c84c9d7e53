# A neuron: o = tanh(x1·w1 + x2·w2 + b), as in micrograd's lecture
from autograd import Value

x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
b = Value(6.8813735870195432, "b")
n = x1 * w1 + x2 * w2 + b
n.label = "n"
o = n.tanh()
o.label = "o"
o.backward()
print("o =", round(o.data, 4))
print("x1.grad =", round(x1.grad, 4), " w1.grad =", round(w1.grad, 4))
print("x2.grad =", round(x2.grad, 4), " w2.grad =", round(w2.grad, 4))
