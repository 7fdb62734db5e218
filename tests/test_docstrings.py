"""Every public function and method has a docstring with an example, and the examples run.

The op table's rows get theirs from `agrad._docs` (PyTorch's `add_docstr` precedent); the
hand-written names carry theirs in place. The examples are doctests, run here on NumPy with
`torch` bound to agrad (`import agrad as torch`) and `F` to `agrad.nn.functional`.
"""

from __future__ import annotations

import doctest
import inspect

import pytest

import agrad
import agrad.autograd
import agrad.conformance
import agrad.cuda
import agrad.fft
import agrad.linalg
import agrad.nn
import agrad.nn.functional as F
import agrad.optim
import agrad.optim.lr_scheduler
import agrad.utils.data
import agrad.viz

pytestmark = pytest.mark.backends("numpy")

NAMESPACES = {"agrad": agrad, "agrad.nn.functional": F, "agrad.linalg": agrad.linalg,
              "agrad.fft": agrad.fft, "agrad.autograd": agrad.autograd, "agrad.nn": agrad.nn,
              "agrad.optim": agrad.optim, "agrad.optim.lr_scheduler": agrad.optim.lr_scheduler,
              "agrad.utils.data": agrad.utils.data, "agrad.viz": agrad.viz,
              "agrad.conformance": agrad.conformance, "agrad.cuda": agrad.cuda}
# with __all__, the names it declares; else every public callable the module holds


def _documented() -> dict[str, object]:
    """Every public function, class and method users reach by those names (not dtype or
    memory-format constants, not submodules)."""
    out: dict[str, object] = {}
    for ns, mod in NAMESPACES.items():
        names = getattr(mod, "__all__", None) if mod not in (agrad, agrad.linalg, agrad.fft) \
            else None
        for name in names or dir(mod):
            obj = getattr(mod, name)
            if name.startswith("_") or inspect.ismodule(obj) or not callable(obj) \
                    or getattr(obj, "__module__", "").startswith("typing"):
                continue
            out[f"{ns}.{name}"] = obj
    for name, attr in vars(agrad.Tensor).items():
        if not name.startswith("_"):
            out[f"agrad.Tensor.{name}"] = attr
    for name in dir(agrad.Tensor):  # inherited public names too (none expected)
        if not name.startswith("_") and f"agrad.Tensor.{name}" not in out:
            out[f"agrad.Tensor.{name}"] = getattr(agrad.Tensor, name)
    return out


def _doc(obj: object) -> str:
    return inspect.getdoc(obj) or ""


def test_every_public_name_has_a_docstring_with_an_example():
    names = _documented()
    assert len(names) > 700  # the four namespaces and Tensor's methods
    missing = sorted(n for n, o in names.items() if not _doc(o).strip())
    assert not missing, f"no docstring (row: add one in src/agrad/_docs/): {missing}"
    no_example = sorted(n for n, o in names.items() if ">>>" not in _doc(o))
    assert not no_example, f"a docstring without an `Examples:` section: {no_example}"


def test_docstrings_name_pytorch_meaning_first():
    # the first line is a sentence of its own: mkdocstrings and help() show it as the summary
    for name, obj in _documented().items():
        first = _doc(obj).split("\n\n")[0]
        assert first and not first.startswith(("Example", ">>>")), name


def test_row_docstrings_carry_the_rows_facts():
    # read from the row, so they cannot go stale: other spellings, grad_fn, dtype rule
    doc = _doc(agrad.add)
    assert "`Tensor.add_`" in doc and "`__radd__`" in doc and "AddBackward0" in doc
    assert "Examples:" in doc
    assert "NotImplementedError" in _doc(agrad.floor)  # it refuses bool and complex
    assert _doc(agrad.Tensor.add_).startswith("In-place form of `add`")
    assert "int64" in _doc(agrad.sum)  # the accumulate rule
    # help() shows the public signature, not the wrapper's *args, **kwargs
    assert str(inspect.signature(agrad.add)).startswith("(input: 'Tensor | Number', other")


def _examples() -> list[doctest.DocTest]:
    parser = doctest.DocTestParser()
    seen: set[int] = set()
    tests = []
    for name, obj in sorted(_documented().items()):
        doc = _doc(obj)
        if id(obj) in seen or ">>>" not in doc:
            continue
        seen.add(id(obj))
        tests.append(parser.get_doctest(doc, {}, name, None, 0))
    return tests


# NumPy's own warnings for sgn(0j) and xlogy(0, 0) (PyTorch computes these silently)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_the_examples_run():
    tests = _examples()
    assert sum(len(t.examples) for t in tests) > 800
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failed = []
    out: list[str] = []
    for test in tests:
        test.globs = {"torch": agrad, "F": F}
        agrad.manual_seed(0)
        r = runner.run(test, out=out.append, clear_globs=True)
        if r.failed:
            failed.append(test.name)
    assert not failed, f"{len(failed)} failing examples: {failed}\n" + "".join(out)[:20000]
