"""Docstrings of the `agrad.nn.functional` rows (`import agrad.nn.functional as F`)."""

from . import add_docstr

F = "agrad.nn.functional."

add_docstr(F + "softmax", """
    `exp(x) / exp(x).sum(dim)` along `dim`, computed stably; `dtype` casts the input first.

    Examples:
        >>> F.softmax(torch.tensor([0.5, 0.7, 0.1]), dim=0)
        tensor([0.3458, 0.4224, 0.2318])
""")

add_docstr(F + "log_softmax", """
    `log(softmax(x, dim))`, computed stably.

    Examples:
        >>> F.log_softmax(torch.tensor([1., 1.]), dim=0)
        tensor([-0.6931, -0.6931])
""")

add_docstr("Tensor.softmax", """
    `x.softmax(dim)`: `F.softmax(x, dim)`.

    Examples:
        >>> torch.tensor([1., 1.]).softmax(0)
        tensor([0.5000, 0.5000])
""")

add_docstr("Tensor.log_softmax", """
    `x.log_softmax(dim)`: `F.log_softmax(x, dim)`.

    Examples:
        >>> torch.tensor([1., 1.]).log_softmax(0)
        tensor([-0.6931, -0.6931])
""")

add_docstr(F + "softmin", """
    `softmax(-x, dim)`.

    Examples:
        >>> F.softmin(torch.tensor([1., 2.]), dim=0)
        tensor([0.7311, 0.2689])
""")

add_docstr(F + "relu", """
    The rectified linear unit `max(x, 0)`; `inplace=True` writes into `input`.

    Examples:
        >>> F.relu(torch.tensor([-1., 2.]))
        tensor([0., 2.])
""")

add_docstr(F + "relu_", """
    `F.relu` written into `input`.

    Examples:
        >>> x = torch.tensor([-1., 2.])
        >>> F.relu_(x)
        tensor([0., 2.])
""")

add_docstr(F + "sigmoid", """
    The logistic sigmoid `1 / (1 + exp(-x))`.

    Examples:
        >>> F.sigmoid(torch.tensor([0.]))
        tensor([0.5000])
""")

add_docstr(F + "tanh", """
    The hyperbolic tangent.

    Examples:
        >>> F.tanh(torch.tensor([0.]))
        tensor([0.])
""")

add_docstr(F + "leaky_relu.functional", """
    `x` where positive, `negative_slope * x` elsewhere; `inplace=True` writes into `input`.

    Examples:
        >>> F.leaky_relu(torch.tensor([-10., 2.]), negative_slope=0.1)
        tensor([-1.,  2.])
""")

add_docstr(F + "leaky_relu_", """
    `F.leaky_relu` written into `input`.

    Examples:
        >>> x = torch.tensor([-10., 2.])
        >>> F.leaky_relu_(x, 0.1)
        tensor([-1.,  2.])
""")

add_docstr(F + "gelu", """
    The Gaussian error linear unit `x * Phi(x)`; `approximate="tanh"` uses the tanh
    approximation.

    Examples:
        >>> F.gelu(torch.tensor([-1., 0., 1.]))
        tensor([-0.1587,  0.0000,  0.8413])
""")

add_docstr(F + "silu.functional", """
    The sigmoid linear unit `x * sigmoid(x)`; `inplace=True` writes into `input`.

    Examples:
        >>> F.silu(torch.tensor([0., 1.]))
        tensor([0.0000, 0.7311])
""")

add_docstr(F + "softplus", """
    `log(1 + exp(beta * x)) / beta`, linear above `threshold` (for stability).

    Examples:
        >>> F.softplus(torch.tensor([0., 30.]))
        tensor([ 0.6931, 30.0000])
""")

add_docstr(F + "one_hot", """
    One-hot encodes an int64 tensor of class indices: a new last dimension of size
    `num_classes` (the largest index + 1 when -1), int64.

    Examples:
        >>> F.one_hot(torch.tensor([0, 2, 1]))
        tensor([[1, 0, 0],
                [0, 0, 1],
                [0, 1, 0]])
""")

add_docstr(F + "mse_loss", """
    The mean squared error between `input` and `target` (`reduction` "mean", "sum" or "none").

    Examples:
        >>> F.mse_loss(torch.tensor([1., 2.]), torch.tensor([1., 4.]))
        tensor(2.)
""")

add_docstr(F + "l1_loss", """
    The mean absolute error between `input` and `target`.

    Examples:
        >>> F.l1_loss(torch.tensor([1., 2.]), torch.tensor([1., 4.]))
        tensor(1.)
""")

add_docstr(F + "nll_loss", """
    The negative log likelihood of `target` classes under log-probabilities `input` (N, C),
    with class `weight`, `ignore_index` and `reduction`.

    Examples:
        >>> logp = F.log_softmax(torch.tensor([[2., 0.], [0., 2.]]), dim=1)
        >>> F.nll_loss(logp, torch.tensor([0, 1]))
        tensor(0.1269)
""")

add_docstr(F + "cross_entropy", """
    The cross-entropy of `target` (class indices, or probabilities) under the logits `input`:
    `nll_loss(log_softmax(input))`, with `weight`, `ignore_index` and `label_smoothing`.

    Examples:
        >>> F.cross_entropy(torch.tensor([[2., 0.], [0., 2.]]), torch.tensor([0, 1]))
        tensor(0.1269)
""")

add_docstr(F + "binary_cross_entropy", """
    The binary cross-entropy between probabilities `input` and `target` (logs clamped at -100,
    as PyTorch).

    Examples:
        >>> F.binary_cross_entropy(torch.tensor([0.9, 0.1]), torch.tensor([1., 0.]))
        tensor(0.1054)
""")

add_docstr(F + "binary_cross_entropy_with_logits", """
    The binary cross-entropy of `target` under the logits `input` (a sigmoid inside, computed
    stably), with `weight` and `pos_weight`.

    Examples:
        >>> F.binary_cross_entropy_with_logits(torch.tensor([2., -2.]), torch.tensor([1., 0.]))
        tensor(0.1269)
""")

add_docstr(F + "linear", """
    `input @ weight.T + bias`: the affine map of `nn.Linear`.

    Examples:
        >>> F.linear(torch.ones(1, 2), torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([0., 1.]))
        tensor([[3., 8.]])
""")

add_docstr(F + "dropout", """
    Zeroes elements with probability `p` and scales the rest by `1 / (1 - p)` when `training`;
    the identity otherwise.

    The mask comes from agrad's generator (`torch.manual_seed`), not PyTorch's.

    Examples:
        >>> F.dropout(torch.ones(3), p=0.5, training=False)
        tensor([1., 1., 1.])
        >>> _ = torch.manual_seed(0)
        >>> set(F.dropout(torch.ones(100), p=0.5).tolist()) <= {0.0, 2.0}
        True
""")

add_docstr(F + "conv1d", """
    A 1-D convolution (cross-correlation) of `input` (N, C, L) with `weight` (O, C / groups, k),
    with `stride`, `padding` (a number, or "same"/"valid"), `dilation` and `groups`.

    Written as im2col (strided slices and one batched matmul per group) with agrad's ops, so it
    runs and differentiates on every backend.

    Examples:
        >>> F.conv1d(torch.tensor([[[1., 2., 3., 4.]]]), torch.tensor([[[1., 1.]]]))
        tensor([[[3., 5., 7.]]])
""")

add_docstr(F + "conv2d", """
    A 2-D convolution (cross-correlation) of `input` (N, C, H, W) with `weight`
    (O, C / groups, kh, kw), with `stride`, `padding` (numbers, or "same"/"valid"),
    `dilation` and `groups`.

    Written as im2col (strided slices and one batched matmul per group) with agrad's ops, so it
    runs and differentiates on every backend.

    Examples:
        >>> F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2))
        tensor([[[[4., 4.],
                  [4., 4.]]]])
""")

add_docstr(F + "bilinear", """
    `x1 @ W[k] @ x2 + b[k]` for each output feature `k` (the map of `nn.Bilinear`).

    Examples:
        >>> F.bilinear(torch.ones(1, 2), torch.ones(1, 3), torch.ones(4, 2, 3)).shape
        torch.Size([1, 4])
""")

add_docstr(F + "embedding", """
    Looks up the rows of `weight` at the indices `input` (with `padding_idx`, `max_norm`,
    `scale_grad_by_freq`).

    `sparse=True` raises: agrad has no sparse gradients (the dense gradient is the same
    numbers).

    Examples:
        >>> F.embedding(torch.tensor([2, 0]), torch.tensor([[0., 0.], [1., 1.], [2., 2.]]))
        tensor([[2., 2.],
                [0., 0.]])
""")

add_docstr(F + "huber_loss", """
    The Huber loss: squared error below `delta`, linear above (scaled by `delta`).

    Examples:
        >>> F.huber_loss(torch.tensor([0., 0.]), torch.tensor([0.5, 3.]))
        tensor(1.3125)
""")

add_docstr(F + "smooth_l1_loss", """
    The smooth L1 loss: squared error (divided by `beta`) below `beta`, absolute error above.

    Examples:
        >>> F.smooth_l1_loss(torch.tensor([0., 0.]), torch.tensor([0.5, 3.]))
        tensor(1.3125)
""")

add_docstr(F + "batch_norm", """
    Batch normalization over the channel dimension 1, using the batch's statistics when
    `training` (and updating `running_mean`/`running_var` in place) or the running ones
    otherwise.

    Examples:
        >>> x = torch.tensor([[1.], [3.]])
        >>> F.batch_norm(x, None, None, training=True)
        tensor([[-1.0000],
                [ 1.0000]])
""")

add_docstr(F + "layer_norm", """
    Layer normalization over the last dimensions `normalized_shape` (with `weight`, `bias`).

    Examples:
        >>> F.layer_norm(torch.tensor([[1., 3.]]), (2,))
        tensor([[-1.0000,  1.0000]])
""")

add_docstr(F + "pad", """
    Pads `input` by `pad` = (left, right, top, bottom, ...) from the last dimension backwards;
    `mode` is "constant" (with `value`), "reflect", "replicate" or "circular".

    Examples:
        >>> F.pad(torch.tensor([[1., 2.]]), (1, 1), value=0.)
        tensor([[0., 1., 2., 0.]])
""")

add_docstr(F + "unfold", """
    Extracts the sliding blocks of a 4-D `input` (N, C, H, W) as columns
    (N, C * kh * kw, number of blocks) (im2col).

    Examples:
        >>> F.unfold(torch.ones(1, 1, 3, 3), kernel_size=2).shape
        torch.Size([1, 4, 4])
""")

add_docstr(F + "avg_pool2d", """
    2-D average pooling over `kernel_size` windows (with `stride`, `padding`, `ceil_mode`,
    `count_include_pad`, `divisor_override`).

    Examples:
        >>> F.avg_pool2d(torch.arange(16.).reshape(1, 1, 4, 4), 2)
        tensor([[[[ 2.5000,  4.5000],
                  [10.5000, 12.5000]]]])
""")

add_docstr(F + "max_pool2d", """
    2-D max pooling over `kernel_size` windows (with `stride`, `padding`, `dilation`,
    `ceil_mode`, `return_indices`); the gradient goes to the first maximum of each window,
    as PyTorch's.

    Examples:
        >>> F.max_pool2d(torch.arange(16.).reshape(1, 1, 4, 4), 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
""")
