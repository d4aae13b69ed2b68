"""The installed version, read from the package metadata (single source: pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("enforcement-lab")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
