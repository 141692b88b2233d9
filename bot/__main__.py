"""`python -m bot` does what the `kopi` command does."""

import sys

from bot.cli import main

sys.exit(main())
