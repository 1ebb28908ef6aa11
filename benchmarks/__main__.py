"""``python -m benchmarks``: see :func:`benchmarks.run.main`."""
import sys

from benchmarks.run import main

sys.exit(main())
