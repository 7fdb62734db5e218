"""Docstrings of the linear algebra and FFT rows (ops/linalg.py, ops/decompositions.py,
ops/fft.py), `torch.*` and `torch.linalg.*` / `torch.fft.*`."""

from . import add_docstr

_DASK = """
    Dask's adapter does not declare this function: on Dask it raises `RuntimeError` naming it
    (Dask computes `cholesky`, `inv`, `qr`, `solve`, `svd`, `svdvals`)."""

# -- products -----------------------------------------------------------------------------------

add_docstr("dot", """
    The dot product of two 1-D tensors (PyTorch's RuntimeError for other shapes: use `mm` or
    `matmul`).

    Examples:
        >>> torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.]))
        tensor(11.)
""")

add_docstr("vdot", """
    The dot product of two 1-D tensors, conjugating the first.

    Examples:
        >>> torch.vdot(torch.tensor([1j, 2]), torch.tensor([1j, 1]))
        tensor(3.+0.j)
""")

add_docstr("mm", """
    The matrix product of two 2-D tensors (no broadcasting: see `matmul`).

    Examples:
        >>> t1 = torch.arange(10.).reshape(2, 5)
        >>> t2 = torch.arange(10.).reshape(5, 2)
        >>> t1.mm(t2)
        tensor([[ 60.,  70.],
                [160., 195.]])
""")

add_docstr("mv", """
    The product of a matrix and a vector.

    Examples:
        >>> torch.mv(torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([1., 1.]))
        tensor([3., 7.])
""")

add_docstr("bmm", """
    The batched matrix product of two 3-D tensors (b, n, m) @ (b, m, p).

    Examples:
        >>> torch.bmm(torch.ones(5, 2, 3), torch.ones(5, 3, 4)).shape
        torch.Size([5, 2, 4])
""")

add_docstr("inner", """
    The inner product over the last dimension of both tensors.

    Examples:
        >>> torch.inner(torch.tensor([1., 2.]), torch.tensor([[1., 0.], [0., 1.]]))
        tensor([1., 2.])
""")

add_docstr("matmul", """
    The matrix product with NumPy's broadcasting rules: vector and matrix operands, and batches
    (`@`).

    Examples:
        >>> a = torch.ones(5, 2, 3)  # a batch of five 2x3 matrices
        >>> b = torch.ones(3)
        >>> torch.matmul(a, b).shape
        torch.Size([5, 2])
        >>> (torch.eye(2) @ torch.tensor([1., 2.]))
        tensor([1., 2.])
""")

add_docstr("outer", """
    The outer product of two 1-D tensors (`ger` is the old name).

    Examples:
        >>> torch.outer(torch.tensor([1., 2.]), torch.tensor([1., 10., 100.]))
        tensor([[  1.,  10., 100.],
                [  2.,  20., 200.]])
""")

add_docstr("addmm", """
    `beta * input + alpha * (mat1 @ mat2)`: a matrix product added to `input` (a bias).

    Examples:
        >>> torch.addmm(torch.ones(2, 2), torch.eye(2), torch.eye(2), beta=2)
        tensor([[3., 2.],
                [2., 3.]])
""")

add_docstr("Tensor.addmm_", """
    `x.addmm_(mat1, mat2, beta=1, alpha=1)`: `x = beta * x + alpha * (mat1 @ mat2)`, in place.

    Examples:
        >>> x = torch.zeros(2, 2)
        >>> x.addmm_(torch.eye(2), torch.eye(2))
        tensor([[1., 0.],
                [0., 1.]])
""")

add_docstr("einsum", """
    Einstein summation over the operands per `equation` ("ij,jk->ik"), written with agrad's own
    ops (so it is differentiable and runs on every backend).

    Examples:
        >>> torch.einsum("ij,jk->ik", torch.eye(2), torch.tensor([[1., 2.], [3., 4.]]))
        tensor([[1., 2.],
                [3., 4.]])
        >>> torch.einsum("i,i->", torch.tensor([1., 2.]), torch.tensor([3., 4.]))
        tensor(11.)
""")

add_docstr("tensordot", """
    Contracts `a` and `b` over `dims` (a count of trailing/leading dims, or two lists of dims).

    Examples:
        >>> torch.tensordot(torch.ones(2, 3), torch.ones(3, 4), dims=1).shape
        torch.Size([2, 4])
""")

# -- diagonals and triangles --------------------------------------------------------------------

add_docstr("diagonal", """
    A view of the diagonal (`offset` above or below) of the 2-D slices over `dim1`, `dim2`.

    Examples:
        >>> torch.diagonal(torch.tensor([[1, 2], [3, 4]]))
        tensor([1, 4])
""")

add_docstr("diag_embed", """
    Builds (batches of) diagonal matrices from the last dimension of `input`.

    Examples:
        >>> torch.diag_embed(torch.tensor([1., 2.]))
        tensor([[1., 0.],
                [0., 2.]])
""")

add_docstr("diag", """
    A 1-D tensor's diagonal matrix, or a 2-D tensor's diagonal (`diagonal` above or below).

    Examples:
        >>> torch.diag(torch.tensor([1., 2.]))
        tensor([[1., 0.],
                [0., 2.]])
        >>> torch.diag(torch.tensor([[1, 2], [3, 4]]))
        tensor([1, 4])
""")

add_docstr("trace", """
    The sum of the diagonal of a 2-D tensor.

    Examples:
        >>> torch.trace(torch.tensor([[1., 2.], [3., 4.]]))
        tensor(5.)
""")

add_docstr("tril", """
    The lower triangle of (batches of) matrices, zeros above diagonal `diagonal`.

    Examples:
        >>> torch.tril(torch.ones(3, 3))
        tensor([[1., 0., 0.],
                [1., 1., 0.],
                [1., 1., 1.]])
""")

add_docstr("triu", """
    The upper triangle of (batches of) matrices, zeros below diagonal `diagonal`.

    Examples:
        >>> torch.triu(torch.ones(3, 3), diagonal=1)
        tensor([[0., 1., 1.],
                [0., 0., 1.],
                [0., 0., 0.]])
""")

# -- decompositions, legacy spellings ------------------------------------------------------------

add_docstr("inverse", """
    The inverse of a square matrix (or a batch of them); `torch.linalg.inv`.
    Examples:
        >>> torch.inverse(torch.tensor([[2., 0.], [0., 4.]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.2500]])
""")

add_docstr("det", f"""
    The determinant of a square matrix (or a batch of them).
    {_DASK}

    Examples:
        >>> torch.det(torch.tensor([[1., 2.], [3., 4.]]))
        tensor(-2.)
""")

add_docstr("logdet", f"""
    The natural log of the determinant (NaN for a negative determinant, as PyTorch).
    {_DASK}

    Examples:
        >>> torch.logdet(torch.tensor([[2., 0.], [0., 3.]]))
        tensor(1.7918)
""")

add_docstr("slogdet", f"""
    The sign and the log of the absolute value of the determinant: a named tuple
    `(sign, logabsdet)`.
    {_DASK}

    Examples:
        >>> torch.slogdet(torch.tensor([[-2., 0.], [0., 3.]]))
        torch.return_types.slogdet(
        sign=tensor(-1.),
        logabsdet=tensor(1.7918))
""")

add_docstr("cholesky", """
    The Cholesky factor of a symmetric positive-definite matrix (lower, or `upper=True`).

    Examples:
        >>> torch.cholesky(torch.tensor([[4., 2.], [2., 5.]]))
        tensor([[2., 0.],
                [1., 2.]])
""")

add_docstr("qr", """
    The QR decomposition: a named tuple `(Q, R)` (reduced unless `some=False`).

    The gradient is exact for real inputs; for complex ones it leaves out the phase term
    PyTorch adds.

    Examples:
        >>> Q, R = torch.qr(torch.tensor([[1., 2.], [3., 4.]]))
        >>> torch.allclose(Q @ R, torch.tensor([[1., 2.], [3., 4.]]))
        True
""")

add_docstr("svd", """
    The singular value decomposition `(U, S, V)` with `input = U @ diag(S) @ V.mT` (PyTorch's
    legacy form: V, not Vh; reduced unless `some=False`).

    Examples:
        >>> U, S, V = torch.svd(torch.tensor([[3., 0.], [0., 4.]]))
        >>> S
        tensor([4., 3.])
""")

add_docstr("pinverse", f"""
    The Moore-Penrose pseudo-inverse, singular values below `rcond` times the largest treated
    as zero.
    {_DASK}

    Examples:
        >>> torch.pinverse(torch.tensor([[1., 0.], [0., 0.]]))
        tensor([[1., 0.],
                [0., 0.]])
""")

add_docstr("matrix_power", """
    The `n`-th power of a square matrix (negative `n`: of its inverse).

    Examples:
        >>> torch.matrix_power(torch.tensor([[1., 1.], [0., 1.]]), 3)
        tensor([[1., 3.],
                [0., 1.]])
""")

# -- torch.linalg -------------------------------------------------------------------------------

add_docstr("agrad.linalg.inv", """
    The inverse of a square matrix (or a batch of them).
    Examples:
        >>> torch.linalg.inv(torch.tensor([[2., 0.], [0., 4.]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.2500]])
""")

add_docstr("agrad.linalg.det", f"""
    The determinant of a square matrix (or a batch of them).
    {_DASK}

    Examples:
        >>> torch.linalg.det(torch.tensor([[1., 2.], [3., 4.]]))
        tensor(-2.)
""")

add_docstr("agrad.linalg.slogdet", f"""
    The sign and log absolute determinant: a named tuple `(sign, logabsdet)`.
    {_DASK}

    Examples:
        >>> torch.linalg.slogdet(torch.tensor([[-2., 0.], [0., 3.]]))
        torch.return_types.linalg_slogdet(
        sign=tensor(-1.),
        logabsdet=tensor(1.7918))
""")

add_docstr("agrad.linalg.solve", """
    Solves `A @ X = B` for `X` (or `X @ A = B` with `left=False`).

    Examples:
        >>> torch.linalg.solve(torch.tensor([[2., 0.], [0., 4.]]), torch.tensor([2., 2.]))
        tensor([1.0000, 0.5000])
""")

add_docstr("agrad.linalg.cholesky", """
    The Cholesky factor `L` of a Hermitian positive-definite matrix (`A = L @ L.mH`).

    Examples:
        >>> torch.linalg.cholesky(torch.tensor([[4., 2.], [2., 5.]]))
        tensor([[2., 0.],
                [1., 2.]])
""")

add_docstr("agrad.linalg.qr", """
    The QR decomposition `(Q, R)`; `mode` is "reduced", "complete" or "r".

    Examples:
        >>> Q, R = torch.linalg.qr(torch.tensor([[1., 2.], [3., 4.]]))
        >>> torch.allclose(Q @ R, torch.tensor([[1., 2.], [3., 4.]]))
        True
""")

add_docstr("agrad.linalg.svd", """
    The singular value decomposition `(U, S, Vh)` with `A = U @ diag(S) @ Vh`.

    Gradients are exact for real inputs; for complex ones they leave out the phase term
    PyTorch adds.

    Examples:
        >>> U, S, Vh = torch.linalg.svd(torch.tensor([[3., 0.], [0., 4.]]))
        >>> S
        tensor([4., 3.])
""")

add_docstr("agrad.linalg.svdvals", """
    The singular values of a matrix, in descending order.

    Examples:
        >>> torch.linalg.svdvals(torch.tensor([[3., 0.], [0., 4.]]))
        tensor([4., 3.])
""")

add_docstr("agrad.linalg.eigh", f"""
    The eigenvalues (ascending) and eigenvectors of a Hermitian matrix, reading its lower
    triangle (`UPLO="U"`: the upper): a named tuple `(eigenvalues, eigenvectors)`.
    {_DASK}

    Examples:
        >>> torch.linalg.eigh(torch.tensor([[2., 1.], [1., 2.]])).eigenvalues
        tensor([1., 3.])
""")

add_docstr("agrad.linalg.eigvalsh", f"""
    The eigenvalues (ascending) of a Hermitian matrix.
    {_DASK}

    Examples:
        >>> torch.linalg.eigvalsh(torch.tensor([[2., 1.], [1., 2.]]))
        tensor([1., 3.])
""")

add_docstr("agrad.linalg.pinv", f"""
    The Moore-Penrose pseudo-inverse (with `atol`/`rtol` cut-offs for small singular values).
    {_DASK}

    Examples:
        >>> torch.linalg.pinv(torch.tensor([[1., 0.], [0., 0.]]))
        tensor([[1., 0.],
                [0., 0.]])
""")

add_docstr("agrad.linalg.matrix_power", """
    The `n`-th power of a square matrix (negative `n`: of its inverse).

    Examples:
        >>> torch.linalg.matrix_power(torch.tensor([[1., 1.], [0., 1.]]), 2)
        tensor([[1., 2.],
                [0., 1.]])
""")

add_docstr("agrad.linalg.matrix_norm", """
    A matrix norm over the two dims `dim`: "fro" (default), "nuc", inf, -inf, 1, -1, 2, -2.

    Examples:
        >>> torch.linalg.matrix_norm(torch.tensor([[3., 0.], [0., 4.]]))
        tensor(5.)
""")

add_docstr("agrad.linalg.vector_norm", """
    The vector `ord`-norm over `dim` (all elements by default).

    Examples:
        >>> torch.linalg.vector_norm(torch.tensor([3., 4.]))
        tensor(5.)
""")

add_docstr("agrad.linalg.norm", """
    A vector norm (1-D input or an int `dim`) or matrix norm (2-D, or a pair of dims).

    Examples:
        >>> torch.linalg.norm(torch.tensor([3., 4.]))
        tensor(5.)
""")

add_docstr("agrad.linalg.matrix_rank", """
    The numerical rank of a matrix (singular values above the tolerance).

    Examples:
        >>> torch.linalg.matrix_rank(torch.tensor([[1., 2.], [2., 4.]]))
        tensor(1)
""")

add_docstr("agrad.linalg.vecdot", """
    The dot product of vectors along `dim`, conjugating the first (broadcasting).

    Examples:
        >>> torch.linalg.vecdot(torch.tensor([[1., 2.]]), torch.tensor([3., 4.]))
        tensor([11.])
""")

add_docstr("agrad.linalg.cross", """
    The cross product of 3-vectors along `dim` (default -1).

    Examples:
        >>> torch.linalg.cross(torch.tensor([1., 0., 0.]), torch.tensor([0., 1., 0.]))
        tensor([0., 0., 1.])
""")

add_docstr("agrad.linalg.diagonal", """
    A view of the diagonals of the matrices over the last two dims (`torch.diagonal` with
    other defaults).

    Examples:
        >>> torch.linalg.diagonal(torch.tensor([[1, 2], [3, 4]]))
        tensor([1, 4])
""")

add_docstr("agrad.linalg.matmul", """
    `torch.matmul`: the matrix product with broadcasting.

    Examples:
        >>> torch.linalg.matmul(torch.eye(2), torch.tensor([1., 2.]))
        tensor([1., 2.])
""")

# -- torch.fft ----------------------------------------------------------------------------------

add_docstr("agrad.fft.fft", """
    The 1-D discrete Fourier transform along `dim` (of length `n`; `norm` "backward" (default),
    "ortho" or "forward"). On Dask the transformed dim must be one chunk.

    Examples:
        >>> torch.fft.fft(torch.tensor([1., 0., 0., 0.]))
        tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
""")

add_docstr("agrad.fft.ifft", """
    The 1-D inverse discrete Fourier transform along `dim`.

    Examples:
        >>> torch.fft.ifft(torch.tensor([4., 0., 0., 0.]))
        tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
""")

add_docstr("agrad.fft.rfft", """
    The 1-D Fourier transform of a real signal: the `n // 2 + 1` non-negative frequencies.

    Examples:
        >>> torch.fft.rfft(torch.tensor([1., 1., 1., 1.]))
        tensor([4.+0.j, 0.+0.j, 0.+0.j])
""")

add_docstr("agrad.fft.irfft", """
    The inverse of `rfft`: a real signal of length `n` (default `2 * (m - 1)`).

    Examples:
        >>> torch.fft.irfft(torch.tensor([4., 0., 0.]))
        tensor([1., 1., 1., 1.])
""")

add_docstr("agrad.fft.hfft", """
    The Fourier transform of a Hermitian-symmetric signal given by its first half: real output.

    Examples:
        >>> torch.fft.hfft(torch.tensor([1., 0., 0.]))
        tensor([1., 1., 1., 1.])
""")

add_docstr("agrad.fft.ihfft", """
    The inverse of `hfft`: the first half of the transform of a real signal.

    Examples:
        >>> torch.fft.ihfft(torch.tensor([1., 1., 1., 1.]))
        tensor([1.-0.j, 0.-0.j, 0.-0.j])
""")

add_docstr("agrad.fft.fftn", """
    The N-D discrete Fourier transform over `dim` (all dims by default).

    Examples:
        >>> torch.fft.fftn(torch.ones(2, 2))
        tensor([[4.+0.j, 0.+0.j],
                [0.+0.j, 0.+0.j]])
""")

add_docstr("agrad.fft.ifftn", """
    The N-D inverse discrete Fourier transform over `dim` (all dims by default).

    Examples:
        >>> torch.fft.ifftn(torch.tensor([[4., 0.], [0., 0.]]))
        tensor([[1.+0.j, 1.+0.j],
                [1.+0.j, 1.+0.j]])
""")

add_docstr("agrad.fft.rfftn", """
    The N-D Fourier transform of a real signal (the last dim halved).

    Examples:
        >>> torch.fft.rfftn(torch.ones(2, 2))
        tensor([[4.+0.j, 0.+0.j],
                [0.+0.j, 0.+0.j]])
""")

add_docstr("agrad.fft.irfftn", """
    The inverse of `rfftn`.

    Examples:
        >>> torch.fft.irfftn(torch.tensor([[4., 0.], [0., 0.]]))
        tensor([[1., 1.],
                [1., 1.]])
""")

add_docstr("agrad.fft.fftshift", """
    Moves the zero frequency to the middle (rolls each dim by half its size).

    Examples:
        >>> torch.fft.fftshift(torch.fft.fftfreq(4))
        tensor([-0.5000, -0.2500,  0.0000,  0.2500])
""")

add_docstr("agrad.fft.ifftshift", """
    The inverse of `fftshift`.

    Examples:
        >>> torch.fft.ifftshift(torch.tensor([-0.5, -0.25, 0., 0.25]))
        tensor([ 0.0000,  0.2500, -0.5000, -0.2500])
""")

add_docstr("agrad.fft.fftfreq", """
    The sample frequencies of a length-`n` transform with sample spacing `d`.

    Examples:
        >>> torch.fft.fftfreq(4)
        tensor([ 0.0000,  0.2500, -0.5000, -0.2500])
""")

add_docstr("agrad.fft.rfftfreq", """
    The non-negative sample frequencies of a length-`n` `rfft` with sample spacing `d`.

    Examples:
        >>> torch.fft.rfftfreq(4)
        tensor([0.0000, 0.2500, 0.5000])
""")
