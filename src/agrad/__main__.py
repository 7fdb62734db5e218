"""`python -m agrad info | bench | conformance`: see `agrad.cli`."""

import sys

from .cli import main

sys.exit(main())
