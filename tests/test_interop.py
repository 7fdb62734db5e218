"""Interop on every backend: DLPack in and out, `__array__`, and copy.copy / copy.deepcopy /
pickle of tensors and modules, each program run on agrad and on PyTorch and its observables
(values, layout, autograd flags, what aliases what) compared."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import agrad

torch = pytest.importorskip("torch")


def same(program):
    """`program(lib)` returns plain Python observables; agrad's must be PyTorch's."""
    mine, theirs = program(agrad), program(torch)
    assert mine == theirs
    return mine


def shares(lib, a, b) -> bool:
    """Whether a write into `a` is seen through `b` (both float tensors, no grad)."""
    before = b.tolist()
    with lib.no_grad():
        a.add_(1000)
    seen = b.tolist() != before
    with lib.no_grad():
        a.sub_(1000)
    return seen


def layout(t) -> tuple:
    return tuple(t.shape), t.stride(), t.storage_offset(), str(t.dtype)


# -- DLPack --------------------------------------------------------------------------------------

def test_dlpack_out_to_numpy_and_torch(backend):
    t = agrad.arange(12.0).reshape(3, 4)[:, 1:3]  # a strided view
    assert t.__dlpack_device__() == (1, 0)
    n = np.from_dlpack(t)
    tt = torch.from_dlpack(t)
    assert n.tolist() == tt.tolist() == t.tolist()
    before = t.tolist()
    with agrad.no_grad():
        t.mul_(-1)
    # NumPy exports the storage itself (a write is seen); the others a copy (Dask: computed)
    seen = t.tolist() if backend.in_place else before
    assert n.tolist() == tt.tolist() == seen
    assert np.from_dlpack(t).tolist() == torch.from_dlpack(t).tolist() == t.tolist()


def test_dlpack_of_a_tensor_that_requires_grad_is_refused_as_in_torch():
    def program(lib):
        x = lib.ones(2, requires_grad=True)
        with pytest.raises(BufferError) as e:
            x.__dlpack__()
        return str(e.value), np.from_dlpack(x.detach()).tolist()

    same(program)


def test_dlpack_copy_false(backend):
    t = agrad.arange(3.0)
    if backend.lazy:
        with pytest.raises(BufferError, match="computed copy"):
            t.__dlpack__(copy=False)
        with pytest.raises(BufferError, match="snapshot"):
            agrad.from_dlpack(np.arange(3.0), copy=False)
    else:
        assert np.from_dlpack(t, copy=False).tolist() == [0.0, 1.0, 2.0]
        assert agrad.from_dlpack(np.arange(3.0), copy=False).tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool"])
def test_from_dlpack_numpy_and_torch_producers(backend, dtype):
    src = np.arange(6).reshape(2, 3).astype(dtype)
    for producer in (src.copy(), torch.from_numpy(src.copy())):
        t = agrad.from_dlpack(producer)
        assert t.device.type == backend.device_type and str(t.dtype) == f"torch.{dtype}"
        assert t.tolist() == src.tolist() and not t.requires_grad and t.is_leaf
        if dtype == "float64":  # the producer written afterwards: Dask took a snapshot
            producer[0, 0] = 100
            assert (t[0, 0].item() == 100) == (not backend.lazy)
    assert agrad.from_dlpack(src, copy=True).tolist() == src.tolist()
    again = agrad.from_dlpack(agrad.from_dlpack(src))  # agrad to agrad
    assert again.tolist() == src.tolist()


def test_from_dlpack_shares_memory_where_torch_does(backend):
    def program(lib):
        src = np.arange(4.0)
        t = lib.from_dlpack(src)
        src[0] = 7.0
        c = lib.from_dlpack(np.arange(4.0), copy=True)
        return t[0].item(), c.tolist()

    mine, theirs = program(agrad), program(torch)
    assert mine == theirs if not backend.lazy else mine == (0.0, theirs[1])


def test_from_dlpack_device_argument(backend):
    t = agrad.from_dlpack(np.arange(3.0), device="dask")
    assert t.device.type == "dask" and t.tolist() == [0.0, 1.0, 2.0]
    if backend.device_type != "dask":
        with pytest.raises(BufferError, match="moving to dask copies"):
            agrad.from_dlpack(np.arange(3.0), device="dask", copy=False)


class _GpuProducer:
    """A producer whose memory is on a CUDA device (DLPack device type 2)."""

    def __dlpack_device__(self):
        return (2, 0)

    def __dlpack__(self, **kw):
        raise AssertionError("a CPU backend must not import CUDA memory")


def test_gpu_memory_goes_to_the_cuda_backend(backend):
    try:
        import cupy  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="'cupy' backend needs a library"):
            agrad.from_dlpack(_GpuProducer())
    else:
        pytest.skip("CuPy is installed: the GPU path is exercised by the CUDA backend's tests")


# -- __array__ -----------------------------------------------------------------------------------

def test_numpy_asarray_of_every_backend(backend):
    t = agrad.arange(6.0).reshape(2, 3).t()
    a = np.asarray(t)
    assert a.tolist() == t.tolist() and a.dtype == np.float32
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert np.asarray(agrad.tensor(True)).tolist() is True


# -- copy.copy -----------------------------------------------------------------------------------

def test_copy_shares_memory_and_is_a_leaf():
    def program(lib):
        x = lib.ones(3, requires_grad=True)
        x.grad = lib.zeros(3)
        y = x * 2
        out = []
        for t in (x, y):
            c = copy.copy(t)
            out.append((c.is_leaf, c.requires_grad, c.grad is None, type(c).__name__,
                        shares(lib, c.detach(), t.detach())))
        b = lib.arange(6.0).reshape(2, 3)
        v = copy.copy(b[1])
        out.append((layout(v), shares(lib, v, b), shares(lib, b, v)))
        return out

    same(program)


def test_copy_has_its_own_version_counter():
    def program(lib):
        x = lib.ones(2, requires_grad=True)
        s = x.sin().sum()  # saves x
        c = copy.copy(x)
        with lib.no_grad():
            c.add_(1)  # x's memory, but not x's version counter: backward does not notice
        s.backward()
        return [round(g, 6) for g in x.grad.tolist()]

    assert same(program) == [round(float(np.cos(2.0)), 6)] * 2


def test_copy_keeps_user_attributes():
    def program(lib):
        x = lib.ones(2)
        x.note = ["a"]
        c = copy.copy(x)
        return c.note, c.note is x.note

    same(program)


# -- copy.deepcopy -------------------------------------------------------------------------------

def test_deepcopy_of_a_leaf_copies_grad_through_the_memo():
    def program(lib):
        x = lib.ones(3, requires_grad=True)
        (x * 2).sum().backward()
        y = copy.deepcopy(x)
        cx, cg = copy.deepcopy([x, x.grad])
        x.note = {"k": [1]}
        z = copy.deepcopy(x)
        return (y.requires_grad, y.is_leaf, y.grad.tolist(), y.grad is x.grad,
                shares(lib, y.detach(), x.detach()), cx.grad is cg, z.note, z.note is x.note)

    same(program)


def test_deepcopy_of_a_non_leaf_is_refused_as_in_torch():
    def program(lib):
        x = lib.ones(2, 3, requires_grad=True)
        msgs = []
        for t in (x * 2, x[0]):
            with pytest.raises(RuntimeError) as e:
                copy.deepcopy(t)
            msgs.append(str(e.value))
        return msgs

    same(program)


def test_deepcopy_keeps_views_of_one_storage_together():
    def program(lib):
        b = lib.arange(12.0).reshape(3, 4)
        v, w = b[1:, 2:], b.t()
        cb, cv, cw = copy.deepcopy([b, v, w])
        lone = copy.deepcopy(v)
        return (layout(cv), layout(cw), layout(lone), cv.tolist(),
                shares(lib, cb, cv), shares(lib, cv, cw), shares(lib, cb, b),
                shares(lib, lone, v), lone.is_contiguous())

    same(program)


def test_deepcopy_keeps_a_permuted_result_layout():
    def program(lib):
        a = lib.arange(6.0).reshape(2, 3).t()
        r = a * 2  # an elementwise result keeps its operand's (transposed) layout
        c = copy.deepcopy(r)
        return layout(c), c.tolist(), c.is_contiguous()

    same(program)


@pytest.mark.backends("dask")
def test_deepcopy_on_dask_computes_nothing():
    import dask

    def refuse(*args, **kwargs):
        raise AssertionError("deepcopy computed")

    x = agrad.ones(4, 4) * 1
    with dask.config.set(scheduler=refuse):
        c = copy.deepcopy([x, x[1]])
    assert c[0].device.type == "dask" and c[1].tolist() == [1.0] * 4


# -- pickle --------------------------------------------------------------------------------------

def test_pickle_keeps_values_layout_and_requires_grad_not_grad_or_history():
    def program(lib):
        x = lib.arange(6.0, requires_grad=True)
        x.grad = lib.ones(6)
        b = lib.arange(12.0).reshape(3, 4)
        x.note = "kept"
        out = []
        for t in (x, x * 2, b[1:, 2:], b.t(), lib.tensor([1, 2], dtype=lib.int16)):
            p = pickle.loads(pickle.dumps(t))
            out.append((p.tolist(), layout(p), p.requires_grad, p.is_leaf, p.grad is None,
                        getattr(p, "note", None)))
        pb, pv = pickle.loads(pickle.dumps([b, b[1]]))
        out.append(shares(lib, pb, pv))  # a plain pickle does not share storages
        return out

    same(program)


def test_pickle_keeps_the_device(backend):
    t = agrad.arange(4.0).reshape(2, 2)[1]
    p = pickle.loads(pickle.dumps(t))
    assert p.device == t.device and p.tolist() == [2.0, 3.0]
    assert p._storage.backend is t._storage.backend


# -- modules -------------------------------------------------------------------------------------

def _model(lib):
    lib.manual_seed(0)
    lin = lib.nn.Linear(3, 3)
    return lib.nn.Sequential(lin, lib.nn.BatchNorm1d(3), lin)  # one layer used twice


def test_module_deepcopy_and_pickle():
    def program(lib):
        m = _model(lib)
        m(lib.ones(4, 3)).sum().backward()
        out = []
        for c in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
            w = c[0].weight
            out.append((type(w).__name__, w.requires_grad, w.is_leaf, w.grad is None,
                        c[0] is c[2], c[0].weight is c[2].weight, w is m[0].weight,
                        list(c.state_dict()), c[1].running_mean.requires_grad,
                        shares(lib, w.detach(), m[0].weight.detach())))
        return out

    same(program)


def test_module_copies_train_like_the_original(backend):
    m = _model(agrad)
    c = copy.deepcopy(m)
    p = pickle.loads(pickle.dumps(m))
    x = agrad.arange(12.0).reshape(4, 3) / 10
    for net in (m, c, p):
        opt = agrad.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(2):
            opt.zero_grad()
            net(x).pow(2).sum().backward()
            opt.step()
    assert c[0].weight.tolist() == m[0].weight.tolist() == p[0].weight.tolist()
    assert c[0].weight.device.type == backend.device_type


def test_parameter_copy_copy_is_a_parameter_sharing_memory():
    def program(lib):
        w = lib.nn.Parameter(lib.ones(2))
        c = copy.copy(w)
        return type(c).__name__, c.requires_grad, shares(lib, c.detach(), w.detach())

    same(program)
