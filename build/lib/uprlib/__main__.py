"""``python -m uprlib``: the command line."""

import sys

from uprlib.cli import main

sys.exit(main())
