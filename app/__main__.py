"""``python -m app`` is the same as the ``iris`` command."""

import sys

from app.cli import main

sys.exit(main())
