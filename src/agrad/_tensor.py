"""Tensor: metadata, autograd attributes and the conversions every op relies on.

A Tensor is a Storage (one backend array, shared by its aliases), an optional View (its place in
that storage), a dtype and autograd state. The methods written here are about that state; every
op's method and operator comes from its row in the op table (`agrad.ops`) and is bound once, at
the end of this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any, SupportsIndex

from . import _storage as S
from . import dtypes as D
from ._size import NumelSize, Size
from .device import device as Device

_new = object.__new__


class Tensor:
    """A multi-dimensional array with PyTorch's semantics (views, in-place ops, autograd) over any
    Array API backend.

    Make tensors with the factories (`torch.tensor`, `torch.zeros`, `torch.randn`, ...);
    `torch.Tensor(data)` and `torch.Tensor(2, 3)` are the legacy constructors (default dtype).
    Every op of the op table is also a method (`x.add(y)`, `x.add_(y)`, `x + y`).

    Examples:
        >>> x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        tensor([[2., 4.],
                [6., 8.]])
        >>> torch.Tensor([1, 2])
        tensor([1., 2.])
    """

    __slots__ = ("_storage", "_view", "_vc", "_dtype", "__dict__", "__weakref__")
    _storage: S.Storage
    _view: S.View | None
    _vc: Any  # the version counter: the storage's, or `.data`'s own
    _dtype: D.dtype

    # Rarely-set autograd state lives in the instance dict with these class defaults, so a
    # fresh result costs four slot stores and nothing more.
    _requires_grad: bool = False
    _grad_fn: Any = None
    _grad: Tensor | None = None
    _output_nr: int = 0
    _retains_grad: bool = False
    _hooks: dict[int, Any] | None = None
    _accumulator: Any = None
    # the version at which a view's grad_fn was last made (None: when the view was made)
    _gf_version: int | None = None
    # a view that requires grad only because its base does (PyTorch reads that from the base):
    # no accumulator of its own, so no gradient stops at it
    _rg_inherited: bool = False
    _is_param: bool = False
    # the strides of a base tensor whose layout is not row-major (an elementwise result of
    # transposed operands keeps their order, as PyTorch's preserve_format does); None: row-major
    _base_strides: tuple[int, ...] | None = None

    # -- construction ----------------------------------------------------------------------
    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        """The legacy constructor `torch.Tensor(data)` / `torch.Tensor(2, 3)`: default dtype."""
        from .ops.creation import legacy_new

        return legacy_new(cls, D.get_default_dtype(), args, kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    # -- array access ----------------------------------------------------------------------
    @property
    def _array(self) -> Any:
        v = self._view
        return self._storage.array if v is None else v.read(self._storage)

    # -- metadata --------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """The size of each dimension, a `torch.Size` (a tuple).

        Examples:
            >>> torch.zeros(2, 3).shape
            torch.Size([2, 3])
        """
        v = self._view
        if v is not None:
            return Size(v.shape)
        return Size(self._storage.backend.shape_of(self._storage.array))

    @property
    def size(self) -> NumelSize:
        """`x.size()` is the shape (a `torch.Size`) and `x.size(dim)` one dimension's size, as in
        PyTorch; `x.size` itself is the element count (an int: the Array API's `x.size`). See
        `agrad._size.NumelSize`.

        Examples:
            >>> x = torch.zeros(2, 3)
            >>> x.size(), x.size(1), x.size == 6
            (torch.Size([2, 3]), 3, True)
        """
        return NumelSize(tuple(self.shape))

    @property
    def ndim(self) -> int:
        """The number of dimensions.

        Examples:
            >>> torch.zeros(2, 3).ndim
            2
        """
        v = self._view
        return len(v.shape) if v is not None else self._storage.array.ndim

    def dim(self) -> int:
        """The number of dimensions (`x.ndimension()` too).

        Examples:
            >>> torch.zeros(2, 3).dim()
            2
        """
        return self.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements (`x.nelement()` too).

        Examples:
            >>> torch.zeros(2, 3).numel()
            6
        """
        n = 1
        for s in self.shape:
            n *= s
        return n

    nelement = numel

    def stride(self, dim: int | None = None) -> Any:
        """The step in elements between consecutive indices of each dimension (or of `dim`), as
        PyTorch's layout: a transposed view has swapped strides.

        Examples:
            >>> x = torch.zeros(2, 3)
            >>> x.stride(), x.t().stride()
            ((3, 1), (1, 3))
        """
        st = self._strides()
        return st if dim is None else st[_wrap_dim(dim, len(st))]

    def _strides(self) -> tuple[int, ...]:
        v = self._view
        if v is not None:
            return v.strides
        return self._base_strides or S.contiguous_strides(self.shape)

    def storage_offset(self) -> int:
        """The offset, in elements, of the tensor's first element in its storage.

        Examples:
            >>> torch.arange(6)[2:].storage_offset()
            2
        """
        v = self._view
        return 0 if v is None else v.offset

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """Whether the tensor's elements are laid out in row-major order without gaps.

        Examples:
            >>> x = torch.zeros(2, 3)
            >>> x.is_contiguous(), x.t().is_contiguous()
            (True, False)
        """
        v = self._view
        if v is None:
            return self._base_strides is None or S.is_contiguous(self.shape, self._base_strides)
        return S.is_contiguous(v.shape, v.strides)

    @property
    def dtype(self) -> D.dtype:
        """The tensor's data type (`torch.float32`, ...).

        Examples:
            >>> torch.tensor([1, 2]).dtype, torch.tensor([1.0]).dtype
            (torch.int64, torch.float32)
        """
        return self._dtype

    @property
    def device(self) -> Device:
        """The device holding the tensor: a device type names a backend ("cpu" for NumPy, "dask",
        "cuda" for CuPy, "strict", or a generic backend's module name).

        Examples:
            >>> torch.tensor([1, 2]).device
            device(type='cpu')
        """
        return self._storage.device

    @property
    def is_cuda(self) -> bool:
        """Whether the tensor is on a CUDA device (the CuPy backend).

        Examples:
            >>> torch.ones(1).is_cuda
            False
        """
        return self._storage.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        """Whether the tensor is on the CPU (the NumPy backend).

        Examples:
            >>> torch.ones(1).is_cpu
            True
        """
        return self._storage.device.type == "cpu"

    def is_floating_point(self) -> bool:
        """Whether the dtype is a floating-point one (float16, float32, float64).

        Examples:
            >>> torch.ones(1).is_floating_point(), torch.tensor([1]).is_floating_point()
            (True, False)
        """
        return self._dtype.category == D.FLOAT

    def is_complex(self) -> bool:
        """Whether the dtype is complex (complex64, complex128).

        Examples:
            >>> torch.tensor([1j]).is_complex()
            True
        """
        return self._dtype.category == D.COMPLEX

    def element_size(self) -> int:
        """The size of one element in bytes (the `itemsize` property too).

        Examples:
            >>> torch.ones(1, dtype=torch.float64).element_size()
            8
        """
        return self._dtype.itemsize

    itemsize = property(element_size)

    @property
    def nbytes(self) -> int:
        """The size of the tensor's elements in bytes (`numel() * element_size()`).

        Examples:
            >>> torch.ones(2, 3).nbytes
            24
        """
        return self.numel() * self._dtype.itemsize

    def get_device(self) -> int:
        """The device index of a CUDA tensor; -1 on the CPU (and 0 on agrad's other devices).

        Examples:
            >>> torch.ones(1).get_device()
            -1
        """
        d = self._storage.device
        return -1 if d.type == "cpu" else (d.index or 0)

    def _is_view(self) -> bool:
        v = self._view
        return v is not None and v.base is not None

    @property
    def _version(self) -> int:
        """PyTorch's version counter: bumped by every in-place write (saved tensors check it)."""
        return self._vc.version

    @property
    def _base(self) -> Tensor | None:
        v = self._view
        return None if v is None else v.base

    # -- storage (see agrad.storage) -----------------------------------------------------------
    def untyped_storage(self) -> Any:
        """The bytes this tensor and every tensor sharing its memory (its views, its base) read:
        one object per storage, as PyTorch's.

        Examples:
            >>> x = torch.zeros(2, 3)
            >>> x.t().untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
            True
            >>> x.untyped_storage().nbytes()
            24
        """
        st = self._storage
        u = st.untyped
        if u is None:
            from .storage import UntypedStorage

            u = st.untyped = UntypedStorage(st, self._dtype, self._base_layout())
        return u

    def storage(self) -> Any:
        """The deprecated typed storage (PyTorch's warning, once).

        Examples:
            >>> import warnings
            >>> with warnings.catch_warnings():
            ...     warnings.simplefilter("ignore")
            ...     torch.tensor([1., 2.]).storage().size()
            2
        """
        from .storage import TypedStorage, warn_typed_storage_removal

        warn_typed_storage_removal()
        return TypedStorage(self._storage, self._dtype, self._base_layout())

    def _base_layout(self) -> tuple[int, ...]:
        """The strides of the storage's array (its base's, or kept by `detach` of a view)."""
        v = self._view
        if v is None:
            return self._strides()
        return v.base._base_layout() if v.base is not None else self._base_strides

    def data_ptr(self) -> int:
        """The address of the first element: the storage's plus the storage offset (an
        identity where the backend has no stable address; 0 for an empty tensor).

        Examples:
            >>> x = torch.arange(4, dtype=torch.int64)
            >>> x[1:].data_ptr() - x.data_ptr()
            8
        """
        if self.numel() == 0:
            return 0
        from .storage import storage_ptr

        return storage_ptr(self._storage, self._dtype) + \
            self.storage_offset() * self._dtype.itemsize

    def type(self, dtype: Any = None, non_blocking: bool = False) -> Any:
        """`x.type()` names the legacy type; `x.type(agrad.FloatTensor)` converts.

        agrad's `x.type(torch.FloatTensor)` converts the dtype and keeps the device (PyTorch's
        legacy CPU types also move to the CPU), so the tutorials' `.type(dtype)` runs on Dask.

        Examples:
            >>> x = torch.tensor([1, 2])
            >>> x.type()
            'torch.LongTensor'
            >>> x.type(torch.FloatTensor)
            tensor([1., 2.])
        """
        if dtype is None:
            prefix = "torch." if self._storage.device.type == "cpu" else \
                f"torch.{self._storage.device.type}."
            return prefix + self._dtype.legacy + "Tensor"
        if isinstance(dtype, D.dtype):
            return self.to(dtype)
        if isinstance(dtype, str):  # "torch.FloatTensor"; "torch.cuda.FloatTensor" moves too
            parts = dtype.split(".")
            if parts[0] == "torch" and len(parts) in (2, 3):
                for d in D.ALL:
                    if d.legacy + "Tensor" == parts[-1]:
                        return self.to(d) if len(parts) == 2 else self.to(parts[1], d)
            raise ValueError(f"invalid type: '{dtype}'")
        if isinstance(dtype, type):  # agrad.FloatTensor ...; agrad.Tensor: the default
            if dtype is Tensor:
                return self.to(D.get_default_dtype())
            legacy = getattr(dtype, "dtype", None)
            if isinstance(legacy, D.dtype):
                return self.to(legacy)
            name = dtype.__name__ if dtype.__module__ == "builtins" else \
                f"{dtype.__module__}.{dtype.__qualname__}"
            raise ValueError(f"invalid type: '{name}'")
        raise TypeError("dtype must be a type, str, or dtype object")

    # -- autograd state --------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether autograd records operations on this tensor (settable on leaves).

        Only floating-point and complex tensors can require gradients (PyTorch's RuntimeError).

        Examples:
            >>> x = torch.ones(2)
            >>> x.requires_grad = True
            >>> (x * 2).requires_grad
            True
        """
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if not value and self._grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                               "want to use a computed variable in a subgraph that doesn't require "
                               "differentiation use var_no_grad = var.detach().")
        if value and self._dtype.category < D.FLOAT:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        value = bool(value)
        v = self._view
        if v is not None and v.base is not None:  # a view: its own flag; its base's still counts
            if self._rg_inherited:
                self._rg_inherited = False
                self._accumulator = None
            if not value and v.base._requires_grad:
                self._rg_inherited = True
                value = True
            self._requires_grad = value
            return
        if self._requires_grad is not value:
            self._requires_grad = value
            from .autograd._view_meta import follow_base

            follow_base(self)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Sets `requires_grad` in place and returns the tensor.

        Examples:
            >>> a = torch.randn(2, 2)
            >>> a.requires_grad_().requires_grad
            True
        """
        if requires_grad and self._dtype.category < D.FLOAT:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """Whether the tensor is a leaf of the graph: made by the user, not by a recorded operation.

        Leaves that require grad get their `.grad` filled by `backward()`.

        Examples:
            >>> x = torch.ones(2, requires_grad=True)
            >>> x.is_leaf, (x * 2).is_leaf
            (True, False)
        """
        return (self._grad_fn if self._view is None else self.grad_fn) is None

    @property
    def grad_fn(self) -> Any:
        """The graph node that made this tensor (None for leaves): its name is PyTorch's
        (`AddBackward0`), `next_functions` leads to its inputs' nodes.

        Examples:
            >>> x = torch.ones(2, 2, requires_grad=True)
            >>> (x + 2).grad_fn.name()
            'AddBackward0'
            >>> x.grad_fn is None
            True
        """
        if self._view is not None and self._requires_grad:
            return _view_grad_fn(self)
        return self._grad_fn

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated into this leaf by `backward()` (None until then).

        Reading `.grad` of a non-leaf warns, as PyTorch (use `retain_grad()`).

        Examples:
            >>> w = torch.tensor(2.0, requires_grad=True)
            >>> (10 * w ** 2 + 50).backward()
            >>> w.grad
            tensor(40.)
        """
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed "
                "want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() "
                "on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
                "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for "
                "more information.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._dtype is not self._dtype:  # PyTorch 2.13's words, dtype first
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{value._dtype.cpp}' to a tensor "
                    f"with grad_dtype '{self._dtype.legacy}'. The gradient must match the "
                    f"tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                    f"tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    f"dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
                    f"its gradient may break downstream systems that assume they match.")
            if value.shape != self.shape:
                raise RuntimeError(f"attempting to assign a gradient of size "
                                   f"'{list(value.shape)}' to a tensor of size "
                                   f"'{list(self.shape)}'. Please ensure that the gradient and "
                                   f"the tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        """Whether this non-leaf keeps its `.grad` (after `retain_grad()`).

        Examples:
            >>> y = torch.ones(1, requires_grad=True) * 2
            >>> y.retain_grad()
            >>> y.retains_grad
            True
        """
        return self._retains_grad

    def retain_grad(self) -> None:
        """Fill `.grad` of this non-leaf during backward (a no-op on a leaf). Its grad_fn keeps
        a weak reference: once nobody holds the tensor, nobody can read its `.grad` either; an
        in-place op or a view's regenerated history moves it to the tensor's new grad_fn.

        Examples:
            >>> x = torch.ones(2, requires_grad=True)
            >>> y = x * 2
            >>> y.retain_grad()
            >>> y.sum().backward()
            >>> y.grad
            tensor([1., 1.])
        """
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        # PyTorch's C++ is_leaf reads the recorded grad_fn (a view's is not regenerated: a
        # view made while its base needed no grad stays as it is), then retains_grad, and only
        # then grad_fn itself (which a stale multi-output view refuses)
        if self._grad_fn is None or self._retains_grad:
            return
        gf = self.grad_fn
        self._retains_grad = True
        import weakref

        if gf._retained is None:
            gf._retained = {}
        gf._retained[self._output_nr] = weakref.ref(self)

    def register_hook(self, hook: Any) -> Any:
        """hook(grad) -> grad or None, called when the gradient w.r.t. this tensor is computed.

        The hooks go in a dict that the tensor's grad_fn (for its output number) or, for a
        leaf, its accumulator runs; so they live as long as the graph does, as in PyTorch,
        even when the tensor itself is dropped or its name rebound. Once an in-place op gives
        the tensor a new grad_fn, the hooks registered so far stay with the old one (they see
        the gradient of the old value) and later ones go to the new one.

        Examples:
            >>> x = torch.ones(2, requires_grad=True)
            >>> h = x.register_hook(lambda g: g * 10)
            >>> x.sum().backward()
            >>> x.grad
            tensor([10., 10.])
            >>> h.remove()
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .autograd.graph import _Handle

        hooks = self._hooks
        if hooks is None:  # the first hook: its dict goes on the graph node (PyTorch reads
            gf = self.grad_fn  # grad_fn here only, so a stale multi-output view refuses then)
            hooks = self._hooks = {}
            if gf is not None:
                if gf._tensor_hooks is None:
                    gf._tensor_hooks = []
                gf._tensor_hooks.append((self._output_nr, hooks))
        return _Handle(hooks, hook)

    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """Computes the gradient of this tensor with respect to the graph's leaves and accumulates
        it into their `.grad`.

        A non-scalar tensor needs `gradient` (the vector of the vector-Jacobian product, shaped
        as the tensor); `retain_graph=True` keeps the saved tensors for another backward;
        `create_graph=True` records the backward itself (higher-order gradients); `inputs`
        restricts which leaves accumulate. On Dask, backward builds the gradients' task graph
        and computes nothing.

        Examples:
            >>> x = torch.ones(3, requires_grad=True)
            >>> z = (x ** 2) * 3
            >>> z.backward(torch.tensor([0.1, 1.0, 10.0]))
            >>> x.grad
            tensor([ 0.6000,  6.0000, 60.0000])
        """
        _engine().backward((self,), None if gradient is None else (gradient,), retain_graph,
                           create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A new tensor sharing storage and version counter, outside any graph (not a view,
        for autograd, even when self is one).

        Examples:
            >>> x = torch.ones(2, requires_grad=True)
            >>> d = (x * 2).detach()
            >>> d.requires_grad, d.grad_fn
            (False, None)
        """
        return _detached(self)

    def detach_(self) -> Tensor:
        """Detaches the tensor from the graph in place: it becomes a leaf that does not require
        grad.

        Examples:
            >>> y = torch.ones(2, requires_grad=True) * 2
            >>> y.detach_().requires_grad
            False
        """
        v = self._view
        if v is not None and v.base is not None and v.base._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                               "using DistributedDataParallel (DDP) for training, and gradient_as_"
                               "bucket_view is set as True, gradients are views of DDP buckets, "
                               "and hence detach_() cannot be called on these gradients. To fix "
                               "this error, please refer to the Optimizer.zero_grad() function "
                               "in torch/optim/optimizer.py as the solution.")
        was = self._requires_grad
        self._grad_fn = None
        self._requires_grad = False
        if was and (v is None or v.base is None):
            from .autograd._view_meta import follow_base

            follow_base(self)
        return self

    @property
    def data(self) -> Tensor:
        """A detached alias with its own version counter, as PyTorch's `.data`.

        Examples:
            >>> w = torch.ones(2, requires_grad=True)
            >>> w.data -= 0.5 * torch.ones(2)
            >>> w
            tensor([0.5000, 0.5000], requires_grad=True)
        """
        t = _detached(self)
        t._vc = S.VersionCounter()
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._storage = value._storage
        self._view = value._view
        self._dtype = value._dtype

    def _attached(self, node: Any, output_nr: int = 0) -> Tensor:
        """An alias that is output `output_nr` of `node` (a saved output, re-attached to the
        node that saved it while backward runs)."""
        t = _alias(self)
        t._grad_fn = node
        t._output_nr = output_nr
        t._requires_grad = True
        return t

    # -- values ----------------------------------------------------------------------------
    def item(self) -> int | float | bool:  # PyTorch's annotation (a complex tensor gives a complex)
        """The value of a one-element tensor as a Python number.

        On Dask this computes the tensor (and everything it depends on).

        Examples:
            >>> torch.tensor([2.5]).item()
            2.5
        """
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to "
                               f"Scalar")
        b = self._storage.backend
        v = b.tolist(b.xp.reshape(self._array, ()))
        return v

    def tolist(self) -> Any:
        """The tensor's values as (nested) Python lists of Python numbers.

        Examples:
            >>> torch.tensor([[1, 2], [3, 4]]).tolist()
            [[1, 2], [3, 4]]
        """
        b = self._storage.backend
        return b.tolist(self._array)

    def numpy(self, force: bool = False) -> Any:
        """The tensor as a NumPy array: sharing memory on the CPU (NumPy) backend, both ways; a
        computed copy from Dask and other backends.

        Refused for a tensor that requires grad (use `.detach().numpy()`) and for CUDA tensors,
        as in PyTorch.

        Examples:
            >>> a = torch.ones(5)
            >>> b = a.numpy()
            >>> _ = a.add_(1)
            >>> b
            array([2., 2., 2., 2., 2.], dtype=float32)
        """
        dev = self._storage.device.type
        if dev == "cuda" and not force:
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
                            "to copy the tensor to host memory first.")
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        st = self._storage
        if st.backend.in_place and not st.owned:
            st.own()  # later in-place writes must land in the buffer handed out here
        return st.backend.to_numpy(self._array)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        """`np.asarray(t)`: `t.numpy()`, so refused where PyTorch refuses it (a tensor that
        requires grad, a CUDA tensor) and sharing memory where it does; then NumPy 2's
        `dtype` and `copy` (copy=False refuses a conversion that must copy)."""
        a = self.numpy()
        if dtype is not None and a.dtype != dtype:
            if copy is False:
                raise ValueError("Unable to avoid copy while creating an array as requested.")
            return a.astype(dtype)
        return a.copy() if copy else a

    def __dlpack__(self, *, stream: Any = None, max_version: Any = None, dl_device: Any = None,
                   copy: bool | None = None) -> Any:
        """The DLPack export (`np.from_dlpack(t)`, `torch.from_dlpack(t)`, `cupy.from_dlpack`):
        zero-copy on NumPy, CuPy and array_api_strict; on Dask a computed copy (``copy=False``
        raises BufferError there). Keywords left at None are not passed on, so libraries
        predating them still export. A tensor that requires grad is refused, as in PyTorch."""
        if self._requires_grad:
            raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
        kw = {k: v for k, v in (("stream", stream), ("max_version", max_version),
                                ("dl_device", dl_device), ("copy", copy)) if v is not None}
        return self._storage.backend.export_dlpack(self._array, **kw)

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any:
        """The Array API namespace of agrad tensors (`agrad.array_api`): downstream code written
        for the standard finds it here (array-api-compat, SciPy, scikit-learn)."""
        from . import array_api

        if api_version is not None and api_version not in array_api.API_VERSIONS:
            raise ValueError(f"agrad.array_api supports the Array API versions "
                             f"{', '.join(array_api.API_VERSIONS)}, not {api_version!r}")
        return array_api

    def __dlpack_device__(self) -> Any:
        """(DLPack device type, index) of what `__dlpack__` exports (computes nothing)."""
        return self._storage.backend.dlpack_device(self._array)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._dtype.category not in (D.INT, D.BOOL) or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __complex__(self) -> complex:
        return complex(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        from ._printing import tensor_repr

        return tensor_repr(self)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self.ndim == 0 and spec:
            return self.item().__format__(spec)
        return object.__format__(self, spec) if spec else repr(self)

    # copy.copy shares memory, copy.deepcopy copies it (views stay views of one copied
    # storage), pickle stores values and layout: PyTorch's rules, see agrad._copying
    def __copy__(self) -> Tensor:
        from ._copying import shallow

        return shallow(self)

    def __deepcopy__(self, memo: dict[Any, Any]) -> Tensor:
        from ._copying import deep

        return deep(self, memo)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        from ._copying import reduce

        return reduce(self)


def _engine() -> Any:
    global _engine_module
    if _engine_module is None:
        from .autograd import engine

        _engine_module = engine
    return _engine_module


_engine_module = None


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def wrap(array: Any, storage_like: S.Storage, dtype: D.dtype) -> Tensor:
    """A fresh base tensor owning `array` on the same backend/device as `storage_like`."""
    t = _new(Tensor)
    t._storage = st = S.Storage(array, storage_like.backend, storage_like.device)
    t._view = None
    t._vc = st
    t._dtype = dtype
    return t


def make(array: Any, backend: Any, device: Device, dtype: D.dtype) -> Tensor:
    t = _new(Tensor)
    t._storage = st = S.Storage(array, backend, device)
    t._view = None
    t._vc = st
    t._dtype = dtype
    return t


def _alias(x: Tensor) -> Tensor:
    t = _new(Tensor)
    t._storage = x._storage
    t._view = x._view
    t._vc = x._vc
    t._dtype = x._dtype
    bs = x._base_strides
    if bs is not None:
        t._base_strides = bs
    return t


def _detached(x: Tensor) -> Tensor:
    """An alias that is no view for autograd (PyTorch's detach() of a view is none): the same
    place in the storage, without a base."""
    t = _alias(x)
    v = x._view
    if v is not None and v.base is not None:
        t._view = S.View(v.steps, v.shape, v.strides, v.offset, None)
        t._base_strides = x._base_layout()
    return t


def _view_grad_fn(t: Tensor) -> Any:
    """A differentiable view's grad_fn, regenerated from its base after an in-place write
    (PyTorch shows AsStridedBackward0 there; agrad replays the view chain instead), or
    PyTorch's error for a view that may not be (a multi-output view's, one made under no_grad)."""
    v = t._view
    base = v.base
    if base is None or (t._grad_fn is None and not base._requires_grad):
        return t._grad_fn
    seen = t._gf_version
    if seen is None:
        seen = v.version
    if seen != t._vc.version:
        if v.meta:
            from .autograd._view_meta import rebase_error

            raise rebase_error(t, True)
        from .ops.views import regenerate_view_grad_fn

        old, nr = t._grad_fn, t._output_nr
        regenerate_view_grad_fn(t, base)
        if t._hooks is not None or t._retains_grad:
            _history_moved(t, old, nr)
        t._gf_version = t._vc.version
    return t._grad_fn


def _history_moved(t: Tensor, old_fn: Any, old_nr: int) -> None:
    """After `t` got a new grad_fn (an in-place op, a view's regenerated history), as PyTorch's
    update_tensor_hooks_on_new_gradfn: the hooks registered so far stay with the old node
    (they run where the old value's gradient flows), later ones go to the new node, and
    retain_grad follows the tensor. Callers test `t._hooks is not None or t._retains_grad`
    first: most tensors have neither."""
    t._hooks = None
    if t._retains_grad and old_fn is not None and old_fn is not t._grad_fn:
        retained = old_fn._retained
        ref = retained.pop(old_nr, None) if retained else None
        if ref is not None:
            new = t._grad_fn
            if new._retained is None:
                new._retained = {}
            new._retained[t._output_nr] = ref


# Every op's method and operator, from the op table (importing agrad.ops declares the rows).
from .ops import _variants  # noqa: E402

_variants.bind(Tensor)
