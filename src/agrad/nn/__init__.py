"""agrad.nn: Module and Parameter, containers, layers, losses, `init`, `utils` and the
functional API (`agrad.nn.functional`), as torch.nn."""

from . import functional, init, utils  # noqa: F401
from .activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleDict, ModuleList, Sequential
from .conv import Conv1d, Conv2d
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, Linear
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .parameter import Parameter
from .pooling import AvgPool2d, MaxPool2d
from .sparse import Embedding

__all__ = ["Module", "Parameter", "Sequential", "ModuleList", "ModuleDict", "Identity", "Linear",
           "Bilinear", "Conv1d", "Conv2d", "MaxPool2d", "AvgPool2d", "Embedding", "Flatten",
           "Unflatten", "Dropout", "LayerNorm", "BatchNorm1d", "BatchNorm2d", "ReLU",
           "LeakyReLU", "GELU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "L1Loss", "MSELoss",
           "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "HuberLoss",
           "SmoothL1Loss", "functional", "init", "utils"]
