"""agrad.utils: `agrad.utils.data` (datasets and loaders) and `agrad.utils.hooks` (removable
hook handles), as in `torch.utils`."""

from . import data, hooks  # noqa: F401
