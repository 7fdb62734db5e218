"""Docstrings of the views, shape, joining, indexing and scatter/gather rows (ops/views.py,
ops/shape_ops.py, ops/indexing.py, ops/index_ops.py, ops/unique.py)."""

from . import add_docstr

# -- views --------------------------------------------------------------------------------------

add_docstr("view", """
    `x.view(*shape)`: the same data with another shape, sharing `x`'s storage; one size may
    be -1 (inferred).

    Raises PyTorch's RuntimeError when the shape cannot be expressed with strides over `x`'s
    layout (use `reshape`, which copies then). Writes through the view are seen in `x` and
    back, on every backend.

    Examples:
        >>> a = torch.zeros(3, 2)
        >>> b = a.view(2, 3)
        >>> _ = a.fill_(1)
        >>> b
        tensor([[1., 1., 1.],
                [1., 1., 1.]])
        >>> torch.zeros(4, 4).view(-1, 8).shape
        torch.Size([2, 8])
""")

add_docstr("view_as", """
    `x.view_as(other)`: `x.view(other.shape)`.

    Examples:
        >>> torch.arange(6).view_as(torch.zeros(2, 3))
        tensor([[0, 1, 2],
                [3, 4, 5]])
""")

add_docstr("reshape", """
    Returns `input` with another shape: a view when `view` could make one, else a copy.

    Examples:
        >>> a = torch.zeros(3, 2)
        >>> b = a.t().reshape(6)  # a.t() is not contiguous: a copy
        >>> _ = a.fill_(1)
        >>> b
        tensor([0., 0., 0., 0., 0., 0.])
""")

add_docstr("reshape_as", """
    `x.reshape_as(other)`: `x.reshape(other.shape)`.

    Examples:
        >>> torch.arange(6).reshape_as(torch.zeros(3, 2))
        tensor([[0, 1],
                [2, 3],
                [4, 5]])
""")

add_docstr("permute", """
    Returns a view of `input` with its dimensions reordered.

    Examples:
        >>> torch.zeros(2, 3, 4).permute(2, 0, 1).shape
        torch.Size([4, 2, 3])
""")

add_docstr("transpose", """
    Returns a view of `input` with dimensions `dim0` and `dim1` swapped.

    Examples:
        >>> torch.tensor([[1, 2, 3]]).transpose(0, 1)
        tensor([[1],
                [2],
                [3]])
""")

add_docstr("t", """
    Transposes a tensor of at most 2 dimensions (a view).

    Examples:
        >>> torch.tensor([[1, 2], [3, 4]]).t()
        tensor([[1, 3],
                [2, 4]])
""")

add_docstr("movedim", """
    Returns a view of `input` with the dimension(s) `source` moved to `destination`.

    Examples:
        >>> torch.zeros(2, 3, 4).movedim(0, -1).shape
        torch.Size([3, 4, 2])
""")

add_docstr("T", """
    The tensor with its dimensions reversed (a view); PyTorch deprecates it beyond 2-D and warns.

    Examples:
        >>> torch.tensor([[1, 2]]).T
        tensor([[1],
                [2]])
""")

add_docstr("mT", """
    The batch of matrices with their last two dimensions transposed (a view).

    Examples:
        >>> torch.zeros(5, 2, 3).mT.shape
        torch.Size([5, 3, 2])
""")

add_docstr("H", """
    The conjugate transpose of a matrix (2-D).

    Examples:
        >>> torch.tensor([[1 + 1j, 2]]).H
        tensor([[1.-1.j],
                [2.-0.j]])
""")

add_docstr("mH", """
    The batch of matrices, conjugated, with their last two dimensions transposed.

    Examples:
        >>> torch.tensor([[[1j, 2]]]).mH.shape
        torch.Size([1, 2, 1])
""")

add_docstr("squeeze", """
    Returns a view of `input` without its size-1 dimensions (or only `dim`'s, if size 1).

    Examples:
        >>> t = torch.zeros(2, 1, 3)
        >>> t.squeeze().shape, t.squeeze(0).shape
        (torch.Size([2, 3]), torch.Size([2, 1, 3]))
""")

add_docstr("unsqueeze", """
    Returns a view of `input` with a size-1 dimension inserted at `dim`.

    Examples:
        >>> torch.zeros(2, 3).unsqueeze(0).shape
        torch.Size([1, 2, 3])
""")

add_docstr("flatten", """
    Flattens the dimensions `start_dim` .. `end_dim` into one (a view when possible).

    Examples:
        >>> torch.zeros(2, 3, 4).flatten(1).shape
        torch.Size([2, 12])
""")

add_docstr("unflatten", """
    Expands dimension `dim` into the dimensions `sizes` (a view when possible).

    Examples:
        >>> torch.zeros(2, 12).unflatten(1, (3, 4)).shape
        torch.Size([2, 3, 4])
""")

add_docstr("expand", """
    `x.expand(*sizes)`: a view of `x` broadcast to `sizes` (-1 keeps a size), without copying.

    Writing into an expanded tensor is PyTorch's error (its elements share memory).

    Examples:
        >>> torch.tensor([[1], [2]]).expand(2, 3)
        tensor([[1, 1, 1],
                [2, 2, 2]])
""")

add_docstr("expand_as", """
    `x.expand_as(other)`: `x.expand(other.size())`.

    Examples:
        >>> torch.tensor([1, 2]).expand_as(torch.zeros(2, 2))
        tensor([[1, 2],
                [1, 2]])
""")

add_docstr("broadcast_to", """
    Broadcasts `input` to `size` (a view, as `expand`).

    Examples:
        >>> torch.broadcast_to(torch.tensor([1, 2]), (2, 2))
        tensor([[1, 2],
                [1, 2]])
""")

add_docstr("expand_copy", """
    `input.expand(size)` as a new tensor (a copy, not a view).

    Examples:
        >>> torch.expand_copy(torch.tensor([1, 2]), (2, 2))
        tensor([[1, 2],
                [1, 2]])
""")

add_docstr("narrow", """
    A view of `length` elements of `input` along `dim`, from `start`.

    Examples:
        >>> torch.arange(6).narrow(0, 2, 3)
        tensor([2, 3, 4])
""")

add_docstr("select", """
    A view of `input` at `index` along `dim` (that dimension removed): `x[:, index]` for dim 1.

    Examples:
        >>> torch.tensor([[1, 2], [3, 4]]).select(1, 0)
        tensor([1, 3])
""")

add_docstr("split", """
    Splits `tensor` into views along `dim`: chunks of `split_size_or_sections` elements, or of
    the sizes in a list.

    Examples:
        >>> torch.arange(5).split(2)
        (tensor([0, 1]), tensor([2, 3]), tensor([4]))
        >>> torch.arange(5).split([1, 4])
        (tensor([0]), tensor([1, 2, 3, 4]))
""")

add_docstr("chunk", """
    Splits `input` into `chunks` views of (nearly) equal size along `dim`.

    Examples:
        >>> torch.arange(6).chunk(3)
        (tensor([0, 1]), tensor([2, 3]), tensor([4, 5]))
""")

add_docstr("unbind", """
    Removes dimension `dim`, returning the tuple of views along it.

    Examples:
        >>> torch.tensor([[1, 2], [3, 4]]).unbind(1)
        (tensor([1, 3]), tensor([2, 4]))
""")

add_docstr("tensor_split", """
    Splits `input` into views along `dim`, into a number of sections or at a list of indices.

    Examples:
        >>> torch.arange(7).tensor_split(3)
        (tensor([0, 1, 2]), tensor([3, 4]), tensor([5, 6]))
        >>> torch.arange(7).tensor_split([1, 5])
        (tensor([0]), tensor([1, 2, 3, 4]), tensor([5, 6]))
""")

add_docstr("clone", """
    Returns a copy of `input`, recorded by autograd (gradients flow back to `input`).

    Examples:
        >>> x = torch.ones(2, requires_grad=True)
        >>> x.clone()
        tensor([1., 1.], grad_fn=<CloneBackward0>)
""")

add_docstr("contiguous", """
    `x.contiguous()`: `x` itself if it is contiguous in memory, else a contiguous copy.

    Examples:
        >>> x = torch.zeros(2, 3).t()
        >>> x.is_contiguous(), x.contiguous().is_contiguous()
        (False, True)
""")

add_docstr("view_as_real", """
    A complex tensor as a real one with a last dimension of size 2 (real and imaginary parts).

    Examples:
        >>> torch.view_as_real(torch.tensor([1 + 2j]))
        tensor([[1., 2.]])
""")

# -- joining, flipping, repeating (ops/shape_ops.py) --------------------------------------------

add_docstr("cat", """
    Concatenates `tensors` along an existing dimension `dim` (`concat`, `concatenate` are
    aliases).

    Examples:
        >>> torch.cat([torch.zeros(1, 2), torch.ones(1, 2)])
        tensor([[0., 0.],
                [1., 1.]])
""")

add_docstr("stack", """
    Stacks same-shaped `tensors` along a new dimension `dim`.

    Examples:
        >>> torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])], dim=1)
        tensor([[1, 3],
                [2, 4]])
""")

add_docstr("hstack", """
    Concatenates `tensors` column-wise (along dim 1; dim 0 for 1-D tensors).

    Examples:
        >>> torch.hstack([torch.tensor([1, 2]), torch.tensor([3])])
        tensor([1, 2, 3])
""")

add_docstr("vstack", """
    Concatenates `tensors` row-wise (1-D tensors become rows).

    Examples:
        >>> torch.vstack([torch.tensor([1, 2]), torch.tensor([3, 4])])
        tensor([[1, 2],
                [3, 4]])
""")

add_docstr("dstack", """
    Concatenates `tensors` depth-wise (along dim 2, after making them at least 3-D).

    Examples:
        >>> torch.dstack([torch.tensor([1, 2]), torch.tensor([3, 4])]).shape
        torch.Size([1, 2, 2])
""")

add_docstr("atleast_1d", """
    Returns each input with at least one dimension (0-d tensors become 1-D).

    Examples:
        >>> torch.atleast_1d(torch.tensor(1.))
        tensor([1.])
""")

add_docstr("atleast_2d", """
    Returns each input with at least two dimensions.

    Examples:
        >>> torch.atleast_2d(torch.tensor([1, 2]))
        tensor([[1, 2]])
""")

add_docstr("flip", """
    Reverses the order of elements along `dims` (a copy, as in PyTorch).

    Examples:
        >>> torch.flip(torch.tensor([[1, 2], [3, 4]]), [0])
        tensor([[3, 4],
                [1, 2]])
""")

add_docstr("flip.dims", """
    `x.flip(*dims)`: reverses the order of elements along `dims` (a copy, as in PyTorch).

    Examples:
        >>> torch.tensor([[1, 2], [3, 4]]).flip(1)
        tensor([[2, 1],
                [4, 3]])
""")

add_docstr("fliplr", """
    Reverses the order of the columns (dim 1).

    Examples:
        >>> torch.fliplr(torch.tensor([[1, 2], [3, 4]]))
        tensor([[2, 1],
                [4, 3]])
""")

add_docstr("flipud", """
    Reverses the order of the rows (dim 0).

    Examples:
        >>> torch.flipud(torch.tensor([[1, 2], [3, 4]]))
        tensor([[3, 4],
                [1, 2]])
""")

add_docstr("roll", """
    Rolls the elements of `input` by `shifts` along `dims` (of the flattened tensor without
    `dims`); elements shifted off one end come back at the other.

    Examples:
        >>> torch.roll(torch.tensor([1, 2, 3, 4]), 1)
        tensor([4, 1, 2, 3])
""")

add_docstr("repeat", """
    `x.repeat(*repeats)`: `x` tiled `repeats` times along each dimension (a copy).

    Examples:
        >>> torch.tensor([1, 2]).repeat(2, 2)
        tensor([[1, 2, 1, 2],
                [1, 2, 1, 2]])
""")

add_docstr("tile", """
    Tiles `input` `dims` times along each dimension (`repeat`, with fewer dims allowed).

    Examples:
        >>> torch.tile(torch.tensor([1, 2]), (2,))
        tensor([1, 2, 1, 2])
""")

add_docstr("repeat_interleave", """
    Repeats each element of `input` `repeats` times (along `dim`, or of the flattened tensor).

    Examples:
        >>> torch.repeat_interleave(torch.tensor([1, 2]), 2)
        tensor([1, 1, 2, 2])
        >>> torch.tensor([1, 2]).repeat_interleave(torch.tensor([1, 3]))
        tensor([1, 2, 2, 2])
""")

add_docstr("cross", """
    The cross product of 3-vectors along `dim` (the first dimension of size 3 when None, as
    PyTorch's deprecated default).

    Examples:
        >>> torch.cross(torch.tensor([1., 0., 0.]), torch.tensor([0., 1., 0.]), dim=0)
        tensor([0., 0., 1.])
""")

add_docstr("meshgrid", """
    Coordinate grids from 1-D tensors; `indexing` is "ij" (PyTorch's default, with a warning
    when not given) or "xy".

    Examples:
        >>> xs, ys = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), indexing="ij")
        >>> xs.shape, ys[0]
        (torch.Size([2, 3]), tensor([3, 4, 5]))
""")

# -- gather / scatter / index -------------------------------------------------------------------

add_docstr("gather", """
    Gathers values of `input` along `dim` at `index`: `out[i][j] = input[i][index[i][j]]` for
    dim 1.

    Examples:
        >>> t = torch.tensor([[1, 2], [3, 4]])
        >>> torch.gather(t, 1, torch.tensor([[0, 0], [1, 0]]))
        tensor([[1, 1],
                [4, 3]])
""")

add_docstr("take_along_dim", """
    Takes the values of `input` at `indices` along `dim` (broadcasting them; the flattened
    tensor without `dim`), as `numpy.take_along_axis`.

    Examples:
        >>> t = torch.tensor([[10, 30, 20]])
        >>> torch.take_along_dim(t, t.argsort(dim=1), dim=1)
        tensor([[10, 20, 30]])
""")

add_docstr("index_select", """
    Selects the entries of `input` at `index` (a 1-D integer tensor) along `dim` (a copy).

    Examples:
        >>> torch.index_select(torch.tensor([[1, 2], [3, 4], [5, 6]]), 0, torch.tensor([2, 0]))
        tensor([[5, 6],
                [1, 2]])
""")

add_docstr("masked_fill", """
    Fills the elements of `input` where `mask` is True with `value` (out of place; `x.masked_fill_`
    in place).

    Examples:
        >>> x = torch.tensor([1., -2., 3.])
        >>> x.masked_fill(x < 0, 0.)
        tensor([1., 0., 3.])
""")

add_docstr("scatter", """
    Writes `src` (a tensor or a number) into a copy of `input` at `index` along `dim`;
    `reduce="add"` / `"multiply"` combines instead.

    Examples:
        >>> torch.zeros(2, 3).scatter(1, torch.tensor([[2], [0]]), 1.)
        tensor([[0., 0., 1.],
                [1., 0., 0.]])
""")

add_docstr("scatter_add", """
    Adds the values of `src` into a copy of `input` at `index` along `dim`; repeated indices
    accumulate.

    Examples:
        >>> torch.zeros(3).scatter_add(0, torch.tensor([0, 0, 2]), torch.tensor([1., 2., 3.]))
        tensor([3., 0., 3.])
""")

add_docstr("index_add", """
    Adds `alpha * source` into a copy of `input` at the entries `index` along `dim`; repeated
    indices accumulate.

    Examples:
        >>> torch.zeros(3).index_add(0, torch.tensor([0, 0, 2]), torch.tensor([1., 2., 3.]))
        tensor([3., 0., 3.])
""")

add_docstr("index_copy", """
    Copies `source` into a copy of `input` at the entries `index` along `dim` (for a repeated
    index the last write wins, as on PyTorch's CPU).

    Examples:
        >>> torch.zeros(3).index_copy(0, torch.tensor([2, 0]), torch.tensor([1., 2.]))
        tensor([2., 0., 1.])
""")

add_docstr("index_fill", """
    Fills the entries `index` of `input` along `dim` with `value` (out of place).

    Examples:
        >>> torch.zeros(2, 3).index_fill(1, torch.tensor([0, 2]), -1.)
        tensor([[-1.,  0., -1.],
                [-1.,  0., -1.]])
""")

add_docstr("Tensor.__getitem__", """
    `x[key]`: PyTorch's indexing. Ints, slices, `None` and `...` give views; integer tensors,
    lists and boolean masks give copies (advanced indexing).

    agrad also takes negative slice steps (`x[::-1]`, which the Array API requires and PyTorch
    refuses): a copy. A boolean mask's result size depends on the values, so on Dask reading it
    computes the mask.

    Examples:
        >>> x = torch.tensor([[1, 2, 3], [4, 5, 6]])
        >>> x[:, 1]
        tensor([2, 5])
        >>> x[x > 2]
        tensor([3, 4, 5, 6])
        >>> x[0, ::-1]
        tensor([3, 2, 1])
""")

add_docstr("Tensor.__setitem__", """
    `x[key] = value`: writes `value` (a tensor or a number) into the selected elements, in
    place, recorded by autograd (`CopySlices`).

    Examples:
        >>> g = torch.tensor([1., -2., 3.])
        >>> g[g < 0] = 0
        >>> g
        tensor([1., 0., 3.])
""")

add_docstr("masked_select", """
    The elements of `input` where `mask` is True, as a 1-D tensor.

    Examples:
        >>> x = torch.tensor([[1, -2], [-3, 4]])
        >>> torch.masked_select(x, x > 0)
        tensor([1, 4])
""")

add_docstr("take", """
    The elements of `input`, read as a 1-D tensor, at `index` (result shaped as `index`).

    Examples:
        >>> torch.take(torch.tensor([[1, 2], [3, 4]]), torch.tensor([0, 3]))
        tensor([1, 4])
""")

add_docstr("nonzero", """
    The indices of the nonzero elements: an (n, ndim) int64 tensor, or with `as_tuple=True` one
    1-D tensor per dimension.

    Examples:
        >>> torch.nonzero(torch.tensor([[0, 1], [1, 0]]))
        tensor([[0, 1],
                [1, 0]])
""")

add_docstr("argwhere", """
    The indices of the nonzero elements, as an (n, ndim) tensor (`nonzero`).

    Examples:
        >>> torch.argwhere(torch.tensor([0, 3, 0, 4]))
        tensor([[1],
                [3]])
""")

add_docstr("unique", """
    The unique elements of `input` (sorted), optionally with `return_inverse` indices and
    `return_counts`, over the flattened tensor or along `dim`.

    The values are in the graph but not differentiable, as in PyTorch. On Dask the result's size
    is computed from the values.

    Examples:
        >>> torch.unique(torch.tensor([3, 1, 3, 2]), return_counts=True)
        (tensor([1, 2, 3]), tensor([1, 1, 2]))
""")

add_docstr("unique_consecutive", """
    Removes consecutive duplicates of `input` (optionally with inverse indices and counts).

    Examples:
        >>> torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 1]))
        tensor([1, 2, 1])
""")
