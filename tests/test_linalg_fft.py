"""agrad.linalg and agrad.fft against torch.linalg and torch.fft: values, gradients of a
random linear functional of every output, and grad_fn names. Decompositions with a sign
freedom (svd, eigh) are compared through |U|, |V|, which do not depend on it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _oracle import EAGER, torch

import agrad

_rng = np.random.default_rng(11)
pytestmark = EAGER


def _host(t):
    return np.asarray(t.detach().resolve_conj().tolist() if hasattr(t, "resolve_conj")
                      else t.detach().tolist())


def compare(fa, ft, *arrays, outputs=None, atol=1e-8, names=True):
    ins = [(agrad.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True))
           for a in arrays]
    ra, rt = fa(*[p[0] for p in ins]), ft(*[p[1] for p in ins])
    ra = ra if isinstance(ra, tuple) else (ra,)
    rt = rt if isinstance(rt, tuple) else (rt,)
    la = lt = 0
    for i, (a, t) in enumerate(zip(ra, rt)):
        if outputs is not None and i not in outputs:
            continue
        np.testing.assert_allclose(_host(a), _host(t), atol=atol, rtol=1e-7)
        assert not names or type(a.grad_fn).__name__ == type(t.grad_fn).__name__
        w = _rng.standard_normal(tuple(t.shape))
        wa, wt = agrad.tensor(w), torch.tensor(w)
        la = la + ((a * wa).real if a.is_complex() else a * wa).sum()
        lt = lt + ((t * wt).real if t.is_complex() else t * wt).sum()
    la.backward()
    lt.backward()
    for a, t in ins:
        np.testing.assert_allclose(_host(a.grad), _host(t.grad), atol=atol * 10, rtol=1e-6)


A = _rng.standard_normal((3, 3))
SPD = A @ A.T + 3 * np.eye(3)
TALL, WIDE = _rng.standard_normal((4, 3)), _rng.standard_normal((2, 5))


@pytest.mark.parametrize("name", ["inv", "det", "solve", "solve_vec", "slogdet", "cholesky",
                                  "cholesky_upper", "eigvalsh", "eigh", "matrix_power"])
def test_square(name):
    B = _rng.standard_normal((3, 2))
    case = {
        "inv": (lambda m: m.linalg.inv, (A,)), "det": (lambda m: m.linalg.det, (A,)),
        "solve": (lambda m: m.linalg.solve, (A, B)),
        "solve_vec": (lambda m: m.linalg.solve, (A, B[:, 0])),
        "slogdet": (lambda m: lambda x: m.linalg.slogdet(x)[1], (A,)),
        "cholesky": (lambda m: m.linalg.cholesky, (SPD,)),
        "cholesky_upper": (lambda m: lambda x: m.linalg.cholesky(x, upper=True), (SPD,)),
        "eigvalsh": (lambda m: m.linalg.eigvalsh, (SPD,)),
        "eigh": (lambda m: lambda x: (m.linalg.eigh(x)[0], m.linalg.eigh(x)[1].abs()), (SPD,)),
        "matrix_power": (lambda m: lambda x: m.linalg.matrix_power(x, -2), (A,)),
    }[name]
    compare(case[0](agrad), case[0](torch), *case[1])


@pytest.mark.parametrize("M", [A, TALL, WIDE], ids=["square", "tall", "wide"])
def test_rectangular(M):
    compare(lambda x: agrad.linalg.qr(x), lambda x: torch.linalg.qr(x), M)
    compare(lambda x: tuple(t.abs() if i != 1 else t for i, t in
                            enumerate(agrad.linalg.svd(x, full_matrices=False))),
            lambda x: tuple(t.abs() if i != 1 else t for i, t in
                            enumerate(torch.linalg.svd(x, full_matrices=False))), M)
    compare(agrad.linalg.svdvals, torch.linalg.svdvals, M)
    compare(agrad.linalg.pinv, torch.linalg.pinv, M)
    for o in ("fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf):
        compare(lambda x, o=o: agrad.linalg.matrix_norm(x, o),
                lambda x, o=o: torch.linalg.matrix_norm(x, o), M)


def test_legacy_spellings():
    x = agrad.tensor(A)
    t = torch.tensor(A)
    np.testing.assert_allclose(_host(x.det()), _host(t.det()))
    np.testing.assert_allclose(_host(agrad.inverse(x)), _host(torch.inverse(t)))
    U, S, V = agrad.svd(x)
    np.testing.assert_allclose(_host(U @ agrad.diag(S) @ V.mT), A, atol=1e-12)
    assert agrad.slogdet(x).logabsdet.item() == pytest.approx(torch.slogdet(t).logabsdet.item())
    np.testing.assert_allclose(_host(agrad.tensordot(x, x, 1)), _host(torch.tensordot(t, t, 1)))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor"):
        agrad.linalg.inv(agrad.ones(2, 2, dtype=agrad.int64))


X = _rng.standard_normal((2, 6))
XC = X + 1j * _rng.standard_normal((2, 6))


@pytest.mark.parametrize("norm", ["backward", "ortho", "forward"])
@pytest.mark.parametrize("n", [None, 4, 8])
def test_fft_1d(norm, n):
    for name, x in (("fft", X), ("fft", XC), ("ifft", XC), ("rfft", X), ("irfft", XC),
                    ("hfft", XC), ("ihfft", X)):
        compare(lambda v, f=name: getattr(agrad.fft, f)(v, n, norm=norm),
                lambda v, f=name: getattr(torch.fft, f)(v, n, norm=norm), x)


def test_fft_nd_and_helpers():
    Y = _rng.standard_normal((3, 4, 5))
    # n-dimensional transforms are composed of 1-D rows: the grad_fn is the last one's
    compare(agrad.fft.fftn, torch.fft.fftn, Y, names=False)
    compare(agrad.fft.rfftn, torch.fft.rfftn, Y, names=False)
    compare(agrad.fft.irfftn, torch.fft.irfftn, Y + 1j * Y, names=False)
    compare(lambda v: agrad.fft.fftshift(v, dim=(0, 2)),
            lambda v: torch.fft.fftshift(v, dim=(0, 2)), Y)
    np.testing.assert_allclose(_host(agrad.fft.fftfreq(5, 0.5)), _host(torch.fft.fftfreq(5, 0.5)))
    np.testing.assert_allclose(_host(agrad.fft.rfftfreq(6)), _host(torch.fft.rfftfreq(6)),
                               rtol=1e-6)
