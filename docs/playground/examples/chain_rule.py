# The README's example: L = a·b + a, and its backward pass
from autograd import Value

a, b = Value(2.0, "a"), Value(3.0, "b")
L = a * b + a
L.label = "L"
L.backward()
print(L.data, a.grad, b.grad)   # 8.0 4.0 2.0   (∂L/∂a = b + 1, ∂L/∂b = a)
