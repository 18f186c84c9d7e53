"""chainrule's neural-network library, built on `autograd`."""

from . import data, losses, optim
from .data import StandardScaler, batches, load_digits, make_blobs, make_circles, make_moons, train_test_split
from .io import ModelFileError
from .module import ACTIVATIONS, DEFAULT_INIT, INITS, MLP, Layer, Module, Neuron
from .optim import SGD, Adam, AdamW, CosineLR, StepLR
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
]
