"""Run the ``skxent`` command line as ``python -m skxent``."""

import sys

from skxent._cli import main

sys.exit(main())
