"""PyTorch interop: an MLP as a float64 ``torch.nn.Sequential`` and back (torch is optional)."""

from __future__ import annotations

__all__ = ["to_torch", "from_torch"]

_TORCH_ACT = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "leaky_relu": "LeakyReLU"}


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("PyTorch interop needs torch: pip install 'chainrule[torch]'") from None
    return torch


def to_torch(model):
    """``Sequential(Linear, act, Linear, act, ..., Linear[, act])`` in float64 with ``model``'s weights."""
    torch = _torch()
    arch = model.architecture()
    mods = []
    last = len(model.layers) - 1
    for i, layer in enumerate(model.layers):
        lin = torch.nn.Linear(layer.n_in, layer.n_out, dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            lin.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        mods.append(lin)
        act = arch["output_activation"] if i == last else arch["activation"]
        if act == "leaky_relu":
            mods.append(torch.nn.LeakyReLU(0.01))
        elif act != "linear":
            mods.append(getattr(torch.nn, _TORCH_ACT[act])())
    return torch.nn.Sequential(*mods)


def from_torch(sequential):
    """An MLP with the weights of ``sequential``: Linear modules, each followed by at most one activation
    (ReLU, Tanh, Sigmoid, LeakyReLU(0.01) or Identity); every hidden layer must use the same one."""
    torch = _torch()
    from .module import MLP

    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError(f"from_torch: expected a torch.nn.Sequential, got {type(sequential).__name__}")
    names = {v: k for k, v in _TORCH_ACT.items()}
    linears, acts = [], []
    for i, m in enumerate(sequential):
        if isinstance(m, torch.nn.Linear):
            if linears and len(acts) < len(linears):
                acts.append("linear")
            if m.bias is None:
                raise ValueError(f"from_torch: module {i} is a Linear without bias")
            linears.append(m)
        elif not linears or len(acts) == len(linears):
            raise ValueError(f"from_torch: module {i} ({type(m).__name__}) must follow a Linear")
        elif isinstance(m, torch.nn.Identity):
            acts.append("linear")
        elif type(m).__name__ in names:
            if isinstance(m, torch.nn.LeakyReLU) and m.negative_slope != 0.01:
                raise ValueError(f"from_torch: module {i}: LeakyReLU slope must be 0.01, got {m.negative_slope}")
            acts.append(names[type(m).__name__])
        else:
            raise ValueError(f"from_torch: module {i} ({type(m).__name__}) is not a supported activation")
    if not linears:
        raise ValueError("from_torch: the Sequential holds no Linear module")
    if len(acts) < len(linears):
        acts.append("linear")
    hidden = set(acts[:-1])
    if len(hidden) > 1:
        raise ValueError(f"from_torch: hidden layers use different activations {sorted(hidden)}; an MLP uses one")
    for a, b in zip(linears, linears[1:]):
        if a.out_features != b.in_features:
            raise ValueError(f"from_torch: Linear sizes do not chain ({a.out_features} → {b.in_features})")
    model = MLP(linears[0].in_features, [m.out_features for m in linears], acts[0] if len(acts) > 1 else "relu",
                acts[-1], seed=0)
    state = {}
    with torch.no_grad():
        for i, lin in enumerate(linears):
            W = lin.weight.detach().to(torch.float64).tolist()
            b = lin.bias.detach().to(torch.float64).tolist()
            for j, row in enumerate(W):
                for k, w in enumerate(row):
                    state[f"layers.{i}.neurons.{j}.w.{k}"] = w
                state[f"layers.{i}.neurons.{j}.b"] = b[j]
    model.load_state_dict(state)
    return model
