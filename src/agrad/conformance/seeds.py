"""The seeds' programs: the five tutorials in /work/shared/seeds, their code blocks as they
appear there (only pure-output lines — the `>>` transcripts and the `'''...'''` blocks holding
printed tensors — are left out), and the runner that runs them as the tutorials did.

A block runs cell by cell in one namespace, statement by statement like a REPL: an expression
statement echoes its repr, an exception is recorded and the block goes on (the seeds have lines
that fail in PyTorch too, e.g. `result` is never defined in seed 001). `run_seed(name, "agrad")`
runs them with `import agrad as torch` on the current backend, `run_seed(name, "torch")` with
PyTorch; `compare` checks two transcripts exactly where the output is deterministic and by
structure (numbers masked) where it depends on random numbers. The project's tests
(tests/test_seeds.py) and the conformance suite's `seeds` check both use this module.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import textwrap
import warnings

HEADER = "import numpy as np\nimport torch\nfrom torch.autograd import Variable\n"

# (seed, [(mode, code)]) — mode: "exact", "floats" (floating-point numbers masked: random
# values), "all" (every number masked: random integers), "rows" (also the length of rows:
# one_hot of random labels); "cpu" suffix: NumPy-bridge sharing, compared on the CPU backend only
SEEDS: dict[str, list[tuple[str, str]]] = {}

SEEDS["000"] = [
    ("floats", """
x = torch.empty(5, 3)
print(x)
"""),
    ("exact", """
x = torch.tensor([5.5, 3])
print(x)
print(x.size())
"""),
    ("floats", """
x = x.new_ones(5, 3, dtype=torch.double)
                                            # new_* methods take in sizes
print(x)
x = torch.randn_like(x, dtype=torch.float) # override dtype!
print(x)
                                            # result has the same size
"""),
    ("floats", """
x = torch.randn(4,4)
y = x.view(16)
z = x.view(-1, 8)
print(x)
print(y)
print(z)
"""),
    ("exact", """
a = torch.ones(2,2)
a = Variable(a, requires_grad=True)
print(a)
print("----a, data-----")
print(a.data)
print("-----a.grad-----")
print(a.grad)
print("-----a.grad_fn----")
print(a.grad_fn)
"""),
    ("exact", """
b=a+2
c=b**2
out=c.sum()
print(out)
"""),
    ("exact", """
out.backward()

print("---after a.grad----")

print(a.grad)
"""),
    ("exact", """
x=torch.ones(3)
x=Variable(x, requires_grad=True)
y=(x**2)
z=y*3
print(z)
grad=torch.Tensor([0.1,1,10])
z.backward(grad)
"""),
    ("exact", """
print("---x.data----")
print(x.data)
print("---x.grad----")
print(x.grad)
print("---x.grad_fn----")
print(x.grad_fn)
"""),
]

SEEDS["001"] = [
    ("floats", """
# uninitialized 값
# 초기화되지 않은 행렬(matrix)을 선언하면, 할당된 메모리에 아무값이나 들어간다.
x = torch.empty(5, 3)

# 0~1 사이값
x = torch.rand(5, 3)

# zero 값(data type = long(8byte = 64bit))
x = torch.zeros(5, 3, dtype=torch.long)

# data로부터 바로 tensor를 구성
x = torch.tensor([5.5, 3])

# 기존에 있는 tensor기반으로 새로운 tensor 생성
x = x.new_ones(5, 3, dtype=torch.double) # double = float64(8byte)
x = torch.randn_like(x, dtype=torch.float) # override type --> type변경

# size 반환
x.size() # tuple이라서 모든 tuple연산 지원
"""),
    ("floats", """
y = torch.rand(5, 3)
x + y # elementwise 덧셈 연산
torch.add(x, y) # 다른 방법

torch.add(x, y, out=result) # 출력값 result에 저장
y.add_(x) # in-place (x + y결과 값을 y에 저장)
# inplace는 모든 연산 뒤에 _를 붙이면 된다.
# ex) x.copy_(y)

x[:, 1] # numpy 인덱싱 가능

# Resize
x = torch.rand(4, 4) # torch.Size([4, 4])
y = x.view(16) # torch.Size([16])
z = x.view(-1, 2) # torch.Size([2, 8])
# -1 사용하면, 다른 차원크기를 자동으로 정해줌.
print(z)


x = torch.randn(1) # 정규분포(normal distribution)에서 크기 1, 임의로 선택
x.item() # tensor 가 한 원소를 가지면, 그 값을 python number로 가져올 수 있다.
"""),
    ("exact cpu", """
a = torch.ones(5)
b = a.numpy() # tensor to numpy

a.add_(1)
print(a)
print(b)
"""),
    ("exact", """
a = np.ones(5)
b = torch.from_numpy(a) # numpy to tensor
np.add(a, 1, out=a)
print(a)
print(b)
"""),
    ("exact", """
if torch.cuda.is_available():
    device = torch.device("cuda")
    x = torch.randn(5, 3)
    x = x.to(device)
    y = torch.ones_like(x, device=device)
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))
"""),
    ("exact", """
x = torch.ones(2, 2, requires_grad=True)

y = x + 2

y.grad_fn

z = y * y * 3
out = z.mean()
print(z)
print(out)
"""),
    ("floats", """
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True) # in-place 할 수 있다.
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
"""),
    ("floats", """
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
"""),
    ("floats", """
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
x.grad
"""),
    ("exact", """
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
"""),
]

SEEDS["002"] = [
    ("exact", """
# https://9bow.github.io/PyTorch-tutorials-kr-0.3.1/beginner/pytorch_with_examples.html

import torch
"""),
    ("exact", """
# 데이터 타입
# https://pytorch.org/docs/stable/tensors.html

dtype = torch.FloatTensor # CPU tensor
dtype
"""),
    ("exact", """
# N; 배치크기, D_in; 입력차원, H; 은닉계층차원, D_out; 출력차원

N, D_in, H, D_out = 64, 1000, 100, 10
"""),
    ("exact", """
# 입출력 데이터

x = torch.randn(N, D_in).type(dtype)
y = torch.randn(N, D_out).type(dtype)
print(x.shape, y.shape)
"""),
    ("exact", """
# 무작위 가중치 초기화

w1 = torch.randn(D_in, H).type(dtype)
w2 = torch.randn(H, D_out).type(dtype)
print(w1.shape, w2.shape)
"""),
    ("floats", """
learning_rate = 1e-6
for t in range(500):

    # 순전파 단계; predict y
    h=x.mm(w1) # matrix multiplication
    h_relu = h.clamp(min=0) # 0이하인 것은 0으로 대체
    y_pred = h_relu.mm(w2)

    # calculate loss
    loss = (y_pred - y).pow(2).sum()
    print(t, loss)

    # loss에 따른 w1, w2의 변화도 계산하고 역전파
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)

    # gradient descent 이용해 가중치 갱신
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
"""),
    ("exact", """
import torch
from torch.autograd import Variable
"""),
    ("exact", """
dtype = torch.FloatTensor
N, D_in, H, D_out = 64, 1000, 100, 10
"""),
    ("exact", """
# 입출력 데이터

x = Variable(torch.randn(N, D_in).type(dtype), requires_grad=False) # requires_grad; 변화도 계산
y = Variable(torch.randn(N, D_out).type(dtype), requires_grad=False)
print(x.shape, y.shape)


# 무작위 가중치 초기화

w1 = Variable(torch.randn(D_in, H).type(dtype), requires_grad=True)
w2 = Variable(torch.randn(H, D_out).type(dtype), requires_grad=True)
print(w1.shape, w2.shape)
"""),
    ("floats", """
learning_rate = 1e-6
for t in range(500):

    # 순전파 단계; predict y
    y_pred = x.mm(w1).clamp(min=0).mm(w2)

    # calculate loss
    loss = (y_pred - y).pow(2).sum()
    print(t, loss.data)

    # 역전파 단계; autograde
    loss.backward()

    # gradient descent 이용해 가중치 갱신
    w1.data -= learning_rate * w1.grad.data
    w2.data -= learning_rate * w2.grad.data

    # 수동으로 변화도=0으로 만들기
    w1.grad.data.zero_()
    w2.grad.data.zero_()
"""),
]

SEEDS["003"] = [
    ("exact", """
a= torch.zeros(3, 2)
b=a.view(2,3)
a.fill_(1)
print(a)
print(b)
"""),
    ("exact", """
a=torch.zeros(3,2)
b=a.t().reshape(6)
a.fill_(1)
print(a)
print(b)
"""),
    ("exact", """
import numpy as np
import torch
n1 = np.arange(10).reshape(2,5)
t1 = torch.FloatTensor(n1)
print(t1)
"""),
    ("exact", """
n2 = np.arange(10).reshape(5,2)
t2 = torch.FloatTensor(n2)
print(t2)
"""),
    ("exact", """
t1.mm(t2)
"""),
    ("exact", """
#t1.dot(t2) #RuntimeError
import numpy as np
import torch
a = torch.rand(10)
b = torch.rand(10)
"""),
    ("floats", """
print(a)
print(b)
"""),
    ("floats", """
a.dot(b) #tensor(2.8101)
# a.mm(b) #RuntimeError: self must be a matrix
"""),
    ("floats", """
import numpy as np
import torch
a = torch.rand(5, 2, 3) # 5는 batch를 의미
b = torch.rand(3)
#a.mm(b) #RuntimeError
a.matmul(b)
"""),
    ("exact", """
import torch
data = [[1,2],[3,4]]
x_data = torch.tensor(data)
x_data.device #device(type='cpu')
if torch.cuda.is_available(): x_data_cuda=x_data.to('cuda')
x_data_cuda.device
#device(type='cuda',index=0)
"""),
    ("exact", """
import numpy as np
n_arr = np.arange(10).reshape(2, 5)
print(n_arr)
print("n_dim", n_arr.ndim, "shape", n_arr.shape)
"""),
    ("exact", """
import torch
t_arr = torch.FloatTensor(n_arr)
print(t_arr)
print("n_dim", t_arr.ndim, "shape", t_arr.shape)
"""),
    ("exact", """
import numpy as np
import torch
data = [[1,2],[3,4]]
t_data = torch.tensor(data)
print(t_data)
"""),
    ("exact", """
np_data = np.array(data)
t_from_np = torch.from_numpy(np_data)
print(t_from_np)
"""),
    ("exact", """
import torch
import torch.nn.functional as F
tensor = torch.FloatTensor([0.5, 0.7, 0.1])
print(tensor)
"""),
    ("exact", """
h_tensor = F.softmax(tensor, dim = 0)
print(h_tensor) #tensor([0.3458, 0.4224, 0.2318])
"""),
    ("all", """
y = torch.randint(5, (10,5)) #주어진 범위 내의 정수를 균등하게 생성
print(y)
"""),
    ("rows", """
y_label = y.argmax(dim = 0) # 열을 기준으로 최대값의 index
print(y_label) # tensor([7, 6, 2, 0, 1])
y_label = y.argmax(dim = 1) # 행을 기준으로 최대값의 index
print(y_label) # tensor([1, 3, 0, 2, 0, 0, 1, 0, 0, 0])
F.one_hot(y_label)
"""),
    ("exact", """
import torch
w = torch.tensor(2.0, requires_grad = True)
y = w**2
z = 10*y + 50
z.backward() # z를 w에 대해 미분 -> 20* w
w.grad #tensor(40.)
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
a.grad #tensor([36., 81.])
b.grad #tensor([-12., -8.])
"""),
    ("exact", """
import torch
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
"""),
    ("exact", """
Q = 3*a**3 - b**2
"""),
    ("exact", """
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
"""),
    ("exact", """
# 수집된 변화도가 올바른지 확인합니다.
print(9*a**2 == a.grad)
print(-2*b == b.grad)
"""),
]

SEEDS["004"] = [
    ("exact", """
import torch

from torch.autograd import Variable



a = torch.ones(2,2)

a = Variable(a, requires_grad=True) # a에 gradient값이 필요하다라는 의미

print(a) # torch.FloatTensor of size 2x2

b = a + 2

c = b**2

out = c.sum()

out.backward() # ∂out/∂a이다. 즉,out을 a로 미분해라 라는 의미.

print(a.data) # 1 1

                 # 1 1



print(a.grad) # 6 6

                 # 6 6



print(a.grad_fn) # None a가 직접적으로 수행한 연산은 없기에..

print(c.grad_fn) # pow backward object

print(out.grad_fn) # sum backward object
"""),
    ("exact", """
import torch

from torch.autograd import Variable



x = torch.ones(3)

x = Variable(x, requires_grad=True)

y=x**2

z=y+3

grad=torch.Tensor([0.1, 1, 10])

z.backward(grad) # backward안에 값을 넣게되면 크기를 맞춰준다

print(x.grad) # 그래서 0.600, 6.000, 60.000 이 나오게 된다.
"""),
]


# ---------------------------------------------------------------------------------------------
# the runner

def as_agrad(code: str) -> str:
    """The block as the user runs it: `import agrad as torch` in place of `import torch`."""
    code = re.sub(r"^(\s*)import torch\.nn\.functional as F\s*$",
                  r"\1import agrad.nn.functional as F", code, flags=re.M)
    code = re.sub(r"^(\s*)from torch\.autograd import Variable\s*$",
                  r"\1from agrad.autograd import Variable", code, flags=re.M)
    code = re.sub(r"^(\s*)import torch\s*$", r"\1import agrad as torch", code, flags=re.M)
    return code


def run_block(code: str, ns: dict) -> str:
    """Run `code` statement by statement in `ns`; return the transcript."""
    out = io.StringIO()
    tree = ast.parse(textwrap.dedent(code))
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for stmt in tree.body:
            try:
                if isinstance(stmt, ast.Expr):
                    value = eval(compile(ast.Expression(stmt.value), "<seed>", "eval"), ns)
                    if value is not None:
                        print(repr(value))
                else:
                    exec(compile(ast.Module([stmt], type_ignores=[]), "<seed>", "exec"), ns)
            except Exception as e:  # noqa: BLE001 - the transcript records it, as a REPL does
                print(f"!! {type(e).__name__}")
    return out.getvalue()


def run_seed(name: str, lib: str, steps: int | None = None) -> list[tuple[str, str]]:
    """The seed's transcript, block by block, run with `lib` ("agrad" or "torch");
    `steps`: the training loops run that many steps instead of 500 (a quick run)."""
    ns: dict = {"__name__": "__seed__"}
    header = HEADER if lib == "torch" else as_agrad(HEADER)
    exec(header, ns)
    transcripts = []
    for mode, code in SEEDS[name]:
        src = code if lib == "torch" else as_agrad(code)
        if steps is not None:
            src = src.replace("range(500)", f"range({steps})")
        transcripts.append((mode, run_block(src, ns)))
    return transcripts


ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
DEVICE = re.compile(r", device='[^']*'")
DEVICE_TYPE = re.compile(r"device\(type='[^']*'\)")
FLOAT = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+(?=e))(?:e[+-]?\d+)?|-?\bnan\b|-?\binf\b")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|-?\bnan\b|-?\binf\b")


def normalize(text: str, mode: str) -> str:
    text = ADDR.sub(" at 0x?", text)
    if "floats" in mode:
        return re.sub(r"\s+", "", FLOAT.sub("N", text))
    if "all" in mode:
        return re.sub(r"\s+", "", NUMBER.sub("N", text))
    if "rows" in mode:  # random integers, and row lengths that depend on them (one_hot)
        return re.sub(r"\[N(?:,N)*\]", "[R]", re.sub(r"\s+", "", NUMBER.sub("N", text)))
    return text


def compare(name: str, ours: list, theirs: list, device_blind: bool = False) -> None:
    assert len(ours) == len(theirs)
    for i, ((mode, a), (_, t)) in enumerate(zip(ours, theirs)):
        if device_blind:
            if "cpu" in mode:
                continue
            a = DEVICE_TYPE.sub("device(type='cpu')", DEVICE.sub("", a))
        assert normalize(a, mode) == normalize(t, mode), (
            f"seed {name}, block {i} ({mode}):\n--- agrad ---\n{a}\n--- torch ---\n{t}")


_TORCH_CACHE: dict[tuple, list] = {}


def torch_transcript(name: str, steps: int | None = None) -> list:
    """PyTorch's transcript of a seed (computed once per process)."""
    if (name, steps) not in _TORCH_CACHE:
        _TORCH_CACHE[name, steps] = run_seed(name, "torch", steps)
    return _TORCH_CACHE[name, steps]


