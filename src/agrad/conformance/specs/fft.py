"""Specs of the discrete Fourier transforms (ops/fft.py): `agrad.fft.*` against torch.fft, with
every normalization, signal lengths that crop and zero-pad, along a drawn dim; real and complex
inputs; gradients (PyTorch's adjoint transforms). The three computing rows are reached through
the public functions."""

from __future__ import annotations

from hypothesis import strategies as st

from ..spec import Bad, array, op, sample, shapes, via

NORMS = st.sampled_from([None, "backward", "ortho", "forward"])
COMPLEX = ("float32", "float64", "complex64")
REAL = ("float32", "float64")
BAD_NORM = Bad("an unknown normalization", lambda lib: (lib.ones(4), None, -1, "twice"),
               ValueError)


def fft_call(name: str):
    return lambda lib, *a, **k: getattr(lib.fft, name)(*a, **k)


def one_axis(v: str, gc: bool):
    """(x, n, dim, norm): n None, shorter (crops) or longer (zero-pads) than the dim."""
    def build(sh):
        d = st.integers(-len(sh), len(sh) - 1)
        return d.flatmap(lambda dim: sample(
            array(v, sh, gc=gc), st.none() | st.integers(max(1, sh[dim] - 1), sh[dim] + 2), dim,
            NORMS))
    # (finite differences: no length-1 signal, whose default inverse length is 0)
    return shapes(min_dims=1, min_side=2 if gc else 1, max_side=4, gc=gc).flatmap(build)


def many_axes(v: str, gc: bool):
    """(x, s, dim, norm): all dims, the last len(s), or named dims (sizes for them)."""
    def build(sh):
        n = len(sh)
        dims = st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)

        def forms(ds):
            sizes = st.tuples(*[st.integers(max(1, sh[d] - 1), sh[d] + 1) for d in ds]).map(list)
            return st.one_of(st.just((None, None)), sizes.map(lambda s: (s, None)),
                             st.just((None, ds)), sizes.map(lambda s: (s, ds)))
        return dims.flatmap(forms).flatmap(lambda sd: sample(
            array(v, sh, gc=gc), sd[0], sd[1], NORMS))
    return shapes(min_dims=1, max_dims=3, min_side=2 if gc else 1, max_side=3,
                  gc=gc).flatmap(build)


for name, variants in {"fft": COMPLEX, "ifft": COMPLEX, "rfft": REAL, "irfft": COMPLEX,
                       "hfft": COMPLEX, "ihfft": REAL}.items():
    op(f"agrad.fft.{name}", one_axis, call=fft_call(name), variants=variants,
       errors=(BAD_NORM, Bad("no data points", lambda lib: (lib.ones(4), 0), RuntimeError)))
via("agrad.fft.fft.c2c", "agrad.fft.fft")
via("agrad.fft.fft.r2c", "agrad.fft.rfft")
via("agrad.fft.fft.c2r", "agrad.fft.irfft")
for name, variants in {"fftn": COMPLEX, "ifftn": COMPLEX, "rfftn": REAL,
                       "irfftn": COMPLEX}.items():
    op(f"agrad.fft.{name}", many_axes, call=fft_call(name), variants=variants,
       errors=(Bad("sizes and dims of other lengths", lambda lib: (lib.ones(2, 2), [2], [0, 1]),
                   RuntimeError),))


def _shift(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        dims = st.none() | st.integers(-n, n - 1) if n else st.none()
        if n:
            dims = dims | st.lists(st.integers(0, n - 1), min_size=1, max_size=n,
                                   unique=True).map(tuple)
        return sample(array(v, sh, gc=gc), dims)
    return shapes(min_dims=1 if gc else 0, gc=gc).flatmap(build)  # 0-d: PyTorch's error


for name in ("fftshift", "ifftshift"):
    op(f"agrad.fft.{name}", _shift, call=fft_call(name), variants=REAL + ("int32", "complex64"))


def _freq(v: str, gc: bool):
    return sample(st.integers(1, 6), st.sampled_from([1.0, 0.5, 2]),
                  dtype=st.sampled_from([None, v]))


def _freq_call(name: str):
    def call(lib, n, d, dtype=None):
        return getattr(lib.fft, name)(n, d, dtype=None if dtype is None else getattr(lib, dtype))
    return call


for name in ("fftfreq", "rfftfreq"):
    op(f"agrad.fft.{name}", _freq, call=_freq_call(name), variants=REAL, grad=False)
