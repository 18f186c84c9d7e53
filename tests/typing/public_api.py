"""Type-checked by mypy in CI (never run): the public API used as a user would, so a wrong hint fails CI."""

from __future__ import annotations

import autograd
import nn
from autograd import (
    AnomalyError,
    BackwardSteps,
    Frame,
    NodeMismatch,
    Value,
    backward_steps,
    check_graph,
    detect_anomaly,
    draw_dot,
    grad,
    gradcheck,
    jvp,
)
from autograd.draw import Drawing
from nn import (
    GPT,
    MLP,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    CharTokenizer,
    CosineLR,
    History,
    RMSprop,
    StepLR,
    fit,
    losses,
    predict,
)

x: Value = Value(2.0, "x")
y: Value = (x * 3 + 1.0 - x / 2) ** 2
z: Value = y.tanh().exp().log1p().arcsinh().sign() + x.sqrt()
g: float = grad(y, x)
gs: list[float] = grad(y, [x])
ok: bool = gradcheck(lambda a: a.sin(), [0.3])
found: list[NodeMismatch] = check_graph(y)
value, tangent = jvp(lambda a: a * a, [1.5], [1.0])
with detect_anomaly():
    w: Value = autograd.dot([x], [2.0], 0.5)
error: type[FloatingPointError] = AnomalyError

# grad's overloads: one input gives a float, a sequence a list; create_graph=True gives Values
g2: Value = grad(y, x, create_graph=True)
gs2: list[Value] = grad(y, [x], create_graph=True)
flag: bool = len(gs) > 1
either: float | Value = grad(y, x, create_graph=flag)

# drawing and stepping (autograd.draw, loaded on first use)

drawing: Drawing = draw_dot(y, rankdir="TB", show_grad=False)
drawn: Drawing = y.draw(collapse="neuron")
steps: BackwardSteps = backward_steps(y, max_frames=None)
first: Frame = steps[0]
parent: Value | None = first.parent
frames: list[Frame] = list(steps)
frame_drawing: Drawing = steps.draw(len(steps) - 1)
strip: Drawing = steps.filmstrip()

# nn: an MLP trained by fit, optimizers and schedules, losses

model: MLP = MLP(2, [8, 1], activation="tanh", seed=0)
out: Value | list[Value] = model([1.0, x])
params: list[Value] = model.parameters()
adam: Adam = Adam(params, lr=StepLR(0.01, step_size=10, gamma=0.5))
sgd: SGD = SGD(params, lr=0.1, momentum=0.9, nesterov=True)
adamw: AdamW = AdamW(params, lr=CosineLR(0.01, T_max=100), weight_decay=0.01)
rmsprop: RMSprop = RMSprop(params, lr=0.01, alpha=0.9, momentum=0.5, centered=True)
adagrad: Adagrad = Adagrad(params, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)
X, labels = nn.make_moons(20, noise=0.1, seed=0)
history: History = fit(model, X, labels, loss="mse", optimizer=adam, epochs=2, progress=False)
predictions: list = predict(model, X)
losses_: list[Value] = [
    losses.mse([out], [1.0]),
    losses.cross_entropy([[x, y, z]], [2]),
    losses.binary_cross_entropy_with_logits([x], [1.0]),
    losses.hinge([x], [-1]),
]
probs: list[Value] = losses.softmax([x, y])
adam.zero_grad()
adam.step()
state: dict[str, float] = model.state_dict()

# nn: a tiny GPT on characters
tokenizer: CharTokenizer = CharTokenizer(["ab", "ba"])
doc: list[int] = tokenizer.document("ab")
gpt: GPT = GPT(tokenizer.vocab_size, n_embd=4, n_head=2, n_layer=1, block_size=4, seed=0)
gpt_loss: Value = gpt.loss(doc)
sampled: str = tokenizer.decode(gpt.sample(tokenizer.bos, seed=0))
trained: dict[str, list[float]] = nn.train_gpt(gpt, [doc], steps=1, progress=False)
position: Drawing = gpt.draw_position(doc, 0)
