"""``python -m enforcement_lab.cli``: the same as the ``enforcement-lab`` command."""

from enforcement_lab.cli import main

main()
