"""chainrule's neural-network library, built on `autograd`."""

import autograd as _autograd

if not hasattr(_autograd, "Value"):  # another package named autograd (HIPS autograd) shadows ours
    raise ImportError(
        f"nn needs chainrule's `autograd`, but `import autograd` found {_autograd.__file__}: "
        "another package with that name (HIPS autograd, `pip install autograd`) shadows it. "
        "Use a separate virtual environment for chainrule, or `pip uninstall autograd`."
    )

from . import data, gpt, live, losses, optim, text
from .data import StandardScaler, batches, load_digits, make_blobs, make_circles, make_moons, train_test_split
from .explore import RunPage, explore, save_run
from .gpt import GPT, train_gpt
from .io import ModelFileError
from .layers import ACTIVATIONS, DEFAULT_INIT, INITS, MLP, Layer, Neuron
from .module import Module
from .optim import SGD, Adagrad, Adam, AdamW, CosineLR, RMSprop, StepLR
from .text import CharTokenizer, load_names
from .train import History, accuracy, fit, predict

__all__ = [
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "ACTIVATIONS",
    "INITS",
    "DEFAULT_INIT",
    "ModelFileError",
    "losses",
    "optim",
    "data",
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "StepLR",
    "CosineLR",
    "make_moons",
    "make_circles",
    "make_blobs",
    "load_digits",
    "train_test_split",
    "batches",
    "StandardScaler",
    "fit",
    "predict",
    "accuracy",
    "History",
    "live",
    "explore",
    "save_run",
    "RunPage",
    "gpt",
    "text",
    "GPT",
    "train_gpt",
    "CharTokenizer",
    "load_names",
]
