"""``python -m feedback_lint``: the command line."""

from .cli import main

raise SystemExit(main())
