"""The seeds' two-layer network, trained three ways with `import agrad as torch`.

A fully connected ReLU network with one hidden layer, no biases, trained to predict y from x by
minimizing the squared Euclidean distance (the classic "PyTorch: Tensors and autograd" example):

  manual    forward and backward written by hand (`grad_h[h < 0] = 0`, `w1 -= lr * grad_w1`)
  variable  autograd through `Variable`, updating `w.data` and zeroing `w.grad.data`
  no_grad   autograd, updating the weights under `with torch.no_grad():`, `w.grad.zero_()`

The code is the tutorial's PyTorch code; only the imports differ. It runs on whichever backend
is configured, unchanged:

    python examples/two_layer_net.py                          # NumPy (CPU)
    AGRAD_BACKEND=dask python examples/two_layer_net.py       # Dask (lazy, chunked)
    python examples/two_layer_net.py --mode manual --steps 100

Data and initial weights are drawn on the CPU from a seeded generator and then moved to the
default device, so every backend starts from the same numbers and prints the same losses (up to
float32 rounding).
"""

from __future__ import annotations

import argparse
import time

import agrad as torch
from agrad.autograd import Variable

dtype = torch.FloatTensor  # float32
N, D_in, H, D_out = 64, 1000, 100, 10  # batch size, input, hidden and output dimensions
learning_rate = 1e-6

# Where new tensors go: 'cpu' (NumPy) by default, 'dask' with AGRAD_BACKEND=dask, ...
device = torch.empty(0).device


def make_data():
    """x, y, w1, w2: the same values on every backend (drawn on the CPU, then moved)."""
    torch.manual_seed(0)
    x = torch.randn(N, D_in, device="cpu").type(dtype).to(device)
    y = torch.randn(N, D_out, device="cpu").type(dtype).to(device)
    w1 = torch.randn(D_in, H, device="cpu").type(dtype).to(device)
    w2 = torch.randn(H, D_out, device="cpu").type(dtype).to(device)
    return x, y, w1, w2


def report(t, loss, steps, every):
    if t % every == 0 or t == steps - 1:
        print(t, loss.item())


def train_manual(steps, every=50):
    """Seed 002, part 1: the backward pass written by hand."""
    x, y, w1, w2 = make_data()
    for t in range(steps):
        # forward: predict y
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)

        loss = (y_pred - y).pow(2).sum()
        report(t, loss, steps, every)

        # backward: gradients of the loss with respect to w1 and w2
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h_relu = grad_y_pred.mm(w2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)

        # gradient descent
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return loss.item()


def train_variable(steps, every=50):
    """Seed 002, part 2: autograd through Variable, updating `.data`."""
    x, y, w1, w2 = make_data()
    x = Variable(x, requires_grad=False)
    y = Variable(y, requires_grad=False)
    w1 = Variable(w1, requires_grad=True)
    w2 = Variable(w2, requires_grad=True)
    for t in range(steps):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)

        loss = (y_pred - y).pow(2).sum()
        report(t, loss, steps, every)

        loss.backward()

        w1.data -= learning_rate * w1.grad.data
        w2.data -= learning_rate * w2.grad.data

        w1.grad.data.zero_()
        w2.grad.data.zero_()
    return loss.item()


def train_no_grad(steps, every=50):
    """Today's idiom: tensors that require grad, updates under `torch.no_grad()`."""
    x, y, w1, w2 = make_data()
    w1.requires_grad_(True)
    w2.requires_grad_(True)
    for t in range(steps):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)

        loss = (y_pred - y).pow(2).sum()
        report(t, loss, steps, every)

        loss.backward()

        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return loss.item()


MODES = {"manual": train_manual, "variable": train_variable, "no_grad": train_no_grad}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mode", choices=[*MODES, "all"], default="all")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--every", type=int, default=50, help="print the loss every EVERY steps")
    args = p.parse_args(argv)

    print(f"agrad {torch.__version__}, device {device}, "
          f"N, D_in, H, D_out = {N}, {D_in}, {H}, {D_out}, lr {learning_rate}, {args.steps} steps")
    finals = {}
    for mode in MODES if args.mode == "all" else [args.mode]:
        print(f"-- {mode}")
        t0 = time.perf_counter()
        finals[mode] = MODES[mode](args.steps, args.every)
        print(f"{mode}: final loss {finals[mode]:.6g} after {args.steps} steps "
              f"({time.perf_counter() - t0:.2f} s)")
    if len(finals) > 1:
        ref = finals["manual"]
        spread = max(abs(v - ref) / max(abs(ref), 1e-30) for v in finals.values())
        print(f"final losses agree across modes to {spread:.1e} (relative)")


if __name__ == "__main__":
    main()
