"""``python -m nn.demo``: train an MLP on a small data set and write what it learned.

Writes into ``--out`` (default ``./demo-out``): ``model.json`` (reload with
``MLP.load``), ``decision_boundary.png`` (2-D data sets), ``history.png``
(loss and accuracy per epoch) and ``graph.svg`` (the computation graph of
one prediction).  Plots need matplotlib: ``pip install 'chainrule[demo]'``.
``--dataset names`` trains the GPT from scalars instead (see ``nn.gpt_demo``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from . import data, losses, optim, plot
from .io import write_atomic
from .layers import MLP
from .train import accuracy, fit, predict

DATASETS = ("moons", "circles", "blobs", "digits", "names")
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


def _require_matplotlib() -> None:
    """Fail before training, not after, when the plot extra is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SystemExit("nn.demo: the plots need matplotlib: pip install 'chainrule[demo]'") from None


def _write_graph(root, path_svg: str) -> str:
    """The graph of ``root``, one box per neuron, as SVG; where no Graphviz
    renderer is installed, its DOT text and the install commands instead.
    Returns the path written."""
    from autograd import draw_dot
    from autograd.draw import GraphvizNotFound

    g = draw_dot(root, collapse="neuron")
    try:
        svg = g.pipe(format="svg")
        write_atomic(path_svg, lambda f: f.write(svg), where="nn.demo")
        return path_svg
    except GraphvizNotFound as e:
        path_gv = path_svg[: -len(".svg")] + ".gv"
        write_atomic(path_gv, lambda f: f.write(g.source.encode("utf-8")), where="nn.demo")
        print(f"wrote the graph's DOT text to {path_gv} instead of SVG: {e}", file=sys.stderr)
        return path_gv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nn.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, default="moons")
    parser.add_argument("--epochs", type=int, default=None, help="default: per data set (moons 40)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="demo-out", help="output directory (default ./demo-out)")
    parser.add_argument("--steps", type=int, default=None, help="names: training steps (default 200)")
    parser.add_argument("--full", action="store_true", help="names: the full run of 1,000 steps")
    args = parser.parse_args(argv)
    if args.steps is not None and args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    if args.epochs is not None and args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        parser.error(f"--out {args.out!r} cannot be used as the output directory: it is a file")
    try:  # before training, not after: --out may lie under a file, or where we cannot write
        os.makedirs(args.out, exist_ok=True)
        if not os.access(args.out, os.W_OK | os.X_OK):
            raise PermissionError("permission denied")
    except OSError as e:
        parser.error(f"--out {args.out!r} cannot be used as the output directory: {e.strerror or e}")

    if args.dataset == "names":
        outputs = ["model.json", "loss.png", "attention.png"]
    else:
        outputs = ["model.json", "decision_boundary.png", "history.png", "graph.svg", "graph.gv"]
    for name in outputs:  # before training: a planted link or a directory would fail, or be written through, after
        path = os.path.join(args.out, name)
        if os.path.islink(path):
            parser.error(f"--out {args.out!r}: {name} is a symlink; the demo writes only plain files (remove it)")
        if os.path.isdir(path):
            parser.error(f"--out {args.out!r}: {name} is a directory; the demo writes a file there (remove it)")

    _require_matplotlib()
    if args.dataset == "names":
        from . import gpt_demo

        steps = args.steps or (gpt_demo.FULL_STEPS if args.full else gpt_demo.DEFAULT_STEPS)
        print("wrote " + ", ".join(gpt_demo.run(args.out, steps, seed=args.seed)))
        return 0
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

    written = [os.path.join(args.out, "model.json")]
    model.save(written[0])  # every output atomically: a temp file renamed over the target
    if len(X[0]) == 2:
        written.append(os.path.join(args.out, "decision_boundary.png"))
        write_atomic(written[-1], lambda f: plot.decision_boundary(model, X, y, path=f, threshold=threshold),
                     where="nn.demo")
    written.append(os.path.join(args.out, "history.png"))
    write_atomic(written[-1], lambda f: plot.history_curves(history, path=f), where="nn.demo")
    out = model(Xte[0])
    if isinstance(out, list):  # several outputs: draw the sample's loss, which joins them
        out = losses.cross_entropy([out], [yte[0]])
    out.backward()
    written.append(_write_graph(out, os.path.join(args.out, "graph.svg")))
    print("wrote " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
