"""PyTorch interop: an MLP as a float64 ``torch.nn.Sequential`` and back (torch is optional).

A leaf: it imports no model class.  It turns (architecture, state dict) into a
Sequential and a Sequential into (architecture, state dict); ``MLP.to_torch``
and ``MLP.from_torch`` do the rest.
"""

from __future__ import annotations

__all__ = ["to_torch", "from_torch"]

_TORCH_ACT = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "leaky_relu": "LeakyReLU"}


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("PyTorch interop needs torch: pip install 'chainrule[torch]'") from None
    return torch


def to_torch(architecture: dict, state: dict):
    """``Sequential(Linear, act, Linear, act, ..., Linear[, act])`` in float64 with the weights in ``state``.

    ``architecture`` is what ``MLP.architecture()`` gives and ``state`` its ``state_dict()``.
    """
    torch = _torch()
    sizes = [architecture["n_in"], *architecture["n_outs"]]
    mods = []
    last = len(sizes) - 2
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        lin = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
        W = [[state[f"layers.{i}.neurons.{j}.w.{k}"] for k in range(n_in)] for j in range(n_out)]
        b = [state[f"layers.{i}.neurons.{j}.b"] for j in range(n_out)]
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(W, dtype=torch.float64))
            lin.bias.copy_(torch.tensor(b, dtype=torch.float64))
        mods.append(lin)
        act = architecture["output_activation"] if i == last else architecture["activation"]
        if act == "leaky_relu":
            mods.append(torch.nn.LeakyReLU(0.01))
        elif act != "linear":
            mods.append(getattr(torch.nn, _TORCH_ACT[act])())
    return torch.nn.Sequential(*mods)


def from_torch(sequential) -> tuple[dict, dict]:
    """(architecture, state dict) of the MLP that ``sequential`` is: Linear modules, each followed by at most one
    activation (ReLU, Tanh, Sigmoid, LeakyReLU(0.01) or Identity); every hidden layer must use the same one."""
    torch = _torch()
    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError(f"from_torch: expected a torch.nn.Sequential, got {type(sequential).__name__}")
    names = {v: k for k, v in _TORCH_ACT.items()}
    linears: list = []
    acts: list[str] = []
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
    architecture = {"type": "MLP", "n_in": linears[0].in_features, "n_outs": [m.out_features for m in linears],
                    "activation": acts[0] if len(acts) > 1 else "relu", "output_activation": acts[-1]}
    state = {}
    with torch.no_grad():
        for i, lin in enumerate(linears):
            W = lin.weight.detach().to(torch.float64).tolist()
            b = lin.bias.detach().to(torch.float64).tolist()
            for j, row in enumerate(W):
                for k, w in enumerate(row):
                    state[f"layers.{i}.neurons.{j}.w.{k}"] = w
                state[f"layers.{i}.neurons.{j}.b"] = b[j]
    return architecture, state
