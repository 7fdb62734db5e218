"""`python -m agrad info | bench | conformance`: see `agrad.cli`."""

import sys

from .cli import main

if __name__ == "__main__":  # importing the package's modules (the API reference does) runs nothing
    sys.exit(main())
