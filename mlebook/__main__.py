"""``python -m mlebook``: see :mod:`mlebook.cli`."""

import sys

from .cli import main

sys.exit(main())
