import sys

from .repl import main

raise SystemExit(main(sys.argv[1:]))
