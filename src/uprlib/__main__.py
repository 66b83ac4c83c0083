import sys

from uprlib.cli import main

sys.exit(main())
