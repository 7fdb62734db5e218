"""Docstrings of the conversion, device and fill rows (ops/conversion.py, ops/creation.py)."""

from . import add_docstr

add_docstr("to", """
    `x.to(device)`, `x.to(dtype)`, `x.to(device, dtype)`, `x.to(other)`: `x` converted to a
    device and/or dtype (`x` itself when nothing changes; `copy=True` always copies).

    A device names a backend: "cpu" (NumPy), "dask", "cuda" (CuPy), "strict", or a generic
    backend's module name. Moving from Dask computes the values; moving to Dask takes a
    snapshot. The move is recorded by autograd (`ToCopyBackward0`), so gradients flow back to
    the original device.

    Examples:
        >>> x = torch.ones(2, requires_grad=True)
        >>> x.to(torch.float64)
        tensor([1., 1.], dtype=torch.float64, grad_fn=<ToCopyBackward0>)
        >>> x.to("cpu") is x
        True
""")

for _name, _dtype in (("float", "float32"), ("double", "float64"), ("half", "float16"),
                      ("long", "int64"), ("int", "int32"), ("short", "int16"),
                      ("char", "int8"), ("byte", "uint8"), ("bool", "bool"),
                      ("cfloat", "complex64"), ("cdouble", "complex128")):
    add_docstr(f"Tensor.{_name}", f"""
    `x.{_name}()`: `x.to(torch.{_dtype})` (`x` itself if it already is {_dtype}).

    Examples:
        >>> torch.tensor([1, 0]).{_name}().dtype
        torch.{_dtype}
    """)

add_docstr("type_as", """
    `x.type_as(other)`: `x` converted to `other`'s dtype (keeping `x`'s device).

    Examples:
        >>> torch.tensor([1, 2]).type_as(torch.zeros(1, dtype=torch.float64))
        tensor([1., 2.], dtype=torch.float64)
""")

add_docstr("cpu", """
    `x.cpu()`: `x` on the CPU (NumPy) backend; `x` itself if it is there (a Dask tensor is
    computed).

    Examples:
        >>> torch.ones(2).cpu().device
        device(type='cpu')
""")

add_docstr("cuda", """
    `x.cuda(device=None)`: `x` on a CUDA device (the CuPy backend).

    Without CuPy, agrad is a CPU build: PyTorch's `AssertionError: Torch not compiled with CUDA
    enabled`; with CuPy and no GPU, `RuntimeError: No CUDA GPUs are available`.

    Examples:
        >>> if torch.cuda.is_available():
        ...     print(torch.ones(2).cuda().device.type)
        ... else:
        ...     print("cuda")
        cuda
""")

add_docstr("dask", """
    `x.dask()`: the tensor's values as a `dask.array.Array` (agrad's own method; wraps a
    non-Dask tensor's values without computing anything).

    Examples:
        >>> import importlib.util
        >>> importlib.util.find_spec("dask") is None or type(torch.ones(2).dask()).__name__
        'Array'
""")

add_docstr("to_device", """
    `x.to_device(device)`: the Array API's spelling of `x.to(device)`.

    Examples:
        >>> torch.ones(2).to_device("cpu").device
        device(type='cpu')
""")

add_docstr("copy", """
    `x.copy_(src)`: copies the elements of `src` into `x` (broadcasting, converting dtype and
    device), in place, and returns `x`.

    Examples:
        >>> x = torch.zeros(2, 2)
        >>> x.copy_(torch.tensor([1., 2.]))
        tensor([[1., 2.],
                [1., 2.]])
""")

add_docstr("fill", """
    Fills `input` with `value` (a number or a 0-d tensor): `x.fill_(v)` in place, and
    `torch.fill(x, v)` as a new tensor.

    Examples:
        >>> torch.zeros(3).fill_(7)
        tensor([7., 7., 7.])
""")

add_docstr("zero", """
    `x.zero_()`: fills `x` with zeros, in place, and returns `x` (`torch.zero_(x)` too).

    Examples:
        >>> x = torch.ones(3)
        >>> x.zero_()
        tensor([0., 0., 0.])
""")

add_docstr("dropout", """
    Dropout as a top-level function: `torch.dropout(input, p, train)` zeroes elements with
    probability `p` and scales the rest by `1 / (1 - p)` when `train` is True.

    Examples:
        >>> torch.dropout(torch.ones(4), 0.5, False)
        tensor([1., 1., 1., 1.])
""")

add_docstr("dropout_", """
    In-place dropout: `torch.dropout_(input, p, train)` writes the result of `torch.dropout`
    into `input`.

    Examples:
        >>> x = torch.ones(3)
        >>> torch.dropout_(x, 0.5, False)
        tensor([1., 1., 1.])
""")
