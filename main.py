"""Start the Reviewer window: ``python main.py [CASE]`` or ``python main.py --demo``."""
from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the import sandbox spawns children; frozen builds need this
    from reviewer.ui.app import main

    sys.exit(main())
