"""Discrete Fourier transforms: `agrad.fft.*` (PyTorch's torch.fft), and through them the Array
API's `fft` extension.

Three rows compute, each a 1-D transform along one axis with the backend's `xp.fft`: complex
to complex (`fft`/`ifft`), real to half spectrum (`rfft`) and half spectrum to real (`irfft`).
Their backwards are PyTorch's: the adjoint transform with the dual normalization ("backward"
and "forward" swap, "ortho" stays), cropped or zero-padded back to the input's length; for
`rfft` the adjoint of the one-sided spectrum (zero-padded to full length, real part), for
`irfft` an `rfft` whose mirrored bins count twice. Everything else (n-dimensional transforms,
`hfft`/`ihfft`, shifts) is composed from those rows, so it is differentiable too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..adapter import UnsupportedFunctionError
from . import _args
from ._args import tensor as _check_tensor
from ._args import wrap_dim
from ._dispatch import call
from ._op import NOTHING, Op

FFT = "agrad.fft"
_NORMS = ("backward", "ortho", "forward")
_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _norm(norm: str | None) -> str:
    norm = "backward" if norm is None else norm
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _complex(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    c = (dt if dt.category >= D.FLOAT else D.get_default_dtype()).to_complex()
    return c, c


def _real_in(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    if dt.category == D.COMPLEX:
        raise RuntimeError("rfft expects a real input tensor, but got ComplexFloat"
                           if dt is D.complex64 else
                           "rfft expects a real input tensor, but got ComplexDouble")
    r = dt if dt.category == D.FLOAT else D.get_default_dtype()
    return r, r.to_complex()


def _real_out(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    c = _complex(dt)[0]
    return c, c.to_real()


def _fit(g: Tensor, axis: int, size: int) -> Tensor:
    """g cropped or zero-padded along `axis` to `size` (the adjoint of padding/cropping)."""
    have = g.shape[axis]
    if have == size:
        return g
    if have > size:
        return g.narrow(axis, 0, size)
    from .shape_ops import cat

    pad = list(g.shape)
    pad[axis] = size - have
    return cat([g, g.new_zeros(tuple(pad))], axis)


def _available(x: Tensor, fn: str) -> None:
    be = x._storage.backend
    if not be.supports("fft", fn):
        raise UnsupportedFunctionError(be.name, "fft", fn, f"fft.{fn}: the {be.name} backend "
                                       f"has no fft.{fn} (declared by its adapter)")


def _one_axis(name: str, x: Tensor, n: int | None, dim: int, norm: str | None) -> tuple:
    _check_tensor(name, x, "input", 1)
    d = wrap_dim(dim, x.ndim)
    if n is not None and n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return d, _norm(norm)


# -- the computing rows ---------------------------------------------------------------------------

def _f_c2c(xp: Any, a: Any, p: tuple) -> Any:
    n, axis, norm, inverse = p
    return (xp.fft.ifft if inverse else xp.fft.fft)(a, n=n, axis=axis, norm=norm)


def _g_c2c(n: Any, g: Tensor) -> tuple:
    size, axis, norm, inverse = n.params
    (length, dtype) = n.meta[0]
    gx = call(C2C, (g,), (None, axis, _DUAL[norm], not inverse))
    gx = _fit(gx, axis, length[axis])
    return (gx.real if dtype.category < D.COMPLEX else gx,)


def _c2c_args(x: Tensor, n: int | None, axis: int, norm: str, inverse: bool) -> tuple:
    _available(x, "ifft" if inverse else "fft")
    return (x,), (n, axis, norm, inverse)


C2C = Op("fft.c2c", _c2c_args, forward=_f_c2c, backward=_g_c2c, dtype=_complex, needs=NOTHING,
         function=False, method=False, namespace=FFT,
         grad_fn=lambda inputs, p: "FftC2CBackward0" if inputs[0]._dtype.category == D.COMPLEX
         else "FftR2CBackward0")


def _f_r2c(xp: Any, a: Any, p: tuple) -> Any:
    n, axis, norm = p
    return xp.fft.rfft(a, n=n, axis=axis, norm=norm)


def _g_r2c(n: Any, g: Tensor) -> tuple:
    size, axis, norm = n.params
    length = n.shape(0)[axis]
    full = length if size is None else size
    gx = call(C2C, (_fit(g, axis, full),), (None, axis, _DUAL[norm], True)).real
    return (_fit(gx, axis, length),)


R2C = Op("fft.r2c", lambda x, n, axis, norm: ((x,), (n, axis, norm)), forward=_f_r2c,
         backward=_g_r2c, dtype=_real_in, needs=NOTHING, function=False, method=False,
         namespace=FFT, grad_fn="FftR2CBackward0")


def _f_c2r(xp: Any, a: Any, p: tuple) -> Any:
    n, axis, norm = p
    return xp.fft.irfft(a, n=n, axis=axis, norm=norm)


def _g_c2r(n: Any, g: Tensor) -> tuple:
    size, axis, norm = n.params
    gx = call(R2C, (g,), (None, axis, _DUAL[norm]))
    twice = g.shape[axis] - gx.shape[axis]  # the bins the forward mirrored count twice
    if twice > 0:
        from .shape_ops import cat

        gx = cat([gx.narrow(axis, 0, 1), 2 * gx.narrow(axis, 1, twice),
                  gx.narrow(axis, 1 + twice, gx.shape[axis] - 1 - twice)], axis)
    return (_fit(gx, axis, n.shape(0)[axis]),)


C2R = Op("fft.c2r", lambda x, n, axis, norm: ((x,), (n, axis, norm)), forward=_f_c2r,
         backward=_g_c2r, dtype=_real_out, needs=NOTHING, function=False, method=False,
         namespace=FFT, grad_fn="FftC2RBackward0")


# -- the public functions -------------------------------------------------------------------------

def fft(input: Tensor, n: int | None = None, dim: int = -1,  # noqa: A002 - PyTorch's names
        norm: str | None = None) -> Tensor:
    d, nm = _one_axis("fft", input, n, dim, norm)
    return call(C2C, *_c2c_args(input, n, d, nm, False))


def ifft(input: Tensor, n: int | None = None, dim: int = -1,  # noqa: A002
         norm: str | None = None) -> Tensor:
    d, nm = _one_axis("ifft", input, n, dim, norm)
    return call(C2C, *_c2c_args(input, n, d, nm, True))


def rfft(input: Tensor, n: int | None = None, dim: int = -1,  # noqa: A002
         norm: str | None = None) -> Tensor:
    d, nm = _one_axis("rfft", input, n, dim, norm)
    _available(input, "rfft")
    return call(R2C, (input,), (n, d, nm))


def irfft(input: Tensor, n: int | None = None, dim: int = -1,  # noqa: A002
          norm: str | None = None) -> Tensor:
    d, nm = _one_axis("irfft", input, n, dim, norm)
    _available(input, "irfft")
    if n is None and input.shape[d] < 2:  # the default length 2 (m - 1)
        raise RuntimeError(f"Invalid number of data points ({2 * (input.shape[d] - 1)}) "
                           f"specified")
    return call(C2R, (input,), (n, d, nm))


def hfft(input: Tensor, n: int | None = None, dim: int = -1,  # noqa: A002
         norm: str | None = None) -> Tensor:
    """The FFT of a Hermitian-symmetric signal given by its first half: a real spectrum
    (irfft of the conjugate with the dual normalization, as NumPy defines it)."""
    d, nm = _one_axis("hfft", input, n, dim, norm)
    x = input.conj() if input._dtype.category == D.COMPLEX else input
    return irfft(x, n, d, _DUAL[nm])


def ihfft(input: Tensor, n: int | None = None, dim: int = -1,  # noqa: A002
          norm: str | None = None) -> Tensor:
    """The inverse of hfft: the conjugate of rfft with the dual normalization."""
    d, nm = _one_axis("ihfft", input, n, dim, norm)
    return rfft(input, n, d, _DUAL[nm]).conj()


def _axes(x: Tensor, s: Sequence[int] | None, dim: Sequence[int] | None,
          last_only: bool = False) -> tuple[list, list]:
    """The (sizes, dims) pairs an n-dimensional transform runs over (PyTorch's defaults: the
    last len(s) dims, or all)."""
    if dim is None:
        dim = list(range(x.ndim)) if s is None else list(range(x.ndim - len(s), x.ndim))
    dims = [wrap_dim(d, x.ndim) for d in ([dim] if isinstance(dim, int) else dim)]
    sizes = [None] * len(dims) if s is None else list(s)
    if len(sizes) != len(dims):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    return sizes, dims


def fftn(input: Tensor, s: Sequence[int] | None = None,  # noqa: A002
         dim: Sequence[int] | None = None, norm: str | None = None) -> Tensor:
    sizes, dims = _axes(input, s, dim)
    out = input
    for size, d in zip(sizes, dims):
        out = fft(out, size, d, norm)
    return out


def ifftn(input: Tensor, s: Sequence[int] | None = None,  # noqa: A002
          dim: Sequence[int] | None = None, norm: str | None = None) -> Tensor:
    sizes, dims = _axes(input, s, dim)
    out = input
    for size, d in zip(sizes, dims):
        out = ifft(out, size, d, norm)
    return out


def rfftn(input: Tensor, s: Sequence[int] | None = None,  # noqa: A002
          dim: Sequence[int] | None = None, norm: str | None = None) -> Tensor:
    """rfft over the last dim, then fft over the others."""
    sizes, dims = _axes(input, s, dim)
    out = rfft(input, sizes[-1], dims[-1], norm)
    for size, d in zip(sizes[:-1], dims[:-1]):
        out = fft(out, size, d, norm)
    return out


def irfftn(input: Tensor, s: Sequence[int] | None = None,  # noqa: A002
           dim: Sequence[int] | None = None, norm: str | None = None) -> Tensor:
    """ifft over all but the last dim, then irfft over the last."""
    sizes, dims = _axes(input, s, dim)
    out = input
    for size, d in zip(sizes[:-1], dims[:-1]):
        out = ifft(out, size, d, norm)
    return irfft(out, sizes[-1], dims[-1], norm)


def _shift(x: Tensor, dim: Any, sign: int) -> Tensor:
    dims = list(range(x.ndim)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    return x.roll(tuple(sign * (x.shape[d] // 2) for d in dims), tuple(dims))


def fftshift(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """The zero frequency moved to the middle (a roll by half of each dim)."""
    return _shift(input, dim, 1)


def ifftshift(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    return _shift(input, dim, -1)


def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    """The sample frequencies [0, 1, ..., n//2 - 1 (or n//2), -n//2, ..., -1] / (d n)."""
    from .creation import arange

    dtype = _args.dtype("fft_fftfreq", dtype)
    k = arange(n, device=device, dtype=D.int64)
    k = k.where(k < (n + 1) // 2, k - n)
    r = k.to(dtype if dtype is not None else D.get_default_dtype()) / (d * n)
    return r.requires_grad_() if requires_grad else r


def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    from .creation import arange

    r = arange(n // 2 + 1, device=device,
               dtype=_args.dtype("fft_rfftfreq", dtype) or D.get_default_dtype()) / (d * n)
    return r.requires_grad_() if requires_grad else r


for _fn in (fft, ifft, rfft, irfft, hfft, ihfft, fftn, ifftn, rfftn, irfftn, fftshift, ifftshift,
            fftfreq, rfftfreq):
    Op(_fn.__name__, _fn, impl=_fn, method=False, namespace=FFT)
