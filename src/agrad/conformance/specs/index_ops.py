"""Specs of index_add / index_copy / index_fill (ops/index_ops.py): whole slices of `input` along
`dim`, at the positions a 1-D index names, added to, copied over or filled."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import FLOATS, Bad, array, op, sample, shapes

SHAPED = FLOATS + ("int32",)


def _slices(v: str, gc: bool, distinct: bool, value: bool = False, **kw):
    """(input, dim, index, source or value): k positions along a drawn dim (distinct ones where
    the result would depend on the order of writes), a source of input's shape with k slices."""
    def build(sh: tuple):
        n = len(sh)

        def with_dim(d: int):
            size = sh[d]
            if distinct:
                index = st.permutations(list(range(size))).flatmap(lambda p: st.integers(
                    1, size).map(lambda k: np.array(p[:k], dtype=np.int64)))
            else:
                index = hnp.arrays(np.int64, st.integers(1, 4), elements=st.integers(
                    0, size - 1))

            def with_index(idx):
                if value:
                    return sample(array(v, sh, gc=gc), d, idx, st.sampled_from([1.5, -2.0]),
                                  **kw)
                src = sh[:d] + (len(idx),) + sh[d + 1:]
                return sample(array(v, sh, gc=gc), d - n if d % 2 else d, idx,
                              array(v, src, gc=gc, offset=1), **kw)
            return index.flatmap(with_index)
        return st.integers(0, n - 1).flatmap(with_dim)
    return shapes(min_dims=1, gc=gc).flatmap(build)


OUT_OF_RANGE = Bad("an index out of range", lambda lib: (lib.zeros(2, 3), 1, lib.tensor([3]),
                                                         lib.ones(2, 1)), IndexError,
                   values=True)
FLOAT_INDEX = Bad("a floating index", lambda lib: (lib.zeros(2, 3), 1, lib.tensor([1.0]),
                                                   lib.ones(2, 1)), IndexError)
op("index_add", lambda v, gc: _slices(v, gc, False, alpha=st.sampled_from([1, 2])),
   variants=SHAPED, errors=(OUT_OF_RANGE, FLOAT_INDEX))
op("index_copy", lambda v, gc: _slices(v, gc, True), variants=SHAPED,
   errors=(OUT_OF_RANGE, FLOAT_INDEX))
op("index_fill", lambda v, gc: _slices(v, gc, False, value=True), variants=FLOATS)
