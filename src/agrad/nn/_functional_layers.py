"""The functional forms of agrad.nn's layers that `agrad.nn.functional` does not define itself:
convolution, pooling, padding, normalisation, lookups and the piecewise losses. Each composes
public agrad ops (so its gradient is theirs); this module only gathers them for re-export."""

from ._functional_conv import conv1d, conv2d
from ._functional_lookup import bilinear, embedding
from ._functional_loss import huber_loss, smooth_l1_loss
from ._functional_norm import batch_norm, layer_norm
from ._functional_pad import pad, unfold
from ._functional_pool import avg_pool2d, max_pool2d

__all__ = ["conv1d", "conv2d", "max_pool2d", "avg_pool2d", "pad", "unfold", "layer_norm",
           "batch_norm", "embedding", "bilinear", "huber_loss", "smooth_l1_loss"]
