#!/usr/bin/env python3
"""Entry point: ``python build.py`` builds the site; ``python build.py check`` checks content."""

import sys

from towncat.cli import main

if __name__ == "__main__":
    sys.exit(main())
