"""Random index streams for samplers and random_split.

Without a generator they draw from agrad's own generator (on the CPU device, so an order is
the same whatever backend the data lives on, and `agrad.manual_seed` makes it reproducible).
agrad has no Generator object of its own, so an explicit `generator=` is a NumPy
`Generator` (anything with `permutation` / `integers`) or a Python `random.Random`.
"""

from __future__ import annotations

import random
from typing import Any


def permutation(n: int, generator: Any = None) -> list[int]:
    if generator is None:
        import agrad

        return agrad.randperm(n, device="cpu").tolist()
    if hasattr(generator, "permutation"):
        return [int(i) for i in generator.permutation(n)]
    if isinstance(generator, random.Random):
        order = list(range(n))
        generator.shuffle(order)
        return order
    raise TypeError(f"generator must be a numpy.random.Generator or a random.Random, got "
                    f"{type(generator).__name__}")


def integers(high: int, size: int, generator: Any = None) -> list[int]:
    if generator is None:
        import agrad

        return agrad.randint(high, (size,), device="cpu").tolist()
    if hasattr(generator, "integers"):
        return [int(i) for i in generator.integers(0, high, size)]
    if isinstance(generator, random.Random):
        return [generator.randrange(high) for _ in range(size)]
    raise TypeError(f"generator must be a numpy.random.Generator or a random.Random, got "
                    f"{type(generator).__name__}")
