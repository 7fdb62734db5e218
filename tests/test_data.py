"""agrad.utils.data against torch.utils.data: datasets, batching, collation, shuffling,
random_split and the DataLoader's option errors."""

from __future__ import annotations

import random
from collections import namedtuple

import numpy as np
import pytest
from _nn_oracle import same_outcome, to_np, torch

import agrad
from agrad.utils import data as D

pytestmark = pytest.mark.torch
TD = torch.utils.data
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
Point = namedtuple("Point", "x y")


def tensor_ds(lib, n=10):
    x = lib.arange(n * 2, dtype=lib.float32).reshape(n, 2)
    return lib.utils.data.TensorDataset(x, lib.arange(n))


def flatten(batch):
    """A batch as nested plain Python (tensors as lists) for comparisons."""
    if hasattr(batch, "tolist") and hasattr(batch, "dtype"):
        return ("tensor", str(batch.dtype), batch.tolist())
    if isinstance(batch, dict):
        return {k: flatten(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [flatten(v) for v in batch])
    return batch


@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (3, True), (1, False), (10, False),
                                                  (None, False)])
def test_sequential_batches_match_pytorch(batch_size, drop_last):
    la = D.DataLoader(tensor_ds(agrad), batch_size=batch_size, drop_last=drop_last)
    lt = TD.DataLoader(tensor_ds(torch), batch_size=batch_size, drop_last=drop_last)
    assert len(la) == len(lt)
    assert [flatten(b) for b in la] == [flatten(b) for b in lt]


@pytest.mark.backends("numpy")
def test_default_collate_matches_pytorch():
    samples = [
        [{"a": 1, "b": 2.5, "c": "x", "d": [1, 2]}, {"a": 3, "b": 4.5, "c": "y", "d": [3, 4]}],
        [(1, 2.0), (3, 4.0)],
        [Point(1, 2.0), Point(3, 4.0)],
        [np.ones(2, np.float32), np.zeros(2, np.float32)],
        [np.float64(1.5), np.float64(2.5)],
        [True, False],
        [[1, 2], [3, 4]],
    ]
    for batch in samples:
        assert flatten(D.default_collate(batch)) == flatten(TD.default_collate(batch)), batch
    same_outcome(lambda: D.default_collate([object()]), lambda: TD.default_collate([object()]))
    same_outcome(lambda: D.default_collate([[1, 2], [3]]),
                 lambda: TD.default_collate([[1, 2], [3]]))
    ta = [agrad.ones(2), agrad.zeros(2)]
    assert D.default_collate(ta).tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_shuffle_is_a_reproducible_permutation_per_epoch():
    agrad.manual_seed(0)
    loader = D.DataLoader(tensor_ds(agrad, 20), batch_size=6, shuffle=True)
    epoch1 = [i for _, y in loader for i in y.tolist()]
    epoch2 = [i for _, y in loader for i in y.tolist()]
    assert sorted(epoch1) == list(range(20)) and sorted(epoch2) == list(range(20))
    assert epoch1 != epoch2
    agrad.manual_seed(0)
    again = [i for _, y in loader for i in y.tolist()]
    assert again == epoch1
    x, y = next(iter(loader))
    np.testing.assert_array_equal(to_np(x)[:, 0], 2 * to_np(y))  # rows stay paired


@EAGER
def test_explicit_generators():
    for gen_a, gen_b in ((np.random.default_rng(5), np.random.default_rng(5)),
                         (random.Random(5), random.Random(5))):
        la = D.DataLoader(tensor_ds(agrad), batch_size=4, shuffle=True, generator=gen_a)
        lb = D.DataLoader(tensor_ds(agrad), batch_size=4, shuffle=True, generator=gen_b)
        assert [b[1].tolist() for b in la] == [b[1].tolist() for b in lb]
    with pytest.raises(TypeError, match="generator must be"):
        list(D.DataLoader(tensor_ds(agrad), shuffle=True, generator=3))


@pytest.mark.backends("numpy")
def test_samplers_and_random_split():
    s = D.RandomSampler(range(7), replacement=True, num_samples=12)
    draws = list(s)
    assert len(draws) == 12 and all(0 <= i < 7 for i in draws)
    assert len(list(D.RandomSampler(range(5), num_samples=12))) == 12
    bs = D.BatchSampler(D.SequentialSampler(range(7)), 3, False)
    assert list(bs) == list(TD.BatchSampler(TD.SequentialSampler(range(7)), 3, False))
    assert len(bs) == 3 and len(D.BatchSampler(range(7), 3, True)) == 2
    parts = D.random_split(range(10), [0.3, 0.3, 0.4])
    assert [len(p) for p in parts] == [len(p) for p in TD.random_split(range(10), [0.3, 0.3,
                                                                                    0.4])]
    assert sorted(i for p in parts for i in p) == list(range(10))
    same_outcome(lambda: D.random_split(range(10), [3, 3]), lambda: TD.random_split(range(10),
                                                                                     [3, 3]))
    same_outcome(lambda: D.BatchSampler(range(3), 0, False), lambda: TD.BatchSampler(range(3), 0,
                                                                                   False))
    same_outcome(lambda: D.RandomSampler(range(3), num_samples=0),
                 lambda: TD.RandomSampler(range(3), num_samples=0))


@pytest.mark.backends("numpy")
def test_dataset_composition():
    ds = D.TensorDataset(agrad.arange(4), agrad.arange(4) * 10)
    cat = ds + ds
    assert len(cat) == 8 and cat[5][1].item() == 10 and cat[-1][0].item() == 3
    sub = D.Subset(ds, [3, 1])
    assert len(sub) == 2 and sub[0][1].item() == 30
    assert [b[0].tolist() for b in D.DataLoader(sub, batch_size=2)] == [[3, 1]]
    same_outcome(lambda: D.TensorDataset(agrad.ones(2), agrad.ones(3)),
                 lambda: TD.TensorDataset(torch.ones(2), torch.ones(3)))

    class Stream(D.IterableDataset):
        def __iter__(self):
            return iter(range(5))

    assert [b.tolist() for b in D.DataLoader(Stream(), batch_size=2)] == [[0, 1], [2, 3], [4]]


@pytest.mark.backends("numpy")
def test_dataloader_option_errors_are_pytorchs():
    a, t = tensor_ds(agrad), tensor_ds(torch)
    for kw in ({"batch_sampler": [[0]], "batch_size": 2}, {"sampler": [0], "shuffle": True},
               {"num_workers": -1}, {"batch_size": None, "drop_last": True}):
        same_outcome(lambda k=kw: D.DataLoader(a, **k), lambda k=kw: TD.DataLoader(t, **k))


@pytest.mark.backends("dask")
def test_tensor_dataset_batches_stay_lazy_on_dask():
    loader = D.DataLoader(tensor_ds(agrad, 12), batch_size=5, shuffle=True)
    x, y = next(iter(loader))
    assert x.device.type == "dask" and tuple(x.shape) == (5, 2)
    np.testing.assert_array_equal(to_np(x)[:, 0], 2 * to_np(y))
