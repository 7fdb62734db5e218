"""agrad.nn: Module and Parameter, containers, layers, losses, `init`, `utils` and the
functional API (`agrad.nn.functional`), as torch.nn."""

# Until agrad/__init__.py imports them itself, loading agrad.nn also loads agrad.optim and
# agrad.utils, so that `import agrad as torch; torch.optim.SGD(...)` works (importing a
# submodule binds it on its parent package).
from .. import optim as _optim  # noqa: F401
from .. import utils as _utils  # noqa: F401
from . import functional, init, utils  # noqa: F401
from ._functional_layers import (  # noqa: F401 - the functional forms of the layers below
    avg_pool2d,
    batch_norm,
    bilinear,
    conv1d,
    conv2d,
    embedding,
    huber_loss,
    layer_norm,
    max_pool2d,
    pad,
    smooth_l1_loss,
    unfold,
)
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
