"""Docstrings of the factories, random numbers and legacy tensor types (ops/creation.py)."""

from . import add_docstr

_WHERE = """
    The tensor is made on `device` (a device, or a string such as "cpu", "dask", "cuda"), else
    on the default device (`torch.set_default_device`, else the current backend); `dtype`
    defaults to `torch.get_default_dtype()`."""

add_docstr("empty", f"""
    Returns an uninitialized tensor of the given size.
    {_WHERE}

    Examples:
        >>> torch.empty(2, 3).shape
        torch.Size([2, 3])
""")

add_docstr("zeros", f"""
    Returns a tensor of zeros of the given size (`torch.zeros(2, 3)` or `torch.zeros((2, 3))`).
    {_WHERE}

    Examples:
        >>> torch.zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]])
        >>> torch.zeros(2, dtype=torch.long)
        tensor([0, 0])
""")

add_docstr("ones", f"""
    Returns a tensor of ones of the given size (`torch.ones(2, 3)` or `torch.ones((2, 3))`).
    {_WHERE}

    Examples:
        >>> torch.ones(2, 2, requires_grad=True)
        tensor([[1., 1.],
                [1., 1.]], requires_grad=True)
""")

add_docstr("full", """
    Returns a tensor of `size` filled with `fill_value`; the dtype is inferred from the value
    unless `dtype` is given.

    Examples:
        >>> torch.full((2, 2), 7)
        tensor([[7, 7],
                [7, 7]])
        >>> torch.full((2,), 0.5)
        tensor([0.5000, 0.5000])
""")

add_docstr("rand", """
    Returns a tensor of the given size with uniform samples from [0, 1).

    Random numbers come from the backend's generator (NumPy's, Dask's), seeded by
    `torch.manual_seed`: reproducible, but not PyTorch's numbers for the same seed. On Dask they
    also depend on the chunking.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> torch.rand(2, 3).shape
        torch.Size([2, 3])
""")

add_docstr("randn", """
    Returns a tensor of the given size with samples from the standard normal distribution.

    Random numbers come from the backend's generator (NumPy's, Dask's), seeded by
    `torch.manual_seed`: reproducible, but not PyTorch's numbers for the same seed.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> x = torch.randn(1000)
        >>> bool(abs(x.mean()) < 0.1)
        True
""")

add_docstr("randint", """
    Returns a tensor of `size` with random integers from [`low`, `high`) (`low` defaults to 0);
    int64 unless `dtype`.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> x = torch.randint(5, (10, 5))
        >>> x.dtype, bool((x >= 0).all() and (x < 5).all())
        (torch.int64, True)
""")

add_docstr("randperm", """
    Returns a random permutation of the integers 0 .. n-1 (int64).

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> torch.randperm(5).sort().values
        tensor([0, 1, 2, 3, 4])
""")

add_docstr("arange", """
    Returns the 1-D tensor `start, start + step, ...` up to `end` (exclusive); integers if all
    arguments are integers, else the default float dtype.

    Examples:
        >>> torch.arange(5)
        tensor([0, 1, 2, 3, 4])
        >>> torch.arange(1, 2.5, 0.5)
        tensor([1.0000, 1.5000, 2.0000])
""")

add_docstr("linspace", """
    Returns `steps` evenly spaced values from `start` to `end` (inclusive).

    Examples:
        >>> torch.linspace(0, 1, steps=5)
        tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
""")

add_docstr("logspace", """
    Returns `steps` values spaced evenly on a log scale from `base**start` to `base**end`.

    Examples:
        >>> torch.logspace(0, 2, steps=3)
        tensor([  1.,  10., 100.])
""")

add_docstr("eye", """
    Returns a 2-D tensor with ones on the diagonal and zeros elsewhere (`n` x `m`).

    Examples:
        >>> torch.eye(2, 3)
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
""")

add_docstr("tensor", """
    Constructs a tensor by copying `data`: nested Python numbers, a NumPy or other Array API
    array, anything with `__array__` or DLPack (a `torch.Tensor` too), or a tensor.

    The dtype is inferred as PyTorch does (int64 for Python ints, the default float dtype for
    floats, complex64 for complex, bool), and ragged lists raise PyTorch's errors.

    Examples:
        >>> torch.tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
        >>> torch.tensor([5.5, 3], requires_grad=True)
        tensor([5.5000, 3.0000], requires_grad=True)
""")

add_docstr("as_tensor", """
    Converts `data` to a tensor, sharing memory where it can: a tensor of the right dtype and
    device is returned as it is, and a NumPy array becomes a CPU tensor sharing its buffer.

    `torch.asarray` is the same function in agrad (it takes `dtype` and `device`; PyTorch's
    `copy=` and `requires_grad=` are not taken).

    Examples:
        >>> import numpy as np
        >>> a = np.array([1., 2.])
        >>> t = torch.as_tensor(a)
        >>> a[0] = 10.
        >>> t
        tensor([10.,  2.], dtype=torch.float64)
""")

add_docstr("asarray", """
    Converts `data` to a tensor, sharing memory where it can: a tensor of the right dtype and
    device is returned as it is, and a NumPy array becomes a CPU tensor sharing its buffer.

    `torch.asarray` is the same function in agrad (it takes `dtype` and `device`; PyTorch's
    `copy=` and `requires_grad=` are not taken).

    Examples:
        >>> import numpy as np
        >>> a = np.array([1., 2.])
        >>> t = torch.as_tensor(a)
        >>> a[0] = 10.
        >>> t
        tensor([10.,  2.], dtype=torch.float64)
""")

add_docstr("from_numpy", """
    Creates a CPU tensor sharing memory with a NumPy array: writes on either side are seen by the
    other.

    The tensor is always on the CPU (NumPy) backend, whatever the current backend; move it with
    `.to(...)` (a copy).

    Examples:
        >>> import numpy as np
        >>> a = np.ones(3)
        >>> t = torch.from_numpy(a)
        >>> _ = np.add(a, 1, out=a)
        >>> t
        tensor([2., 2., 2.], dtype=torch.float64)
""")

add_docstr("from_dlpack", """
    Creates a tensor from any object with `__dlpack__` (a NumPy, CuPy or PyTorch array, an agrad
    tensor), sharing its memory where the backend can.

    A CPU producer goes to the current backend when it takes CPU memory (NumPy shares; Dask
    takes a snapshot); a CUDA producer goes to the `cuda` backend. `device=` moves the result;
    `copy=True` always copies, `copy=False` never does (BufferError where sharing is
    impossible).

    Examples:
        >>> import numpy as np
        >>> torch.from_dlpack(np.arange(3))
        tensor([0, 1, 2])
""")

add_docstr("scalar_tensor", """
    Returns a 0-d tensor holding the number `s` (default float dtype unless `dtype`).

    Examples:
        >>> torch.scalar_tensor(3)
        tensor(3.)
""")

add_docstr("empty_like", """
    Returns an uninitialized tensor with the size, dtype and device of `input` (each may be
    overridden).

    Examples:
        >>> torch.empty_like(torch.ones(2, 3, dtype=torch.int32)).dtype
        torch.int32
""")

add_docstr("zeros_like", """
    Returns a tensor of zeros with the size, dtype and device of `input`.

    Examples:
        >>> torch.zeros_like(torch.ones(2, 2))
        tensor([[0., 0.],
                [0., 0.]])
""")

add_docstr("ones_like", """
    Returns a tensor of ones with the size, dtype and device of `input`.

    Examples:
        >>> torch.ones_like(torch.zeros(3, dtype=torch.int64))
        tensor([1, 1, 1])
""")

add_docstr("full_like", """
    Returns a tensor filled with `fill_value` with the size, dtype and device of `input`.

    Examples:
        >>> torch.full_like(torch.zeros(3), 2.5)
        tensor([2.5000, 2.5000, 2.5000])
""")

add_docstr("rand_like", """
    Returns uniform samples from [0, 1) with the size, dtype and device of `input`.

    Examples:
        >>> torch.rand_like(torch.zeros(2, 3)).shape
        torch.Size([2, 3])
""")

add_docstr("randn_like", """
    Returns standard normal samples with the size, dtype and device of `input`; `dtype=`
    overrides the dtype.

    Examples:
        >>> x = torch.ones(5, 3, dtype=torch.double)
        >>> torch.randn_like(x, dtype=torch.float).dtype
        torch.float32
""")

add_docstr("randint_like", """
    Returns random integers from [`low`, `high`) with the size, dtype and device of `input`.

    Examples:
        >>> torch.randint_like(torch.zeros(4), 10).shape
        torch.Size([4])
""")

add_docstr("new_empty", """
    `x.new_empty(*size)`: an uninitialized tensor of `size` with `x`'s dtype and device.

    Examples:
        >>> torch.ones(2, dtype=torch.float64).new_empty(3).dtype
        torch.float64
""")

add_docstr("new_zeros", """
    `x.new_zeros(*size)`: a tensor of zeros of `size` with `x`'s dtype and device.

    Examples:
        >>> torch.ones(2, dtype=torch.int32).new_zeros(2, 2)
        tensor([[0, 0],
                [0, 0]], dtype=torch.int32)
""")

add_docstr("new_ones", """
    `x.new_ones(*size)`: a tensor of ones of `size` with `x`'s dtype and device (or `dtype=`).

    Examples:
        >>> x = torch.tensor([5.5, 3])
        >>> x.new_ones(2, 3, dtype=torch.double)
        tensor([[1., 1., 1.],
                [1., 1., 1.]], dtype=torch.float64)
""")

add_docstr("new_full", """
    `x.new_full(size, fill_value)`: a tensor of `size` filled with `fill_value`, with `x`'s
    dtype and device.

    Examples:
        >>> torch.ones(1).new_full((2,), 7)
        tensor([7., 7.])
""")

add_docstr("new_tensor", """
    `x.new_tensor(data)`: a copy of `data` as a tensor with `x`'s dtype and device.

    Examples:
        >>> torch.ones(1, dtype=torch.float64).new_tensor([1, 2])
        tensor([1., 2.], dtype=torch.float64)
""")

# -- public names of ops/creation.py that are no rows (applied by `agrad._docs.fill`) ------------

add_docstr("agrad.manual_seed", """
    Seeds the random numbers of every backend (`torch.rand`, `randn`, `randint`, `randperm`,
    dropout, `nn.init`, `DataLoader` shuffling) and returns a generator-like object.

    The streams are NumPy's and Dask's, so a seed reproduces agrad's numbers on every run, not
    PyTorch's numbers for that seed. Draw on the CPU and `.to(device)` to get the same values on
    every backend.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> a = torch.rand(3)
        >>> _ = torch.manual_seed(0)
        >>> torch.equal(a, torch.rand(3))
        True
""")

add_docstr("agrad.seed", """
    Seeds the random numbers of every backend from a non-deterministic source; returns the
    seed.

    Examples:
        >>> s = torch.seed()
        >>> isinstance(s, int)
        True
""")

for _name, _dtype, _data in (("FloatTensor", "float32", "[1, 2]"),
                             ("DoubleTensor", "float64", "[1, 2]"),
                             ("HalfTensor", "float16", "[1, 2]"),
                             ("LongTensor", "int64", "[1, 2]"),
                             ("IntTensor", "int32", "[1, 2]"),
                             ("ShortTensor", "int16", "[1, 2]"),
                             ("CharTensor", "int8", "[1, 2]"),
                             ("ByteTensor", "uint8", "[1, 2]"),
                             ("BoolTensor", "bool", "[True, False]")):
    add_docstr(f"agrad.{_name}", f"""
    The legacy {_dtype} tensor type: `torch.{_name}(data)` converts data, `torch.{_name}(2, 3)`
    is uninitialized of that size, `x.type(torch.{_name})` converts to {_dtype}, and
    `isinstance(x, torch.{_name})` is True for {_dtype} CPU tensors.

    agrad's `x.type(torch.{_name})` keeps the device (PyTorch's moves to the CPU), so the
    tutorials' `.type(dtype)` runs unchanged on Dask.

    Examples:
        >>> x = torch.{_name}({_data})
        >>> x.dtype, isinstance(x, torch.{_name})
        (torch.{_dtype}, True)
    """)
