"""Autograd semantics: requires_grad, grad_fn, .grad, .data, detach, backward/grad, in-place
history, errors (type, PyTorch's message, and nothing changed after), grad modes, hooks,
custom Functions, Variable, and the engine's guarantees (iterative walk, freed buffers, no
reference cycles, flat memory).

Every test runs on every backend (see conftest.py) with the same expected values."""

from __future__ import annotations

import gc
import re
import threading
import warnings
import weakref

import numpy as np
import pytest

import agrad
from agrad import autograd
from agrad.autograd import Function, Variable


def vals(t):
    return np.asarray(t.detach().tolist(), dtype=float)


def close(t, expected, atol=1e-6):
    np.testing.assert_allclose(vals(t), np.asarray(expected, dtype=float), rtol=1e-6, atol=atol)


def leaf(data, dtype=None):
    return agrad.tensor(data, dtype=dtype, requires_grad=True)


def name(node):
    return type(node).__name__


def raises_exact(exc, message):
    """pytest.raises matching the whole message."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


MODIFIED = ("one of the variables needed for gradient computation has been modified by an "
            "inplace operation: [{type} [{shape}]], which is output 0 of {op}, is at version "
            "{now}; expected version {then} instead. Hint: enable anomaly detection to find the "
            "operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")
FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
         "after they have already been freed). Saved intermediate values of the graph are freed "
         "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
         "backward through the graph a second time or if you need to access saved tensors after "
         "calling backward.")
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_LEAF_INPLACE = ("a view of a leaf Variable that requires grad is being used in an in-place "
                     "operation.")
NONLEAF_GRAD = ("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed "
                "want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() "
                "on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
                "you access the leaf Tensor instead.")


# ---------------------------------------------------------------------------------------------
# requires_grad, is_leaf, grad_fn

def test_requires_grad_constructor_and_method():
    x = agrad.tensor([1.0, 2.0], requires_grad=True)
    assert x.requires_grad and x.is_leaf and x.grad_fn is None and x.grad is None
    y = agrad.ones(2)
    assert not y.requires_grad
    assert y.requires_grad_() is y and y.requires_grad and y.is_leaf
    y.requires_grad_(False)
    assert not y.requires_grad
    y.requires_grad = True
    assert y.requires_grad
    for make in (agrad.zeros, agrad.ones, agrad.rand, agrad.randn, agrad.empty):
        t = make(2, 3, requires_grad=True)
        assert t.requires_grad and t.is_leaf
    assert agrad.full((2,), 1.5, requires_grad=True).requires_grad
    assert agrad.zeros(2, dtype=agrad.float64, requires_grad=True).requires_grad


def test_results_require_grad_only_when_an_input_does():
    x = leaf([1.0, 2.0])
    c = agrad.tensor([3.0, 4.0])
    y = x * c
    assert y.requires_grad and not y.is_leaf and name(y.grad_fn) == "MulBackward0"
    z = c * 2
    assert not z.requires_grad and z.is_leaf and z.grad_fn is None


INT_GRAD = "Only Tensors of floating point and complex dtype can require gradients"
INT_GRAD_METHOD = "only Tensors of floating point dtype can require gradients"


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_requires_grad_refused_on_integer_dtypes(dtype):
    dt = getattr(agrad, dtype)
    with raises_exact(RuntimeError, INT_GRAD):
        agrad.tensor([1, 0], dtype=dt, requires_grad=True)
    with raises_exact(RuntimeError, INT_GRAD):
        agrad.ones(2, dtype=dt, requires_grad=True)
    t = agrad.tensor([1, 0], dtype=dt)
    with raises_exact(RuntimeError, INT_GRAD_METHOD):
        t.requires_grad_()
    with pytest.raises(RuntimeError, match=r"^[Oo]nly Tensors of floating point( and complex)? "
                                           r"dtype can require gradients$"):
        t.requires_grad = True  # exact wording: test_requires_grad_integer_error_wording
    assert not t.requires_grad and t.grad is None and vals(t).tolist() == [1, 0]
    # a float tensor converted to an integer dtype leaves the graph
    assert not leaf([1.5]).long().requires_grad


def test_requires_grad_integer_error_wording():
    with raises_exact(RuntimeError, INT_GRAD):
        agrad.tensor([1, 0], requires_grad=True)
    t = agrad.tensor([1, 0])
    with raises_exact(RuntimeError, INT_GRAD):
        t.requires_grad = True
    with raises_exact(RuntimeError, INT_GRAD_METHOD):
        t.requires_grad_()


def test_requires_grad_of_non_leaf_cannot_be_switched_off():
    x = leaf([1.0, 2.0])
    y = x * 2
    with raises_exact(RuntimeError,
                      "you can only change requires_grad flags of leaf variables. If you want to "
                      "use a computed variable in a subgraph that doesn't require differentiation "
                      "use var_no_grad = var.detach()."):
        y.requires_grad_(False)
    assert y.requires_grad and name(y.grad_fn) == "MulBackward0"


def test_grad_fn_names_of_the_tutorials():
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = leaf([[0.5, -1.0], [2.0, 0.25], [1.0, 1.0]])
    cases = {
        "AddBackward0": x + 1, "MulBackward0": x * x, "MeanBackward0": x.mean(),
        "MeanBackward1": x.mean(0), "SumBackward0": x.sum(), "SumBackward1": x.sum(1),
        "PowBackward0": x ** 2, "PowBackward1": x ** x, "PowBackward2": 2 ** x,
        "ViewBackward0": x.view(3, 2), "TBackward0": x.t(), "SelectBackward0": x[:, 1],
        "MmBackward0": x.mm(w), "CloneBackward0": x.clone(),
        "ToCopyBackward0": x.to(agrad.float64), "SubBackward0": x - x,
        "DivBackward0": x / 3, "NegBackward0": -x, "ExpBackward0": x.exp(),
        "ReluBackward0": x.relu(), "SliceBackward0": x[1:], "UnsqueezeBackward0": x[None],
        "TransposeBackward0": x.transpose(0, 1), "PermuteBackward0": x.permute(1, 0),
        "ExpandBackward0": x[:1].expand(3, 3), "ClampBackward1": x.clamp(0, 1),
        "UnsafeViewBackward0": x.t().reshape(6),
    }
    for expected, t in cases.items():
        assert name(t.grad_fn) == expected
        assert t.requires_grad and not t.is_leaf


@pytest.mark.parametrize("op", ["sum", "mean", "prod"])
@pytest.mark.parametrize("dim", [0, -1])
def test_a_0d_reduction_over_a_dim_keeps_the_dim_overload(op, dim):
    """`sum(x, 0)` of a 0-d tensor is PyTorch's dim overload (SumBackward1), as at any rank."""
    torch = pytest.importorskip("torch")
    a, t = leaf(1.5), torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    ra, rt = getattr(a, op)(dim), getattr(t, op)(dim)
    assert name(ra.grad_fn) == rt.grad_fn.name()
    ra.backward()
    rt.backward()
    assert a.grad.item() == t.grad.item() == 1.0


def test_next_functions_end_in_accumulate_grad():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    y = (x * w).sum()
    (mul, nr), = y.grad_fn.next_functions
    assert name(mul) == "MulBackward0" and nr == 0
    (ax, nx), (aw, nw) = mul.next_functions
    assert name(ax) == "AccumulateGrad" and name(aw) == "AccumulateGrad"
    assert ax.variable is x and aw.variable is w
    # one accumulator per leaf, shared by every use
    z = x + 1
    assert z.grad_fn.next_functions[0][0] is ax
    # a constant operand has no edge
    assert (x * 2).grad_fn.next_functions[1] == (None, 0)
    assert (x * agrad.tensor([1.0, 1.0])).grad_fn.next_functions[1] == (None, 0)


# ---------------------------------------------------------------------------------------------
# .grad, .data, detach

def test_grad_accumulates_in_place_keeping_identity():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    g = x.grad
    close(g, [2, 4, 6])
    (x * x).sum().backward()
    assert x.grad is g
    close(g, [4, 8, 12])
    x.grad.zero_()
    (x * 3).sum().backward()
    assert x.grad is g
    close(x.grad, [3, 3, 3])
    assert not x.grad.requires_grad and x.grad.grad_fn is None


def test_grad_never_aliases_the_callers_gradient():
    x = leaf([1.0, 2.0])
    gout = agrad.tensor([1.0, 1.0])
    x.backward(gout)
    x.grad.add_(5)
    close(gout, [1, 1])
    y = leaf([1.0, 2.0])
    g2 = agrad.tensor([2.0, 3.0])
    (y * 1).backward(g2)
    y.grad.mul_(10)
    close(g2, [2, 3])
    close(y.grad, [20, 30])


def test_grad_setter_and_deleter():
    x = leaf([1.0, 2.0])
    x.grad = agrad.tensor([5.0, 6.0])
    close(x.grad, [5, 6])
    x.sum().backward()
    close(x.grad, [6, 7])
    del x.grad
    assert x.grad is None
    x.grad = None
    assert x.grad is None


def test_data_is_a_detached_alias_as_the_seeds_use_it():
    w1 = leaf([[1.0, 2.0], [3.0, 4.0]])
    loss = (w1 * w1).sum()
    loss.backward()
    before, g = vals(w1), vals(w1.grad)
    lr = 0.1
    w1.data -= lr * w1.grad.data
    close(w1, before - lr * g)
    assert w1.requires_grad and w1.is_leaf
    grad_obj = w1.grad
    w1.grad.data.zero_()
    assert w1.grad is grad_obj
    close(w1.grad, np.zeros((2, 2)))
    d = w1.data
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    d[0, 0] = 100.0  # shares memory
    assert vals(w1)[0, 0] == 100.0
    # the next step works as usual
    (w1 * 2).sum().backward()
    close(w1.grad, np.full((2, 2), 2.0))


def test_data_writes_escape_version_checks():
    x = leaf([1.0, 2.0])
    y = x * 1
    z = y.exp()  # saves its result
    z.data.mul_(2)  # .data has its own version counter: no error, PyTorch's documented hazard
    z.sum().backward()
    close(x.grad, 2 * np.exp([1.0, 2.0]), atol=1e-5)


def test_data_assignment_replaces_values_keeping_identity():
    x = leaf([1.0, 2.0])
    x.data = agrad.tensor([7.0, 8.0, 9.0])
    assert x.shape == (3,) and x.requires_grad and x.is_leaf
    (x * x).sum().backward()
    close(x.grad, [14, 16, 18])


def test_detach_shares_storage_and_version_counter():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    d[0] = 10.0
    close(y, [10, 4])
    # a write through the detached alias is seen by autograd's version checks
    z = y * y
    d.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_detach_in_place():
    x = leaf([1.0, 2.0])
    y = x * 2
    assert y.detach_() is y
    assert not y.requires_grad and y.is_leaf and y.grad_fn is None
    close(y, [2, 4])
    v = (x * 2)[0]
    with pytest.raises(RuntimeError, match=re.escape("Can't detach views in-place. Use detach() "
                                                     "instead.")):
        v.detach_()
    assert v.requires_grad and name(v.grad_fn) == "SelectBackward0"


# ---------------------------------------------------------------------------------------------
# backward and grad

def test_backward_with_gradient_argument():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y.backward(agrad.tensor([1.0, 0.1, 0.01]))
    close(x.grad, [2, 0.2, 0.02])
    x.grad = None
    y2 = x * x
    y2.backward(gradient=agrad.tensor([1.0, 1.0, 1.0]))
    close(x.grad, [2, 4, 6])


@pytest.mark.parametrize("how", ["backward", "grad"])
@pytest.mark.parametrize("op", ["var_mean", "aminmax"])
def test_several_outputs_of_one_node_as_roots(op, how):
    # two roots on one node once counted that node's edges twice: the leaf never became ready
    # and its gradient was silently dropped (None from grad, nothing in .grad from backward)
    x = leaf([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    outs = list(getattr(agrad, op)(x, dim=1))
    gs = [agrad.tensor([1.0, 2.0]), agrad.tensor([3.0, -1.0])]
    if how == "grad":
        (g,) = autograd.grad(outs, [x], gs)
    else:
        autograd.backward(outs, gs)
        g = x.grad
    y = x.detach().requires_grad_()
    want = sum(((o * gi).sum() for o, gi in zip(getattr(agrad, op)(y, dim=1), gs)),
               agrad.tensor(0.0))
    want.backward()
    close(g, y.grad.tolist())


def test_backward_of_a_leaf_and_of_a_scalar():
    x = leaf(3.0)
    x.backward()
    x.backward()
    close(x.grad, 2.0)
    y = leaf([2.0])
    (y * y).backward()  # one element: implicit gradient allowed
    close(y.grad, [4.0])


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = vals(x.grad)
    y.backward()
    close(x.grad, 2 * first)
    with raises_exact(RuntimeError, FREED):
        y.backward()
    close(x.grad, 2 * first)


def test_second_backward_without_saved_tensors_is_allowed():
    x = leaf([1.0, 2.0])
    y = (x + x).sum()
    y.backward()
    y.backward()
    close(x.grad, [4, 4])


def test_backward_inputs_restricts_accumulation():
    w = leaf([1.0, 2.0])
    b = leaf([0.5, 0.5])
    loss = (w * w + b).sum()
    loss.backward(inputs=[w])
    close(w.grad, [2, 4])
    assert b.grad is None
    loss2 = (w * b).sum()
    loss2.backward(inputs=b)
    close(b.grad, [1, 2])
    close(w.grad, [2, 4])
    with raises_exact(RuntimeError, "`inputs` argument to `backward()` cannot be empty."):
        (w * 2).sum().backward(inputs=[])


def test_backward_inputs_may_be_a_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * 3
    (h * h).sum().backward(inputs=[h])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # see test_no_warning_when_grad_is_set
        close(h.grad, [6, 12])
    assert x.grad is None


def test_no_warning_when_grad_is_set():
    x = leaf([1.0, 2.0])
    h = x * 3
    (h * h).sum().backward(inputs=[h])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        close(h.grad, [6, 12])


def test_autograd_backward_function_many_roots():
    x = leaf([1.0, 2.0])
    y1 = x * 2
    y2 = (x * x).sum()
    autograd.backward([y1, y2], [agrad.tensor([1.0, 1.0]), None])
    close(x.grad, [2 + 2, 2 + 4])
    with raises_exact(RuntimeError, "got 2 tensors and 1 gradients"):
        autograd.backward([x * 2, x * 3], [agrad.ones(2)])


def test_autograd_grad_returns_without_touching_grad():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    y = (x * w).sum()
    gx, gw = autograd.grad(y, [x, w])
    close(gx, [3, 4])
    close(gw, [1, 2])
    assert x.grad is None and w.grad is None
    assert not gx.requires_grad
    (g,) = autograd.grad((x * 2), x, grad_outputs=agrad.tensor([1.0, 10.0]))
    close(g, [2, 20])
    (g,) = autograd.grad([x.sum(), (x * x).sum()], [x])
    close(g, [3, 5])


def test_autograd_grad_allow_unused_and_materialize():
    x = leaf([1.0, 2.0])
    u = leaf([1.0])
    y = (x * 2).sum()
    gx, gu = autograd.grad(y, [x, u], allow_unused=True, retain_graph=True)
    close(gx, [2, 2])
    assert gu is None
    gx, gu = autograd.grad(y, [x, u], materialize_grads=True)
    close(gu, [0.0])


def test_unused_input_error():
    a = leaf([1.0, 2.0])
    b = leaf([1.0, 2.0])
    y = (a * 2).sum()
    with raises_exact(RuntimeError,
                      "The differentiated Tensor at index 1 appears to not have been used in the "
                      "graph. Set allow_unused=True if this is the desired behavior."):
        autograd.grad(y, [a, b])
    assert a.grad is None and b.grad is None


def test_grad_of_input_not_requiring_grad_error():
    a = agrad.tensor([1.0, 2.0])
    b = leaf([1.0, 2.0])
    with raises_exact(RuntimeError, "One of the differentiated Tensors does not require grad"):
        autograd.grad((b * 2).sum(), a)
    assert b.grad is None


def test_higher_order_gradients_with_create_graph():
    x = leaf([1.0, 2.0, -0.5])
    y = (x ** 4).sum()
    (g1,) = autograd.grad(y, x, create_graph=True)
    close(g1, 4 * vals(x) ** 3)
    assert g1.requires_grad and g1.grad_fn is not None
    (g2,) = autograd.grad(g1.sum(), x, create_graph=True)
    close(g2, 12 * vals(x) ** 2)
    (g3,) = autograd.grad(g2.sum(), x)
    close(g3, 24 * vals(x))


def test_double_backward_through_backward_create_graph():
    x = leaf([1.0, 2.0])
    y = (x.sin() * x).sum()
    y.backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    xv = vals(x)
    close(g, np.sin(xv) + xv * np.cos(xv))
    x.grad = None
    g.sum().backward()
    close(x.grad, 2 * np.cos(xv) - xv * np.sin(xv))


def test_gradients_reduced_over_broadcast_dims():
    a = leaf([[1.0], [2.0], [3.0]])  # (3, 1)
    b = leaf([1.0, 10.0, 100.0, 1000.0])  # (4,)
    s = leaf(2.0)  # 0-d
    y = (a * b + s).sum()
    y.backward()
    close(a.grad, [[1111.0], [1111.0], [1111.0]])
    close(b.grad, [6.0, 6.0, 6.0, 6.0])
    close(s.grad, 12.0)
    assert a.grad.shape == (3, 1) and b.grad.shape == (4,) and s.grad.shape == ()
    c = leaf([[1.0, 2.0]])  # (1, 2) against (2, 2)
    d = leaf([[1.0, 2.0], [3.0, 4.0]])
    (c / d).sum().backward()
    close(c.grad, [[1 + 1 / 3, 0.5 + 0.25]])


def test_integer_and_bool_inputs_never_get_grads():
    x = leaf([1.0, -2.0, 3.0])
    i = agrad.tensor([1, 2, 3])
    m = agrad.tensor([True, False, True])
    y = (x * i + x * m).sum()
    y.backward()
    close(x.grad, [2, 2, 4])
    assert i.grad is None and not i.requires_grad
    assert m.grad is None and not m.requires_grad
    for t in (x > 0, x.argmax(), x.long(), x.max(0)[1]):
        assert not t.requires_grad and t.grad_fn is None


def test_zero_derivative_ops_give_zero_gradients():
    x = leaf([0.5, 1.5])
    (x.floor() + x.sign() + x.round()).sum().backward()
    assert x.grad is not None
    close(x.grad, [0, 0])


def test_inputs_saved_only_when_needed():
    x = leaf([1.0, 2.0])
    y = x * 1
    z = y * 2.0  # d/dy needs only the constant: PyTorch does not save y
    y.add_(1)
    z.sum().backward()
    close(x.grad, [2, 2])


def test_float_to_float_conversion_is_differentiable():
    x = leaf([1.0, 2.0])
    y = x.double()
    assert name(y.grad_fn) == "ToCopyBackward0" and y.dtype == agrad.float64
    (y * y).sum().backward()
    assert x.grad.dtype == agrad.float32
    close(x.grad, [2, 4])


# ---------------------------------------------------------------------------------------------
# in-place ops on tensors in a graph

def test_inplace_rebases_history():
    x = leaf([1.0, 2.0])
    y = x * 2
    mul = y.grad_fn
    assert y.add_(1) is y
    assert name(y.grad_fn) == "AddBackward0"
    assert y.grad_fn.next_functions[0][0] is mul
    close(y, [3, 5])
    (y * y).sum().backward()
    close(x.grad, [2 * 3 * 2, 2 * 5 * 2])


@pytest.mark.parametrize("op, expected_name, dfdx", [
    (lambda y: y.mul_(3), "MulBackward0", lambda x: 3 * np.ones_like(x)),
    (lambda y: y.sub_(1, alpha=2), "SubBackward0", lambda x: np.ones_like(x)),
    (lambda y: y.div_(4), "DivBackward0", lambda x: 0.25 * np.ones_like(x)),
    (lambda y: y.pow_(2), "PowBackward0", lambda x: 2 * x),
    (lambda y: y.exp_(), "ExpBackward0", lambda x: np.exp(x)),
    (lambda y: y.sigmoid_(), "SigmoidBackward0",
     lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    (lambda y: y.tanh_(), "TanhBackward0", lambda x: 1 - np.tanh(x) ** 2),
    (lambda y: y.relu_(), "ReluBackward0", lambda x: (x > 0).astype(float)),
    (lambda y: y.clamp_(-0.7, 0.7), "ClampBackward1", lambda x: (abs(x) <= 0.7).astype(float)),
    (lambda y: y.neg_(), "NegBackward0", lambda x: -np.ones_like(x)),
])
def test_inplace_ops_on_non_leaf(op, expected_name, dfdx):
    xv = np.array([0.5, -1.0, 2.0])
    x = leaf(xv.tolist())
    y = x + 0
    r = op(y)
    assert r is y and name(y.grad_fn) == expected_name
    y.sum().backward()
    close(x.grad, dfdx(xv), atol=1e-5)


def test_inplace_op_with_itself_as_other_saves_a_modified_tensor():
    # PyTorch too saves `other` (the same tensor) for mul_(self) and refuses the backward
    x = leaf([0.5, -1.0, 2.0])
    y = x + 0
    y.mul_(y)
    close(y, [0.25, 1.0, 4.0])
    with raises_exact(RuntimeError, MODIFIED.format(type=y.type(), shape="3", op="Mul", now=1,
                                                    then=0)):
        y.sum().backward()
    assert x.grad is None


def test_augmented_assignment_operators_rebase_history():
    x = leaf([1.0, 2.0])
    y = x * 1
    ident = id(y)
    y += 1
    y *= x
    y -= 0.5
    y /= 2
    assert id(y) == ident and name(y.grad_fn) == "DivBackward0"
    y.sum().backward()
    close(x.grad, (2 * vals(x) + 1) / 2)


def test_inplace_through_view_gives_base_copy_slices():
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = x * 1
    mul = y.grad_fn
    row = y[0]  # a view taken before the write
    y[:, 1].mul_(2)
    assert name(y.grad_fn) == "CopySlices"
    assert y.grad_fn.next_functions[0][0] is mul
    close(y, [[1, 4, 3], [4, 10, 6]])
    # the earlier view sees the write, and its grad_fn is regenerated onto the new history
    close(row, [1, 4, 3])
    assert row.grad_fn.next_functions[0][0] is y.grad_fn
    (y * y).sum().backward()
    xv = vals(x)
    scale = np.array([[1, 2, 1], [1, 2, 1]], dtype=float)
    close(x.grad, 2 * xv * scale ** 2)


def test_view_grad_fn_regenerated_and_differentiable():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x * 1
    v = y[1]
    y.add_(10)
    assert v.grad_fn is not None and v.grad_fn.next_functions[0][0] is y.grad_fn
    (v * v).sum().backward()
    close(x.grad, [[0, 0], [2 * 13, 2 * 14]])


def test_setitem_of_tensor_requiring_grad_into_constant():
    x = leaf([1.0, 2.0, 3.0])
    z = agrad.zeros(2, 3)
    z[0] = x * 2
    assert z.requires_grad and not z.is_leaf and name(z.grad_fn) == "CopySlices"
    close(z, [[2, 4, 6], [0, 0, 0]])
    (z * agrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    close(x.grad, [2, 4, 6])


def test_setitem_scalar_and_mask_on_non_leaf():
    x = leaf([0.5, -1.0, 2.0, 3.0])
    y = x * 2
    y[1] = 7.0
    assert name(y.grad_fn) == "CopySlices"
    y[y > 5] = 0.0
    assert name(y.grad_fn) == "IndexPutBackward0"
    close(y, [1, 0, 4, 0])
    y.sum().backward()
    close(x.grad, [2, 0, 2, 0])


def test_multi_step_view_chain_write_back():
    x = leaf(np.arange(6.0).tolist())
    b = x * 1
    y = b.view(2, 3)
    v = y.t()[1:]  # (2, 2) view of a view
    v.mul_(3)
    assert name(b.grad_fn) == "CopySlices"
    assert y.grad_fn.next_functions[0][0] is b.grad_fn  # y's history regenerated
    expected = np.arange(6.0).reshape(2, 3)
    expected[:, 1:] *= 3
    close(y, expected)
    y.sum().backward()
    close(x.grad, [1, 3, 3, 1, 3, 3])


def test_copy_into_constant_and_view():
    x = leaf([1.0, 2.0, 3.0])
    z = agrad.zeros(3)
    z.copy_(x * x)
    assert name(z.grad_fn) == "CopyBackwards" and z.requires_grad
    z.sum().backward()
    close(x.grad, [2, 4, 6])
    x.grad = None
    y = agrad.zeros(2, 3) + 0
    y[1].copy_(x)
    assert name(y.grad_fn) == "CopySlices"
    (y * 2).sum().backward()
    close(x.grad, [2, 2, 2])


def test_fill_and_zero_on_non_leaf_cut_the_gradient():
    x = leaf([1.0, 2.0])
    y = x * 3
    y.fill_(2.0)
    close(y, [2, 2])
    (y * x).sum().backward()
    close(x.grad, [2, 2])  # only the direct use
    x.grad = None
    y = x * 3
    y.zero_()
    assert name(y.grad_fn) == "ZeroBackward0"
    (y + x).sum().backward()
    close(x.grad, [1, 1])


def test_inplace_on_leaf_allowed_under_no_grad():
    w = leaf([1.0, 2.0])
    (w * w).sum().backward()
    with agrad.no_grad():
        w -= 0.5 * w.grad
        w.grad.zero_()
    close(w, [0, 0])
    assert w.is_leaf and w.requires_grad and w.grad_fn is None


# ---------------------------------------------------------------------------------------------
# errors: type, message, and nothing changed after

def test_error_modified_saved_tensor():
    a = leaf([1.0, 2.0])
    b = a * 2
    c = b * b
    b.add_(1)
    msg = MODIFIED.format(type=b.type(), shape="2", op="Add", now=1, then=0)
    with raises_exact(RuntimeError, msg):
        c.sum().backward()
    assert a.grad is None
    close(b, [3, 5])
    close(c, [4, 16])
    b.mul_(2)
    with raises_exact(RuntimeError, MODIFIED.format(type=b.type(), shape="2", op="Mul", now=2,
                                                    then=0)):
        c.sum().backward()
    assert a.grad is None


def test_error_modified_saved_output():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    c = a.exp()
    c.add_(1)
    with raises_exact(RuntimeError,
                      MODIFIED.format(type=c.type(), shape="2, 2", op="Exp", now=1, then=0)):
        c.sum().backward()
    assert a.grad is None
    close(c, np.exp([[1.0, 2.0], [3.0, 4.0]]) + 1, atol=1e-4)


def test_error_modified_saved_leaf():
    a = leaf([1.0, 2.0])
    b = agrad.tensor([3.0, 4.0])
    c = a * b
    b.add_(1)  # b does not require grad; it is saved for a's gradient
    with raises_exact(RuntimeError, MODIFIED.format(type=b.type(), shape="2", op="Mul",
                                                    now=1, then=0)
                      .replace(", which is output 0 of Mul,", "")):
        c.sum().backward()
    assert a.grad is None


def test_error_leaf_requiring_grad_used_in_place():
    for op in (lambda x: x.add_(1), lambda x: x.mul_(2), lambda x: x.zero_(),
               lambda x: x.fill_(3.0), lambda x: x.copy_(agrad.ones(2)), lambda x: x.exp_(),
               lambda x: x.__iadd__(1)):
        x = leaf([1.0, 2.0])
        with raises_exact(RuntimeError, LEAF_INPLACE):
            op(x)
        close(x, [1, 2])
        assert x.grad is None and x.is_leaf and x.grad_fn is None


def test_error_view_of_leaf_used_in_place():
    for op in (lambda x: x[0].add_(1), lambda x: x.t().mul_(2), lambda x: x[:1].zero_(),
               lambda x: x.__setitem__(0, 5.0), lambda x: x.__setitem__(slice(0, 1), 5.0),
               lambda x: x.view(2, 2).fill_(0.0)):
        x = leaf([[1.0, 2.0], [3.0, 4.0]])
        with raises_exact(RuntimeError, VIEW_LEAF_INPLACE):
            op(x)
        close(x, [[1, 2], [3, 4]])
        assert x.grad is None and x.grad_fn is None


def test_error_second_backward_through_freed_buffers():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with raises_exact(RuntimeError, FREED):
        y.backward()
    close(x.grad, [2, 4])
    z = x.exp().sum()  # saved output
    autograd.grad(z, x)
    with raises_exact(RuntimeError, FREED):
        autograd.grad(z, x)


def test_error_implicit_grad_of_non_scalar():
    x = leaf([1.0, 2.0])
    y = x * 2
    with raises_exact(RuntimeError, "grad can be implicitly created only for scalar outputs"):
        y.backward()
    assert x.grad is None
    with raises_exact(RuntimeError, "grad can be implicitly created only for scalar outputs"):
        autograd.grad(y, x)
    y.sum().backward()  # the graph is intact
    close(x.grad, [2, 2])


def test_error_backward_on_tensor_not_requiring_grad():
    x = agrad.tensor([1.0, 2.0])
    with raises_exact(RuntimeError,
                      "element 0 of tensors does not require grad and does not have a grad_fn"):
        x.sum().backward()
    assert x.grad is None
    with agrad.no_grad():
        y = leaf([1.0]) * 2
    with raises_exact(RuntimeError,
                      "element 0 of tensors does not require grad and does not have a grad_fn"):
        y.backward()


def test_error_gradient_shape_mismatch():
    x = leaf([1.0, 2.0])
    y = x * 2
    with raises_exact(RuntimeError,
                      "Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and "
                      "output[0] has a shape of torch.Size([2])."):
        y.backward(agrad.ones(3))
    assert x.grad is None
    with raises_exact(RuntimeError,
                      "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and "
                      "output[0] has a shape of torch.Size([])."):
        autograd.grad(y.sum(), x, agrad.ones(2))
    y.backward(agrad.ones(2))
    close(x.grad, [2, 2])


def test_error_hooks_and_retain_grad_need_requires_grad():
    x = agrad.tensor([1.0])
    with raises_exact(RuntimeError,
                      "cannot register a hook on a tensor that doesn't require gradient"):
        x.register_hook(lambda g: g)
    with raises_exact(RuntimeError, "can't retain_grad on Tensor that has requires_grad=False"):
        x.retain_grad()


# ---------------------------------------------------------------------------------------------
# grad modes

def test_no_grad_context_and_decorators():
    x = leaf([1.0, 2.0])
    assert agrad.is_grad_enabled()
    with agrad.no_grad():
        assert not agrad.is_grad_enabled()
        y = x * 2
    assert agrad.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None

    @agrad.no_grad()
    def f(t):
        """doc"""
        return t * 2, agrad.is_grad_enabled()

    @agrad.no_grad
    def g(t):
        return t * 3

    r, enabled = f(x)
    assert not r.requires_grad and not enabled and f.__name__ == "f" and f.__doc__ == "doc"
    assert not g(x).requires_grad
    assert agrad.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError), agrad.no_grad():
        raise ValueError
    assert agrad.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = leaf([1.0])
    with agrad.no_grad():
        with agrad.enable_grad():
            assert agrad.is_grad_enabled()
            y = x * 2
        assert not agrad.is_grad_enabled()

        @agrad.enable_grad()
        def h():
            return x * 3

        z = h()
    assert y.requires_grad and z.requires_grad


def test_set_grad_enabled_statement_context_and_decorator():
    x = leaf([1.0])
    agrad.set_grad_enabled(False)
    try:
        assert not agrad.is_grad_enabled()
        assert not (x * 2).requires_grad
    finally:
        agrad.set_grad_enabled(True)
    assert agrad.is_grad_enabled()
    with agrad.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert agrad.is_grad_enabled()
    with agrad.no_grad():
        with agrad.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not agrad.is_grad_enabled()

    @agrad.set_grad_enabled(False)
    def f():
        return x * 2

    assert agrad.is_grad_enabled()
    assert not f().requires_grad
    assert agrad.is_grad_enabled()


def test_inference_mode():
    x = leaf([1.0, 2.0])
    with agrad.inference_mode():
        assert not agrad.is_grad_enabled() and agrad.is_inference_mode_enabled()
        y = x * 2
        with agrad.inference_mode(False):
            assert not agrad.is_inference_mode_enabled()
    assert agrad.is_grad_enabled() and not agrad.is_inference_mode_enabled()
    assert not y.requires_grad and y.grad_fn is None
    close(y, [2, 4])

    @agrad.inference_mode()
    def f():
        return x * 3

    @agrad.inference_mode
    def g():
        return x * 4

    assert not f().requires_grad and not g().requires_grad
    assert agrad.is_grad_enabled()


def test_grad_mode_is_thread_local():
    x = leaf([1.0, 2.0])
    started, release = threading.Event(), threading.Event()
    seen = {}

    def worker():
        seen["enabled_at_start"] = agrad.is_grad_enabled()
        seen["records"] = (x * 2).requires_grad
        with agrad.no_grad():
            started.set()
            release.wait(10)
            seen["worker_disabled"] = not agrad.is_grad_enabled()

    with agrad.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        assert started.wait(10)
        # the worker is inside no_grad; this thread's own mode is what it set
        assert not agrad.is_grad_enabled()
        with agrad.enable_grad():
            assert (x * 2).requires_grad
        release.set()
        t.join(10)
    assert seen == {"enabled_at_start": True, "records": True, "worker_disabled": True}
    assert agrad.is_grad_enabled()


def test_backward_in_another_thread():
    x = leaf([1.0, 2.0])
    out = {}

    def worker():
        (g,) = autograd.grad((x * x).sum(), x)
        out["g"] = vals(g)

    t = threading.Thread(target=worker)
    t.start()
    t.join(30)
    np.testing.assert_allclose(out["g"], [2, 4])


# ---------------------------------------------------------------------------------------------
# hooks and retain_grad

def test_hook_on_leaf_changes_accumulated_grad():
    x = leaf([1.0, 2.0])
    seen = []
    h = x.register_hook(lambda g: seen.append(vals(g)) or g * 2)
    (x * 3).sum().backward()
    close(x.grad, [6, 6])
    np.testing.assert_allclose(seen[0], [3, 3])
    h.remove()
    (x * 3).sum().backward()
    close(x.grad, [9, 9])


def test_hook_on_non_leaf_changes_upstream_grad():
    x = leaf([1.0, 2.0])
    y = x * 3
    seen = []
    y.register_hook(lambda g: seen.append(vals(g)))  # observes only
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    np.testing.assert_allclose(seen[0], [1, 1])
    close(x.grad, [30, 30])


def test_hooks_run_in_registration_order():
    x = leaf([1.0])
    y = x * 1
    y.register_hook(lambda g: g + 1)
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    close(x.grad, [20])


def test_retain_grad():
    x = leaf([1.0, 2.0])
    y = x * 3
    z = y * y
    assert not y.retains_grad
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    x.retain_grad()  # a no-op on leaves
    assert not x.retains_grad
    z.sum().backward(retain_graph=True)
    close(y.grad, 2 * vals(y))
    g = y.grad
    z.sum().backward()
    close(y.grad, 4 * vals(y))
    # PyTorch's retain_grad hook sums out of place: the .grad read earlier keeps its value
    assert y.grad is not g
    close(g, 2 * vals(y))


def test_retain_grad_with_hook_sees_hooked_value():
    x = leaf([1.0, 2.0])
    y = x * 1
    y.retain_grad()
    y.register_hook(lambda g: g * 2)
    y.sum().backward()
    close(y.grad, [2, 2])
    close(x.grad, [2, 2])


def test_reading_grad_of_non_leaf_warns():
    x = leaf([1.0])
    y = x * 2
    with pytest.warns(UserWarning, match=re.escape(NONLEAF_GRAD)):
        assert y.grad is None
    y.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad is None
        assert x.grad is None


def test_node_hooks():
    x = leaf([1.0, 2.0])
    y = x * 2
    calls = []
    y.grad_fn.register_prehook(lambda gout: calls.append("pre") or (gout[0] * 10,))
    y.grad_fn.register_hook(lambda gin, gout: calls.append("post"))
    y.sum().backward()
    assert calls == ["pre", "post"]
    close(x.grad, [20, 20])


# ---------------------------------------------------------------------------------------------
# custom Function

class _Exp(Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        (r,) = ctx.saved_tensors
        return g * r


class _ScaledMul(Function):
    @staticmethod
    def forward(ctx, a, b, scale, flag):
        ctx.save_for_backward(a, b)
        ctx.scale = scale
        ctx.seen_needs = ctx.needs_input_grad
        return a * b * scale

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g * b * ctx.scale if ctx.needs_input_grad[0] else None
        gb = g * a * ctx.scale if ctx.needs_input_grad[1] else None
        return ga, gb, None, None


class _AddOne_(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g


def test_function_apply_and_saved_tensors():
    x = leaf([0.0, 1.0])
    y = _Exp.apply(x)
    assert name(y.grad_fn) == "_ExpBackward" and y.requires_grad
    close(y, np.exp([0.0, 1.0]), atol=1e-5)
    y.sum().backward()
    close(x.grad, np.exp([0.0, 1.0]), atol=1e-5)
    with raises_exact(RuntimeError, FREED):
        _ = y.grad_fn.saved_tensors


def test_function_needs_input_grad_and_non_tensor_args():
    a = leaf([1.0, 2.0])
    b = agrad.tensor([3.0, 4.0])
    y = _ScaledMul.apply(a, b, 2.0, True)
    assert y.grad_fn.seen_needs == (True, False, False, False)
    assert y.grad_fn.next_functions[0][0].variable is a
    assert y.grad_fn.next_functions[1] == (None, 0)
    y.sum().backward()
    close(a.grad, [6, 8])
    assert b.grad is None


def test_function_without_inputs_requiring_grad_records_nothing():
    y = _Exp.apply(agrad.tensor([0.0]))
    assert not y.requires_grad and y.grad_fn is None
    with agrad.no_grad():
        assert _Exp.apply(leaf([0.0])).grad_fn is None


def test_function_mark_dirty():
    x = leaf([1.0, 2.0])
    y = x * 1
    z = _AddOne_.apply(y)
    assert z is y and name(y.grad_fn) == "_AddOne_Backward"
    close(y, [2, 3])
    (z * z).sum().backward()
    close(x.grad, [4, 6])


def test_function_mark_dirty_on_leaf_errors():
    x = leaf([1.0, 2.0])
    with raises_exact(RuntimeError, "a leaf Variable that requires grad has been used in an "
                                    "in-place operation."):
        _AddOne_.apply(x)
    # forward ran (as in PyTorch, the check follows it); the leaf gained no history
    close(x, [2, 3])
    assert x.grad is None and x.grad_fn is None and x.is_leaf


def test_function_saved_input_modified_errors():
    a = leaf([1.0, 2.0])
    h = a * 1
    b = agrad.tensor([3.0, 4.0])
    y = _ScaledMul.apply(h, b, 1.0, False)
    h.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    assert a.grad is None


def test_function_double_backward():
    x = leaf([0.5, 1.0])
    y = _Exp.apply(x)
    (g,) = autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = autograd.grad(g.sum(), x)
    close(gg, np.exp([0.5, 1.0]), atol=1e-5)


def test_function_mark_non_differentiable_and_materialize():
    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            m = x * 2
            mask = x > 0
            ctx.mark_non_differentiable(mask)
            return m, mask

        @staticmethod
        def backward(ctx, gm, gmask):
            assert gm is not None
            return gm * 2

    x = leaf([1.0, -1.0])
    m, mask = Twice.apply(x)
    assert m.requires_grad and not mask.requires_grad
    m.sum().backward()
    close(x.grad, [2, 2])


def test_function_returning_input_as_is_gives_new_tensor():
    class Ident(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = leaf([1.0])
    y = Ident.apply(x)
    assert y is not x and x.is_leaf and name(y.grad_fn) == "IdentBackward"
    y.sum().backward()
    close(x.grad, [3])


def test_function_with_separate_setup_context():
    class Cube(Function):
        @staticmethod
        def forward(x):
            return x ** 3

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x * x

    x = leaf([1.0, -2.0])
    y = Cube.apply(x)
    assert name(y.grad_fn) == "CubeBackward"
    y.sum().backward()
    close(x.grad, [3, 12])


def test_function_ctx_attributes_do_not_confuse_the_engine():
    class Keep(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.tensors = (x,)  # any attribute name is the user's
            ctx.variable = "mine"
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = leaf([1.0, 2.0])
    y = Keep.apply(x)
    y.register_hook(lambda g: g * 10)
    assert y.grad_fn.tensors[0] is x and y.grad_fn.variable == "mine"
    y.sum().backward()
    close(x.grad, [20, 20])


def test_function_gradient_kept_by_user_is_not_stolen_into_grad():
    class Const(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.g = agrad.full(tuple(x.shape), 3.0)
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return ctx.g  # a tensor the ctx keeps

    x = leaf([1.0, 2.0])
    y = Const.apply(x)
    kept = y.grad_fn.g
    y.sum().backward()
    Const.apply(x).sum().backward()  # accumulates in place into x.grad
    close(x.grad, [6, 6])
    close(kept, [3, 3])


# ---------------------------------------------------------------------------------------------
# Variable

def test_variable_wraps_a_tensor():
    t = agrad.tensor([1.0, 2.0])
    v = Variable(t, requires_grad=True)
    assert isinstance(v, agrad.Tensor) and isinstance(v, Variable) and isinstance(t, Variable)
    assert v.requires_grad and v.is_leaf and not t.requires_grad
    (v * v).sum().backward()
    close(v.grad, [2, 4])
    v.data.add_(1)  # shares storage with t
    close(t, [2, 3])
    assert not Variable(agrad.ones(2)).requires_grad
    with pytest.raises(TypeError):
        Variable([1.0, 2.0])


def test_variable_volatile_warns_as_pytorch():
    with pytest.warns(UserWarning, match="^" + re.escape(
            "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.")
            + "$"):
        v = Variable(agrad.ones(2), volatile=True)
    assert not v.requires_grad


# ---------------------------------------------------------------------------------------------
# the engine

@pytest.mark.backends("numpy")
def test_long_chain_backprops_iteratively_and_frees_without_recursion():
    x = leaf(1.0, dtype=agrad.float64)
    y = x
    for i in range(100_000):
        y = y * 1.00001 if i % 2 else y + 0.5
    first = y.grad_fn
    y.backward()
    close(x.grad, 1.00001 ** 50_000, atol=1e-6)
    wr = weakref.ref(first)
    del first, y  # freeing a 100,000-node chain must not recurse either
    assert wr() is None


def test_diamond_graph_sums_gradients_before_running_node():
    x = leaf([1.0, 2.0])
    h = x * x
    calls = []
    h.grad_fn.register_prehook(lambda g: calls.append(1))
    y = (h * 2 + h.exp() + h).sum()
    y.backward()
    assert calls == [1]
    xv = vals(x)
    close(x.grad, (3 + np.exp(xv ** 2)) * 2 * xv, atol=1e-4)


def test_saved_tensors_freed_after_backward():
    x = leaf([1.0, 2.0])
    a = x.exp()
    b = a * a
    wr = weakref.ref(a)
    del a
    assert wr() is not None  # held by b's node as a saved input
    b.sum().backward()
    assert wr() is None
    assert b.grad_fn is not None


def test_saved_tensors_kept_with_retain_graph():
    x = leaf([1.0, 2.0])
    a = x.exp()
    b = a * a
    wr = weakref.ref(a)
    del a
    b.sum().backward(retain_graph=True)
    assert wr() is not None
    b.sum().backward()
    assert wr() is None


def _graph_refs():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    w = leaf([0.5, -0.5])
    h = x * w
    e = h.exp()
    v = e[0]
    s = (v * h[1] + e.sum(0)).sum()
    refs = [weakref.ref(t) for t in (h, e, v, s)]
    refs += [weakref.ref(t.grad_fn) for t in (h, e, v, s)]
    refs.append(weakref.ref(x.grad_fn if x.grad_fn else h.grad_fn.next_functions[0][0]))
    return x, w, s, refs


def test_graph_freed_by_refcounting_after_backward():
    gc.collect()
    gc.disable()
    try:
        x, w, s, refs = _graph_refs()
        s.backward()
        del s
        assert [r() for r in refs] == [None] * len(refs)
        assert x.grad is not None and w.grad is not None
    finally:
        gc.enable()


def test_graph_freed_by_refcounting_without_backward():
    gc.collect()
    gc.disable()
    try:
        x, w, s, refs = _graph_refs()
        del s
        assert [r() for r in refs] == [None] * len(refs)
    finally:
        gc.enable()


def test_graph_with_hooks_inplace_views_freed_by_refcounting():
    gc.collect()
    gc.disable()
    try:
        x = leaf([1.0, 2.0, 3.0])
        y = x * 2
        y.retain_grad()
        y.register_hook(lambda g: g * 1)
        v = y[1:]
        v.mul_(2)
        z = y.exp()
        loss = (z * v.sum()).sum()
        refs = [weakref.ref(t) for t in (y, v, z, loss)]
        refs += [weakref.ref(y.grad_fn), weakref.ref(v.grad_fn), weakref.ref(z.grad_fn)]
        loss.backward()
        del y, v, z, loss
        assert [r() for r in refs] == [None] * len(refs)
        x.grad = None
        # create_graph results and autograd.grad too
        h = x.sin()
        (g,) = autograd.grad((h * h).sum(), x, create_graph=True)
        (gg,) = autograd.grad(g.sum(), x)
        refs = [weakref.ref(h), weakref.ref(g), weakref.ref(h.grad_fn), weakref.ref(g.grad_fn)]
        del h, g, gg
        assert [r() for r in refs] == [None] * len(refs)
        # custom Function
        y = _Exp.apply(x * 1)
        refs = [weakref.ref(y), weakref.ref(y.grad_fn)]
        y.sum().backward()
        del y
        assert [r() for r in refs] == [None] * len(refs)
    finally:
        gc.enable()


def _rss() -> int:
    psutil = pytest.importorskip("psutil")
    return psutil.Process().memory_info().rss


@pytest.mark.backends("numpy")
def test_memory_flat_over_10000_training_steps():
    """A small 2-layer training loop: neither process memory nor the number of live
    (gc-tracked) objects grows with the number of steps."""
    agrad.manual_seed(0)
    x = agrad.randn(4, 3)
    target = agrad.randn(4, 1)
    w1 = agrad.randn(3, 5, requires_grad=True)
    w2 = agrad.randn(5, 1, requires_grad=True)
    lr = 1e-3

    def step():
        h = x.mm(w1).clamp(min=0)
        pred = h.mm(w2)
        loss = (pred - target).pow(2).sum()
        loss.backward()
        with agrad.no_grad():
            w1.sub_(lr * w1.grad)
            w2.sub_(lr * w2.grad)
            w1.grad.zero_()
            w2.grad.zero_()
        return loss.item()

    _rss()  # imports psutil before anything is counted
    first = step()
    for _ in range(999):
        step()
    gc.collect()
    objects0, rss0 = len(gc.get_objects()), _rss()
    for _ in range(9_000):
        last = step()
    gc.collect()
    objects1, rss1 = len(gc.get_objects()), _rss()
    assert last < first  # it trained
    assert objects1 - objects0 < 200, f"{objects1 - objects0} more live objects after 9,000 steps"
    assert rss1 - rss0 < 8 * 2 ** 20, f"RSS grew by {(rss1 - rss0) / 2 ** 20:.1f} MiB"


def test_accumulation_into_zeroed_grad_keeps_pytorchs_semantics(backend):
    # zero_ leaves a read-only zero stand-in and the next accumulation takes the gradient's
    # buffer (no pass over zeros); everything observable is as an in-place add
    w = leaf([[1.0, 2.0], [3.0, 4.0]])
    (w * 3).sum().backward()
    g = w.grad
    view = g[0]
    g.zero_()
    assert g.tolist() == [[0.0, 0.0], [0.0, 0.0]] and view.tolist() == [0.0, 0.0]
    v0 = g._vc.version
    (w * w).sum().backward()
    assert w.grad is g and g._vc.version > v0
    close(g, [[2.0, 4.0], [6.0, 8.0]])
    close(view, [2.0, 4.0])  # a view taken before sees the sum, as with an in-place add
    g.add_(1.0)  # writes after the steal land in the tensor's own buffer
    close(w.grad, [[3.0, 5.0], [7.0, 9.0]])
    if agrad.current_backend().in_place:  # where .numpy() aliases (not Dask's computed copy)
        g.zero_()
        arr = g.numpy()  # a writable alias of the zeros: the next accumulation adds into it
        arr[0, 0] = 5.0
        (w * 2).sum().backward()
        close(w.grad, [[7.0, 2.0], [2.0, 2.0]])
        assert np.shares_memory(arr, w.grad.numpy())
