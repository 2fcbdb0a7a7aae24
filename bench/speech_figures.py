"""Print the speech figures against their targets (the numbers come from testkit/speech_figures.py)."""

from __future__ import annotations

import os
import sys

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(_ROOT, "lambda"), _ROOT]

from testkit.speech_figures import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
