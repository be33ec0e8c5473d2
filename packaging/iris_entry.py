"""Entry point of the frozen IRIS: the same ``iris`` command as the source install."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
