"""Docstrings of the reductions, scans and sorting rows (ops/reduction.py, ops/shape_ops.py)."""

from . import add_docstr

add_docstr("sum", """
    Sums the elements of `input`, over all of them or over `dim` (a dim or a tuple of dims).

    Examples:
        >>> x = torch.tensor([[1, 2], [3, 4]])
        >>> torch.sum(x)
        tensor(10)
        >>> x.sum(dim=0, keepdim=True)
        tensor([[4, 6]])
""")

add_docstr("nansum", """
    Sums the elements of `input`, treating NaN as zero.

    Examples:
        >>> torch.nansum(torch.tensor([1., float("nan"), 2.]))
        tensor(3.)
""")

add_docstr("sum_to_size", """
    `x.sum_to_size(*size)`: sums `x` down to `size`, the reverse of broadcasting it there.

    Examples:
        >>> torch.ones(2, 3).sum_to_size(1, 3)
        tensor([[2., 2., 2.]])
""")

add_docstr("mean", """
    The mean of the elements of a floating or complex `input`, over all of them or over `dim`.

    Examples:
        >>> x = torch.tensor([[1., 2.], [3., 4.]])
        >>> torch.mean(x)
        tensor(2.5000)
        >>> x.mean(dim=1)
        tensor([1.5000, 3.5000])
""")

add_docstr("prod", """
    The product of the elements of `input`, over all of them or over one `dim`.

    Examples:
        >>> torch.prod(torch.tensor([[1, 2], [3, 4]]), dim=1)
        tensor([ 2, 12])
""")

add_docstr("amax", """
    The maximum of `input` over `dim` (all dims by default); the gradient is shared evenly
    between tied maxima, as in PyTorch.

    Examples:
        >>> torch.amax(torch.tensor([[1., 5.], [3., 2.]]), dim=0)
        tensor([3., 5.])
""")

add_docstr("amin", """
    The minimum of `input` over `dim` (all dims by default); the gradient is shared evenly
    between tied minima, as in PyTorch.

    Examples:
        >>> torch.amin(torch.tensor([[1., 5.], [3., 2.]]), dim=0)
        tensor([1., 2.])
""")

add_docstr("max", """
    The maximum of all elements; with `dim`, a named tuple `(values, indices)` along it; with a
    tensor as second argument, `torch.maximum`.

    Examples:
        >>> x = torch.tensor([[1., 5.], [7., 2.]])
        >>> torch.max(x)
        tensor(7.)
        >>> torch.max(x, dim=1)
        torch.return_types.max(
        values=tensor([5., 7.]),
        indices=tensor([1, 0]))
""")

add_docstr("min", """
    The minimum of all elements; with `dim`, a named tuple `(values, indices)` along it; with a
    tensor as second argument, `torch.minimum`.

    Examples:
        >>> x = torch.tensor([[1., 5.], [7., 2.]])
        >>> torch.min(x)
        tensor(1.)
        >>> torch.min(x, dim=1).indices
        tensor([0, 1])
""")

add_docstr("aminmax", """
    The minimum and the maximum of `input` (over `dim`), as a named tuple `(min, max)`.

    Examples:
        >>> torch.aminmax(torch.tensor([3, 1, 2]))
        torch.return_types.aminmax(
        min=tensor(1),
        max=tensor(3))
""")

add_docstr("argmax", """
    The index of the maximum (of the flattened tensor, or along `dim`); the first on ties.

    Examples:
        >>> x = torch.tensor([[1, 5], [7, 2]])
        >>> torch.argmax(x)
        tensor(2)
        >>> x.argmax(dim=1)
        tensor([1, 0])
""")

add_docstr("argmin", """
    The index of the minimum (of the flattened tensor, or along `dim`); the first on ties.

    Examples:
        >>> torch.argmin(torch.tensor([[1, 5], [7, 0]]), dim=0)
        tensor([0, 1])
""")

add_docstr("var", """
    The variance over `dim` (all elements by default), with Bessel's correction unless
    `correction=0` (or `unbiased=False`).

    Examples:
        >>> x = torch.tensor([1., 2., 3., 4.])
        >>> torch.var(x)
        tensor(1.6667)
        >>> torch.var(x, correction=0)
        tensor(1.2500)
""")

add_docstr("std", """
    The standard deviation over `dim` (all elements by default), with Bessel's correction unless
    `correction=0` (or `unbiased=False`).

    Examples:
        >>> torch.std(torch.tensor([1., 2., 3., 4.]))
        tensor(1.2910)
""")

add_docstr("var_mean", """
    The variance and the mean over `dim`, as a tuple `(var, mean)`.

    Examples:
        >>> torch.var_mean(torch.tensor([1., 2., 3., 4.]))
        (tensor(1.6667), tensor(2.5000))
""")

add_docstr("std_mean", """
    The standard deviation and the mean over `dim`, as a tuple `(std, mean)`.

    Examples:
        >>> torch.std_mean(torch.tensor([1., 2., 3., 4.]))
        (tensor(1.2910), tensor(2.5000))
""")

add_docstr("vector_norm", """
    The vector `ord`-norm of `input` over `dim` (all elements by default).

    PyTorch has this function as `torch.linalg.vector_norm` only; agrad also has it at the top
    level (`torch.vector_norm`), where code written for PyTorch will not look for it.

    Examples:
        >>> torch.vector_norm(torch.tensor([3., 4.]))
        tensor(5.)
        >>> torch.vector_norm(torch.tensor([3., -4.]), ord=float("inf"))
        tensor(4.)
""")

add_docstr("norm", """
    The norm of `input`: Frobenius (the default) or the `p`-norm, over `dim` or all elements
    (PyTorch's deprecated spelling of `torch.linalg.vector_norm` / `matrix_norm`).

    Examples:
        >>> torch.norm(torch.tensor([[3., 4.], [0., 0.]]))
        tensor(5.)
        >>> torch.tensor([1., -2.]).norm(p=1)
        tensor(3.)
""")

add_docstr("logsumexp", """
    `log(sum(exp(input)))` over `dim`, computed without overflow.

    Examples:
        >>> torch.logsumexp(torch.tensor([1000., 1000.]), dim=0)
        tensor(1000.6932)
""")

add_docstr("all", """
    True if every element (over `dim`, or all of them) is nonzero; a bool tensor
    (uint8 for uint8 input, as in PyTorch).

    Examples:
        >>> torch.all(torch.tensor([[True, False], [True, True]]), dim=1)
        tensor([False,  True])
""")

add_docstr("any", """
    True if any element (over `dim`, or all of them) is nonzero; a bool tensor
    (uint8 for uint8 input, as in PyTorch).

    Examples:
        >>> torch.any(torch.tensor([[True, False], [False, False]]), dim=1)
        tensor([ True, False])
""")

add_docstr("count_nonzero", """
    Counts the nonzero elements of `input`, over `dim` or all of them (int64).

    Examples:
        >>> torch.count_nonzero(torch.tensor([[0, 1], [2, 0]]), dim=0)
        tensor([1, 1])
""")

add_docstr("median", """
    The median (the lower of the two middle values for an even count); with `dim`, a named tuple
    `(values, indices)` along it.

    Examples:
        >>> torch.median(torch.tensor([4., 1., 3., 2.]))
        tensor(2.)
        >>> torch.median(torch.tensor([[4., 1., 3.]]), dim=1)
        torch.return_types.median(
        values=tensor([3.]),
        indices=tensor([2]))
""")

add_docstr("cumsum", """
    The cumulative sum of `input` along `dim`.

    Examples:
        >>> torch.cumsum(torch.tensor([1, 2, 3]), dim=0)
        tensor([1, 3, 6])
""")

add_docstr("cumprod", """
    The cumulative product of `input` along `dim`.

    Examples:
        >>> torch.cumprod(torch.tensor([1., 2., 3.]), dim=0)
        tensor([1., 2., 6.])
""")

# -- sorting and selection (ops/shape_ops.py) ---------------------------------------------------

add_docstr("sort", """
    Sorts `input` along `dim`: a named tuple `(values, indices)`; `stable=True` keeps the order
    of equal elements.

    Examples:
        >>> torch.sort(torch.tensor([3., 1., 2.]), descending=True)
        torch.return_types.sort(
        values=tensor([3., 2., 1.]),
        indices=tensor([0, 2, 1]))
""")

add_docstr("argsort", """
    The indices that sort `input` along `dim`.

    Examples:
        >>> torch.argsort(torch.tensor([3., 1., 2.]))
        tensor([1, 2, 0])
""")

add_docstr("msort", """
    Sorts `input` along its first dimension (`torch.sort(input, dim=0).values`).

    Examples:
        >>> torch.msort(torch.tensor([[3., 1.], [1., 2.]]))
        tensor([[1., 1.],
                [3., 2.]])
""")

add_docstr("topk", """
    The `k` largest (or, `largest=False`, smallest) elements along `dim`: a named tuple
    `(values, indices)`.

    Examples:
        >>> torch.topk(torch.tensor([1., 4., 2., 3.]), k=2)
        torch.return_types.topk(
        values=tensor([4., 3.]),
        indices=tensor([1, 3]))
""")
