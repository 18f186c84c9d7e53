# micrograd's demo: an MLP learns two moons (hinge loss, Adam);
# the decision boundary is redrawn as it trains
from playground import boundary, show

import nn
from autograd import gc_paused

X, y = nn.make_moons(100, noise=0.1, seed=1)
labels = [2 * t - 1 for t in y]                  # the hinge loss wants -1 / +1
model = nn.MLP(2, [16, 16, 1], seed=0)           # ReLU hidden layers, linear output
opt = nn.Adam(model.parameters(), lr=0.05)

for step in range(1, 61):
    with gc_paused():                            # chainrule's graphs have no cycles
        scores = model.batch(X)                  # the inputs are data: one graph per step
        loss = nn.losses.hinge(scores, labels)
        model.zero_grad()
        loss.backward()
    opt.step()
    if step % 10 == 0 or step == 1:
        acc = sum((s.data > 0) == (t > 0) for s, t in zip(scores, labels)) / len(X)
        print(f"step {step:2d}  loss {loss.data:.3f}  accuracy {acc:.0%}")
        boundary(model, X, y, title=f"step {step}, accuracy {acc:.0%}")

# one prediction's graph, a box per neuron; a forward pass only (no backward yet: no grads to show)
show(model([0.5, 0.25]), collapse="neuron", show_grad=False)
