"""``python -m egovindex``: the same as the ``egovindex`` command."""

from egovindex.cli import main

raise SystemExit(main())
