"""Convolution and pooling, forward + backward, side by side: a hand-written NumPy im2col floor,
agrad (im2col composed of agrad ops: strided slices, stack, matmul) and PyTorch CPU.

    python benchmarks/bench_conv.py                     # 15 interleaved repeats of 10 calls
    python benchmarks/bench_conv.py --repeats 9 --number 5 --threads 2

Cases, on a batch of 32 images (MNIST-sized, 28 x 28):

  conv1   conv2d 1 -> 8 channels, 3 x 3, bias, no padding; gradients w.r.t. weight and bias
          (a first layer)
  conv2   conv2d 8 -> 16 channels, 3 x 3, padding 1, bias, on 14 x 14; gradients w.r.t. input,
          weight and bias (an inner layer)
  maxpool max_pool2d 2 x 2 on 32 x 8 x 28 x 28, gradient w.r.t. input
  avgpool avg_pool2d 2 x 2, the same
  cnn     the whole small model: conv(1 -> 8, padding 1)-ReLU-maxpool-conv2-ReLU-maxpool-
          Linear(784, 10) with cross-entropy, forward + backward (nn layers)

Each call is one forward and one backward of sum(out * G) (a fixed G), so every contender does
the same work; values are checked against NumPy before timing. BLAS/OpenMP pools are pinned to
`--threads` (default 1) before NumPy or torch is imported. Reported: microseconds per forward +
backward, the median over interleaved repeats (min in parentheses), and ratios to the floor.
"""

from __future__ import annotations

import argparse

from _common import interleaved, machine, pin_threads, pin_torch_threads, summary

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("--repeats", type=int, default=15)
p.add_argument("--number", type=int, default=10, help="calls per timed run")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--no-torch", action="store_true")
args = p.parse_args()
pin_threads(args.threads)

import numpy as np  # noqa: E402 - after the thread pinning

import agrad  # noqa: E402
import agrad.nn as ann  # noqa: E402

rng = np.random.default_rng(0)
f32 = np.float32
X1 = rng.standard_normal((32, 1, 28, 28), dtype=f32)
W1 = rng.standard_normal((8, 1, 3, 3), dtype=f32) * 0.3
B1 = rng.standard_normal(8, dtype=f32)
X2 = rng.standard_normal((32, 8, 14, 14), dtype=f32)
W2 = rng.standard_normal((16, 8, 3, 3), dtype=f32) * 0.1
B2 = rng.standard_normal(16, dtype=f32)
XP = rng.standard_normal((32, 8, 28, 28), dtype=f32)
G1 = rng.standard_normal((32, 8, 26, 26), dtype=f32)
G2 = rng.standard_normal((32, 16, 14, 14), dtype=f32)
GP = rng.standard_normal((32, 8, 14, 14), dtype=f32)
WL = rng.standard_normal((10, 16 * 7 * 7), dtype=f32) * 0.05
BL = np.zeros(10, f32)
LABELS = rng.integers(0, 10, 32)


# -- NumPy floor -------------------------------------------------------------------------------

def np_conv(x, w, b, g, pad, need_input_grad):
    """im2col (kernel-offset slices stacked, as agrad does) + batched matmul, forward and
    backward; returns (out, grad_x, grad_w, grad_b)."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    oh, ow = h - kh + 1, wd - kw + 1
    cols = np.stack([x[:, :, i:i + oh, j:j + ow] for i in range(kh) for j in range(kw)], 2)
    cols = cols.reshape(n, c * kh * kw, oh * ow)
    wmat = w.reshape(o, -1)
    out = (wmat @ cols).reshape(n, o, oh, ow) + b[:, None, None]
    gmat = g.reshape(n, o, oh * ow)
    grad_w = np.einsum("nol,nkl->ok", gmat, cols).reshape(w.shape)
    grad_b = g.sum((0, 2, 3))
    grad_x = None
    if need_input_grad:
        gcols = (wmat.T @ gmat).reshape(n, c, kh * kw, oh, ow)
        grad_x = np.zeros_like(x)
        for k, (i, j) in enumerate((i, j) for i in range(kh) for j in range(kw)):
            grad_x[:, :, i:i + oh, j:j + ow] += gcols[:, :, k]
        if pad:
            grad_x = grad_x[:, :, pad:-pad, pad:-pad]
    return out, grad_x, grad_w, grad_b


_OFFSETS = ((0, 0), (0, 1), (1, 0), (1, 1))


def np_maxpool(x, g):
    """2 x 2 max pooling as the maximum of four strided slices; the backward sends each
    gradient to the first slice equal to the maximum (PyTorch's choice among ties)."""
    parts = [x[:, :, i::2, j::2] for i, j in _OFFSETS]
    out = np.maximum(np.maximum(parts[0], parts[1]), np.maximum(parts[2], parts[3]))
    grad = np.zeros_like(x)
    taken = np.zeros(out.shape, bool)
    for (i, j), part in zip(_OFFSETS, parts):
        hit = (part == out) & ~taken
        grad[:, :, i::2, j::2] = np.where(hit, g, 0)
        taken |= hit
    return out, grad


def np_avgpool(x, g):
    parts = [x[:, :, i::2, j::2] for i, j in _OFFSETS]
    out = (parts[0] + parts[1] + parts[2] + parts[3]) * 0.25
    grad = np.empty_like(x)
    for i, j in _OFFSETS:
        grad[:, :, i::2, j::2] = g * 0.25
    return out, grad


def np_cnn():
    """conv1-relu-maxpool-conv2-relu-maxpool-linear-cross_entropy, forward and backward."""
    a1, _, _, _ = np_conv(X1, W1, B1, np.zeros((32, 8, 28, 28), f32), 1, False)
    r1 = np.maximum(a1, 0)
    p1, _ = np_maxpool(r1, np.zeros((32, 8, 14, 14), f32))
    a2, _, _, _ = np_conv(p1, W2, B2, np.zeros((32, 16, 14, 14), f32), 1, False)
    r2 = np.maximum(a2, 0)
    p2, _ = np_maxpool(r2, np.zeros((32, 16, 7, 7), f32))
    flat = p2.reshape(32, -1)
    logits = flat @ WL.T + BL
    m = logits.max(1, keepdims=True)
    e = np.exp(logits - m)
    prob = e / e.sum(1, keepdims=True)
    loss = -np.log(prob[np.arange(32), LABELS]).mean()
    gl = prob.copy()
    gl[np.arange(32), LABELS] -= 1
    gl /= 32
    gflat = gl @ WL
    _ = gl.T @ flat, gl.sum(0)
    gp2 = gflat.reshape(p2.shape)
    _, gr2 = np_maxpool(r2, gp2)
    ga2 = gr2 * (a2 > 0)
    _, gp1, _, _ = np_conv(p1, W2, B2, ga2, 1, True)
    _, gr1 = np_maxpool(r1, gp1)
    ga1 = gr1 * (a1 > 0)
    np_conv(X1, W1, B1, ga1, 1, False)
    return loss


# -- the same work written once, run with agrad and with torch ---------------------------------

def cases(lib, nn_, F_conv2d, F_max, F_avg):
    t = lib.from_numpy

    def conv1():
        w, b = t(W1.copy()).requires_grad_(), t(B1.copy()).requires_grad_()
        x, g = t(X1), t(G1)

        def run():
            w.grad = b.grad = None
            out = F_conv2d(x, w, b)
            (out * g).sum().backward()
            return out
        return run

    def conv2():
        w, b = t(W2.copy()).requires_grad_(), t(B2.copy()).requires_grad_()
        x, g = t(X2.copy()).requires_grad_(), t(G2)

        def run():
            x.grad = w.grad = b.grad = None
            out = F_conv2d(x, w, b, padding=1)
            (out * g).sum().backward()
            return out
        return run

    def pool(fn):
        def make():
            x, g = t(XP.copy()).requires_grad_(), t(GP)

            def run():
                x.grad = None
                out = fn(x, 2)
                (out * g).sum().backward()
                return out
            return run
        return make

    def cnn():
        model = nn_.Sequential(nn_.Conv2d(1, 8, 3, padding=1), nn_.ReLU(),
                               nn_.MaxPool2d(2), nn_.Conv2d(8, 16, 3, padding=1), nn_.ReLU(),
                               nn_.MaxPool2d(2), nn_.Flatten(), nn_.Linear(16 * 7 * 7, 10))
        with lib.no_grad():
            for param, v in zip(model.parameters(), (W1, B1, W2, B2, WL, BL)):
                param.copy_(t(v))
        loss_fn = nn_.CrossEntropyLoss()
        x, y = t(X1), t(LABELS)

        def run():
            model.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            return loss
        return run

    return {"conv1": conv1, "conv2": conv2, "maxpool": pool(F_max), "avgpool": pool(F_avg),
            "cnn": cnn}


def main() -> None:
    contenders = {"agrad": cases(agrad, ann, ann.conv2d, ann.max_pool2d, ann.avg_pool2d)}
    if not args.no_torch:
        import torch

        pin_torch_threads(torch, args.threads)
        tf = torch.nn.functional
        contenders["torch"] = cases(torch, torch.nn, tf.conv2d, tf.max_pool2d, tf.avg_pool2d)
    floor = {
        "conv1": lambda: np_conv(X1, W1, B1, G1, 0, False),
        "conv2": lambda: np_conv(X2, W2, B2, G2, 1, True),
        "maxpool": lambda: np_maxpool(XP, GP),
        "avgpool": lambda: np_avgpool(XP, GP),
        "cnn": np_cnn,
    }
    print(f"conv/pool forward+backward, batch 32; {args.repeats} interleaved repeats of "
          f"{args.number} calls; {args.threads} thread(s)")
    print(machine() + (f", torch {torch.__version__}" if not args.no_torch else ""))

    # agreement before timing
    checks = {"conv1": floor["conv1"]()[0], "conv2": floor["conv2"]()[0],
              "maxpool": floor["maxpool"]()[0], "avgpool": floor["avgpool"]()[0],
              "cnn": floor["cnn"]()}
    for lib, cs in contenders.items():
        for name, make in cs.items():
            got = np.asarray(make()().detach().tolist(), dtype=np.float64)
            err = np.abs(got - checks[name]).max() / max(1.0, np.abs(checks[name]).max())
            flag = "" if err < 1e-4 else "   <-- DISAGREES"
            print(f"  {lib:6s} {name:8s} max rel. diff. to NumPy {err:.1e}{flag}")

    print(f"\n{'case':8s} {'numpy us':>10s} {'agrad us':>16s} {'torch us':>16s} "
          f"{'agrad/numpy':>12s} {'agrad/torch':>12s}")
    for name in floor:
        runs = {"numpy": floor[name]}
        for lib, cs in contenders.items():
            runs[lib] = cs[name]()

        def batch(fn):
            return lambda: [fn() for _ in range(args.number)]

        times = interleaved({k: batch(v) for k, v in runs.items()}, args.repeats)
        us = {k: (1e6 * summary(v)[1] / args.number, 1e6 * summary(v)[0] / args.number)
              for k, v in times.items()}
        torch_us = us.get("torch", (float("nan"), float("nan")))
        print(f"{name:8s} {us['numpy'][0]:10.0f} {us['agrad'][0]:9.0f} ({us['agrad'][1]:4.0f})"
              f" {torch_us[0]:9.0f} ({torch_us[1]:4.0f}) {us['agrad'][0] / us['numpy'][0]:11.2f}x"
              f" {us['agrad'][0] / torch_us[0]:11.2f}x")


if __name__ == "__main__":
    main()
