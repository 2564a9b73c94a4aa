"""python -m harness.cli"""

from .main import main

raise SystemExit(main())
