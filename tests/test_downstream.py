"""Real downstream array code, written for the Array API standard and knowing nothing of
agrad, runs on agrad tensors, returns agrad tensors, and backpropagates: scikit-learn with
`array_api_dispatch=True`, SciPy with SCIPY_ARRAY_API=1 (set in tests/conftest.py before SciPy
is imported), array-api-extra."""

from __future__ import annotations

import numpy as np
import pytest

import agrad

_rng = np.random.default_rng(3)
X = _rng.standard_normal((30, 4))
Y = (X[:, 0] + 0.5 * X[:, 1] + 0.3 * _rng.standard_normal(30) > 0).astype(np.int64)


def host(t):
    return np.asarray(t.detach().tolist())


def _scipy_array_api():
    pytest.importorskip("scipy")
    from scipy._lib import _array_api

    if not _array_api.SCIPY_ARRAY_API:
        pytest.skip("SciPy was imported before SCIPY_ARRAY_API=1 was set")


@pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
def test_sklearn_lda_and_pca_return_agrad_tensors_equal_to_numpy():
    sklearn = pytest.importorskip("sklearn")
    _scipy_array_api()
    from sklearn.decomposition import PCA
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    xa, ya = agrad.tensor(X), agrad.tensor(Y)
    with sklearn.config_context(array_api_dispatch=True):
        lda = LinearDiscriminantAnalysis().fit(xa, ya)
        pred, proj = lda.predict(xa), lda.transform(xa)
        pca = PCA(n_components=2, svd_solver="full").fit(xa)
        comp = pca.transform(xa)
    for t in (pred, proj, comp):
        assert isinstance(t, agrad.Tensor) and t.device == xa.device
    ref = LinearDiscriminantAnalysis().fit(X, Y)
    np.testing.assert_array_equal(host(pred), ref.predict(X))
    np.testing.assert_allclose(host(proj), ref.transform(X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(host(comp), PCA(n_components=2, svd_solver="full").fit(X)
                               .transform(X), rtol=1e-10, atol=1e-10)


def test_scipy_logsumexp_backpropagates_softmax():
    _scipy_array_api()
    from scipy.special import logsumexp

    v = np.array([0.5, -1.0, 2.0, 0.25])
    x = agrad.tensor(v, requires_grad=True)
    r = logsumexp(x)
    assert isinstance(r, agrad.Tensor) and r.grad_fn is not None
    np.testing.assert_allclose(r.item(), np.log(np.exp(v).sum()))
    r.backward()
    np.testing.assert_allclose(host(x.grad), np.exp(v) / np.exp(v).sum(), rtol=1e-12)


def test_array_api_extra_backpropagates():
    xpx = pytest.importorskip("array_api_extra")
    m = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 4.5]])
    x = agrad.tensor(m, requires_grad=True)
    c = xpx.cov(x)
    assert isinstance(c, agrad.Tensor)
    np.testing.assert_allclose(host(c), np.cov(m))
    c.sum().backward()
    # d sum(cov) / dx: each row's deviations summed over the rows, over (n - 1)
    dev = m - m.mean(1, keepdims=True)
    want = 2 * np.broadcast_to(dev.sum(0, keepdims=True), m.shape) / (m.shape[1] - 1)
    np.testing.assert_allclose(host(x.grad), want, atol=1e-12)
    s = xpx.sinc(agrad.tensor([0.5, 1.5], requires_grad=True))
    assert isinstance(s, agrad.Tensor) and s.grad_fn is not None
