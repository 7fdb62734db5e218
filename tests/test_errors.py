"""Bad input gets PyTorch's error type and message (naming the shapes and dtypes), and leaves
the target tensor and every alias of it (views, `.data`, the NumPy bridge) unchanged — values and
version counter — on every backend."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

import agrad  # noqa: E402
from agrad import config  # noqa: E402

pytestmark = pytest.mark.torch


def setup(lib, dtype="float32"):
    """A target, and aliases of it: a view, a transposed slice, `.data`."""
    x = lib.arange(12).reshape(3, 4)
    x = (x % 2 == 0) if dtype == "bool" else x.to(getattr(lib, dtype))
    return x, [x.view(12), x.t()[1:], x.data, x[1]]


# name -> (dtype of the target, action(lib, x) that must raise)
CASES = {
    # broadcasting
    "add_shapes": ("float32", lambda l, x: x + l.ones(5)),
    "add__shapes": ("float32", lambda l, x: x.add_(l.ones(2, 4))),
    "mul__broadcast_up": ("float32", lambda l, x: x.mul_(l.ones(2, 3, 4))),
    "iadd_shapes": ("float32", lambda l, x: x.__iadd__(l.ones(3, 5))),
    "add_two_bad_dims": ("float32", lambda l, x: x.add_(l.ones(4, 3))),
    "copy__shapes_2d": ("float32", lambda l, x: x.copy_(l.ones(4, 3))),
    "copy__shapes": ("float32", lambda l, x: x.copy_(l.ones(5))),
    "where_shapes": ("float32", lambda l, x: l.where(x > 2, x, l.ones(2, 2))),
    "maximum_shapes": ("float32", lambda l, x: l.maximum(x, l.ones(3, 1, 2))),
    # dtype of the result cannot go into the target
    "int_add__float": ("int64", lambda l, x: x.add_(0.5)),
    "int_mul__float_tensor": ("int64", lambda l, x: x.mul_(l.ones(4))),
    "int_idiv": ("int64", lambda l, x: x.__itruediv__(2)),
    "int_div_": ("int32", lambda l, x: x.div_(3)),
    "bool_add__int": ("bool", lambda l, x: x.add_(2)),
    "float_add__complex": ("float32", lambda l, x: x.add_(1j)),
    "int_sqrt_": ("int64", lambda l, x: x.sqrt_()),
    "out_dtype": ("float32", lambda l, x: l.add(x, x, out=l.zeros(3, 4, dtype=l.long))),
    "int_copy_out_of_graph": ("int64", lambda l, x: x.requires_grad_()),
    # views
    "view_bad_size": ("float32", lambda l, x: x.view(5, 3)),
    "view_two_inferred": ("float32", lambda l, x: x.view(-1, -1)),
    "view_strides": ("float32", lambda l, x: x.t().view(12)),
    "reshape_bad": ("float32", lambda l, x: x.reshape(7, -1)),
    "expand_bad": ("float32", lambda l, x: x.expand(3, 5)),
    "permute_bad": ("float32", lambda l, x: x.permute(0, 0)),
    "transpose_dim": ("float32", lambda l, x: x.transpose(0, 2)),
    "squeeze_dim": ("float32", lambda l, x: x.squeeze(3)),
    "expanded_write": ("float32", lambda l, x: x[:1].expand(3, 4).add_(1)),
    # indexing
    "index_int": ("float32", lambda l, x: x[3]),
    "index_neg": ("float32", lambda l, x: x[0, -5]),
    "index_list": ("float32", lambda l, x: x[[0, 3]]),
    "index_tensor_write": ("float32", lambda l, x: x.__setitem__(l.tensor([1, 7]), 0.0)),
    "index_mask_shape": ("float32", lambda l, x: x[l.tensor([True, False])]),
    "index_mask_write": ("float32", lambda l, x: x.__setitem__(l.tensor([True, False, True,
                                                                        False]), 1.0)),
    "index_value_shape": ("float32", lambda l, x: x.__setitem__(x > 5, l.ones(2))),
    "index_too_many": ("float32", lambda l, x: x[0, 0, 0]),
    "index_float": ("float32", lambda l, x: x[l.tensor([0.0])]),
    "index_write_dtype": ("int64", lambda l, x: x.__setitem__(l.tensor([0, 1]),
                                                           l.ones(2, 4))),
    # linear algebra (ranks, shapes, dtypes)
    "dot_2d": ("float32", lambda l, x: x[0].dot(x)),
    "dot_lengths": ("float32", lambda l, x: l.dot(x[0], x[:, 0])),
    "dot_dtypes": ("float32", lambda l, x: l.dot(x[0], l.ones(4, dtype=l.long))),
    "mm_1d": ("float32", lambda l, x: x[0].mm(x)),
    "mm_1d_other": ("float32", lambda l, x: x.mm(x[0])),
    "mm_shapes": ("float32", lambda l, x: x.mm(x)),
    "mm_dtypes": ("float32", lambda l, x: x.mm(l.ones(4, 2, dtype=l.float64))),
    "matmul_shapes": ("float32", lambda l, x: l.matmul(l.ones(5, 2, 3), x.t())),
    "matmul_0d": ("float32", lambda l, x: l.matmul(l.tensor(2.0), x)),
    # reductions and dims
    "sum_dim": ("float32", lambda l, x: x.sum(2)),
    "mean_int": ("int64", lambda l, x: x.mean()),
    "max_dim": ("float32", lambda l, x: x.max(dim=-3)),
    "std_int": ("int64", lambda l, x: x.std()),
    # autograd misuse that must not touch values
    "backward_int": ("float32", lambda l, x: x.sum().backward()),
    "leaf_inplace": ("float32", lambda l, x: x.clone().requires_grad_().add_(1)),
    # dtypes / devices
    "unknown_device": ("float32", lambda l, x: x.to("foo")),
    "unknown_dtype": ("float32", lambda l, x: x.to(dtype="float33")),
    "cuda": ("float32", lambda l, x: x.cuda()),
    "to_cuda": ("float32", lambda l, x: x.to("cuda", l.float64)),
    "cuda_not_cuda": ("float32", lambda l, x: x.cuda("cpu")),
    "invalid_device_string": ("float32", lambda l, x: x.to("float32")),
    # dtype arguments: PyTorch's dtype objects (or Python's scalar types) only
    "to_dtype_str": ("float32", lambda l, x: x.to(dtype="float32")),
    "to_numpy_dtype": ("float32", lambda l, x: x.to(np.float32)),
    "to_device_str_dtype": ("float32", lambda l, x: x.to("cpu", "float64")),
    "type_str": ("float32", lambda l, x: x.type("float32")),
    "type_numpy_dtype": ("float32", lambda l, x: x.type(np.float32)),
    "type_number": ("float32", lambda l, x: x.type(3)),
    "view_str": ("float32", lambda l, x: x.view("float32")),
    "sum_dim_dtype_str": ("float32", lambda l, x: x.sum(0, dtype="float64")),
    "mean_dim_numpy_dtype": ("float32", lambda l, x: x.mean(1, dtype=np.float64)),
    "cumsum_dtype_str": ("int64", lambda l, x: x.cumsum(0, dtype="float32")),
    "new_zeros_dtype_str": ("float32", lambda l, x: x.new_zeros(2, dtype="float64")),
    "zeros_like_dtype_str": ("float32", lambda l, x: l.zeros_like(x, dtype="float64")),
    "rand_like_dtype_str": ("float32", lambda l, x: l.rand_like(x, dtype="float64")),
    "softmax_dtype_str": ("float32",
                          lambda l, x: l.nn.functional.softmax(x, 0, dtype="float64")),
    "sub_bools": ("bool", lambda l, x: x - x),
    "neg_bool": ("bool", lambda l, x: -x),
    "complex_lt": ("float32", lambda l, x: x < l.tensor(1j)),
    # signatures: where PyTorch has no overload taking a number there
    "atan2_number": ("float32", lambda l, x: l.atan2(x, 2.0)),
    "atan2_number_first": ("float32", lambda l, x: l.atan2(2.0, x)),
    "maximum_number": ("float32", lambda l, x: l.maximum(x, 2)),
    "logical_and_number": ("bool", lambda l, x: l.logical_and(x, True)),
    "lt_number_first": ("float32", lambda l, x: l.lt(2.0, x)),
    "eq_bool_first": ("float32", lambda l, x: l.eq(True, x)),
    "fmod_number_first": ("int64", lambda l, x: l.fmod(2, x)),
    "rsub_number_first": ("float32", lambda l, x: l.rsub(2.0, x)),
    "exp_two_arguments": ("float32", lambda l, x: l.exp(x, x)),
}


def _agrad_devices(message: str) -> str:
    """PyTorch's unknown-device message with agrad's device types in place of PyTorch's list
    (the rest of the sentence must match word for word)."""
    head, sep, tail = message.partition(" device type at start of device string: ")
    assert head.startswith("Expected one of ") and sep, message
    return f"Expected one of {', '.join(config.public_device_types())}{sep}{tail}"


# messages that name what differs between the two libraries on purpose, rewritten from
# PyTorch's to agrad's before the comparison
EXPECTED_MESSAGE = {"unknown_device": _agrad_devices}


def _state(x, aliases):
    return ([x.tolist()] + [a.tolist() for a in aliases],
            x._vc.version if isinstance(x, agrad.Tensor) else x._version)


# compared where both are CPU builds: PyTorch without CUDA, agrad without CuPy
CPU_BUILDS_ONLY = {"cuda", "to_cuda"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_and_nothing_changed(name):
    if name in CPU_BUILDS_ONLY and (torch.backends.cuda.is_built() or
                                    importlib.util.find_spec("cupy") is not None):
        pytest.skip("a CUDA build: .cuda() does not fail as on a CPU build")
    dtype, action = CASES[name]
    xt, at = setup(torch, dtype)
    xa, aa = setup(agrad, dtype)
    before_t, before_a = _state(xt, at), _state(xa, aa)
    with pytest.raises(Exception) as et:
        action(torch, xt)
    with pytest.raises(type(et.value)) as ea:
        action(agrad, xa)
    assert str(ea.value) == EXPECTED_MESSAGE.get(name, str)(str(et.value))
    assert _state(xa, aa)[0] == before_a[0]
    assert _state(xa, aa)[1] == before_a[1], "a refused write must not bump the version"
    # (PyTorch itself may have written part of an out-of-range index_put before raising)
    del before_t


@pytest.mark.backends("numpy")
def test_numpy_bridge_alias_unchanged_by_refused_writes():
    x = agrad.arange(6, dtype=agrad.int64).reshape(2, 3)
    n = x.numpy()
    for bad in (lambda: x.add_(0.5), lambda: x.__setitem__(5, 1), lambda: x.copy_(agrad.ones(4)),
                lambda: x.__setitem__(agrad.tensor([True]), 1)):
        with pytest.raises((RuntimeError, IndexError)):
            bad()
        assert n.tolist() == [[0, 1, 2], [3, 4, 5]]


def test_broadcast_message_reports_last_mismatching_dim():
    with pytest.raises(RuntimeError) as et:
        torch.zeros(2, 3) + torch.zeros(3, 2)
    with pytest.raises(RuntimeError) as ea:
        agrad.zeros(2, 3) + agrad.zeros(3, 2)
    assert str(ea.value) == str(et.value)


def test_leaf_view_requiring_grad_inplace():
    for lib in (torch, agrad):
        x = lib.arange(12.0).reshape(3, 4).requires_grad_()
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            x.add_(1)


def test_error_messages_name_shapes_and_dtypes():
    x = agrad.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\).*tensor b \(4\)"):
        x + agrad.ones(4)
    with pytest.raises(RuntimeError, match=r"shape '\[4, 2\]' is invalid for input of size 6"):
        x.view(4, 2)
    with pytest.raises(RuntimeError, match=r"2x3 and 2x3"):
        x.mm(x)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        agrad.tensor([1, 2]).add_(0.5)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 1 with size 3"):
        x[0, 5]
    with pytest.raises(RuntimeError, match=r"1D tensors expected, but got 1D and 2D tensors"):
        x[0].dot(x)
