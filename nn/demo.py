"""``python -m nn.demo``: train an MLP on a small data set and write what it learned.

Writes into ``--out`` (default ``./demo-out``): ``model.json`` (reload with
``MLP.load``), ``decision_boundary.png`` (2-D data sets), ``history.png``
(loss and accuracy per epoch) and ``graph.svg`` (the computation graph of
one prediction).  Plots need matplotlib: ``pip install 'chainrule[demo]'``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from . import data, losses, optim
from .module import MLP
from .train import accuracy, fit, predict

DATASETS = ("moons", "circles", "blobs", "digits")
# dataset → (default epochs, batch size, learning rate, loss)
_RECIPES = {
    "moons": (40, 32, 0.03, "binary_cross_entropy_with_logits"),
    "circles": (60, 32, 0.02, "binary_cross_entropy"),
    "blobs": (30, 32, 0.02, "cross_entropy"),
    "digits": (5, 32, 0.01, "cross_entropy"),
}


def _dataset(name: str, seed: int):
    """(X, y, model, whether to standardise the features) for a data set."""
    if name == "moons":
        X, y = data.make_moons(200, noise=0.1, seed=seed)
        return X, y, MLP(2, [16, 16, 1], seed=seed), False
    if name == "circles":
        X, y = data.make_circles(300, noise=0.08, factor=0.5, seed=seed)
        return X, y, MLP(2, [4, 6, 6, 4, 1], "relu", "sigmoid", seed=seed), False
    if name == "blobs":
        X, y = data.make_blobs(300, centers=3, cluster_std=1.5, seed=seed)
        return X, y, MLP(2, [16, 3], seed=seed), True
    X, y = data.load_digits()
    return X, y, MLP(64, [32, 10], seed=seed), True


def _matplotlib():
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("nn.demo: the plots need matplotlib: pip install 'chainrule[demo]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plotters():
    """(decision_boundary, history_curves): nn.plot's when it exists, else the small fallbacks below."""
    try:
        from . import plot  # type: ignore[attr-defined]

        return plot.decision_boundary, plot.history_curves
    except ImportError:
        return _fallback_decision_boundary, _fallback_history_curves


def _fallback_decision_boundary(model, X, y, *, path, threshold: float = 0.0, steps: int = 60) -> None:
    """Classes predicted over a grid around X, with the data on top (until nn.plot lands)."""
    plt = _matplotlib()
    xs, ys = [r[0] for r in X], [r[1] for r in X]
    pad = 0.5
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    gx = [x0 + (x1 - x0) * i / (steps - 1) for i in range(steps)]
    gy = [y0 + (y1 - y0) * j / (steps - 1) for j in range(steps)]
    out = predict(model, [[a, b] for b in gy for a in gx])
    cls = [max(range(len(o)), key=o.__getitem__) if isinstance(o, list) else int(o > threshold) for o in out]
    Z = [cls[j * steps : (j + 1) * steps] for j in range(steps)]
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx, gy, Z, alpha=0.3, cmap="coolwarm")
    ax.scatter(xs, ys, c=y, s=14, cmap="coolwarm", edgecolors="k", linewidths=0.3)
    ax.set_title("decision boundary")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def _fallback_history_curves(history, *, path) -> None:
    """Loss and accuracy per epoch, training and validation (until nn.plot lands)."""
    plt = _matplotlib()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for ax, what in zip(axes, ("loss", "accuracy")):
        for key in (what, f"val_{what}"):
            if history.get(key):
                ax.plot(range(1, len(history[key]) + 1), history[key], label=key)
        ax.set_xlabel("epoch")
        ax.set_title(what)
        ax.legend()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def _write_graph(root, path_svg: str) -> str:
    """The graph of ``root`` as SVG (autograd.draw_dot when it exists, else a plain graphviz drawing);
    without Graphviz's ``dot`` program, its DOT source instead.  Returns the path written."""
    import graphviz

    import autograd

    base = path_svg[: -len(".svg")]
    g = autograd.draw_dot(root) if hasattr(autograd, "draw_dot") else _fallback_graph(root)
    try:
        g.render(base, format="svg", cleanup=True)
    except graphviz.ExecutableNotFound:
        g.save(base + ".gv")
        print("Graphviz's `dot` is not installed (apt install graphviz / brew install graphviz): "
              f"wrote the graph's DOT source to {base}.gv instead of SVG", file=sys.stderr)
        return base + ".gv"
    return path_svg


def _fallback_graph(root):
    """A graphviz Digraph of every node under root: data and grad, ops as small ellipses."""
    import graphviz

    from autograd import topological_order

    g = graphviz.Digraph(graph_attr={"rankdir": "LR"}, node_attr={"shape": "record", "fontsize": "10"})
    ids = {}
    for i, v in enumerate(topological_order(root)):
        ids[v] = f"n{i}"
        g.node(f"n{i}", f"{{ {v.label} | data {v.data:.4f} | grad {v.grad:.4f} }}")
        if v.op:
            g.node(f"n{i}op", v.op, shape="ellipse")
            g.edge(f"n{i}op", f"n{i}")
            for p in v.parents:
                g.edge(ids[p], f"n{i}op")
    return g


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nn.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, default="moons")
    parser.add_argument("--epochs", type=int, default=None, help="default: per data set (moons 40)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="demo-out", help="output directory (default ./demo-out)")
    args = parser.parse_args(argv)
    if args.epochs is not None and args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")

    decision_boundary, history_curves = _plotters()
    _matplotlib()  # fail before training, not after, when the plot extra is missing
    epochs, batch_size, lr, loss = _RECIPES[args.dataset]
    epochs = args.epochs or epochs
    X, y, model, standardise = _dataset(args.dataset, args.seed)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, 0.25, seed=args.seed)
    if standardise:  # fitted on the training rows only
        scaler = data.StandardScaler().fit(Xtr)
        X, Xtr, Xte = scaler.transform(X), scaler.transform(Xtr), scaler.transform(Xte)
    print(f"{args.dataset}: {len(Xtr)} training and {len(Xte)} test rows; {model.num_parameters()} parameters")
    print(model)
    t = time.perf_counter()
    history = fit(model, Xtr, ytr, loss=loss, optimizer=optim.Adam(model.parameters(), lr=lr), epochs=epochs,
                  batch_size=batch_size, validation=(Xte, yte), seed=args.seed)
    threshold = 0.5 if loss == "binary_cross_entropy" else 0.0
    train_acc = accuracy(predict(model, Xtr), ytr, threshold)
    test_acc = accuracy(predict(model, Xte), yte, threshold)
    print(f"trained {epochs} epochs in {time.perf_counter() - t:.1f} s")
    print(f"train accuracy {train_acc:.1%}, test accuracy {test_acc:.1%}")

    os.makedirs(args.out, exist_ok=True)
    written = [os.path.join(args.out, "model.json")]
    model.save(written[0])
    if len(X[0]) == 2:
        written.append(os.path.join(args.out, "decision_boundary.png"))
        decision_boundary(model, X, y, path=written[-1], threshold=threshold)
    written.append(os.path.join(args.out, "history.png"))
    history_curves(history, path=written[-1])
    if args.dataset != "digits":  # digits' graph has ~2,500 nodes: too big to read as one picture
        out = model(Xte[0])
        if isinstance(out, list):  # several outputs: draw the sample's loss, which joins them
            out = losses.cross_entropy([out], [yte[0]])
        out.backward()
        written.append(_write_graph(out, os.path.join(args.out, "graph.svg")))
    else:
        print("no graph.svg for digits: one prediction's graph has ~2,500 nodes, too many to read as one picture")
    print("wrote " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
