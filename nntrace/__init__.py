"""nntrace: trace backpropagation step by step, as a worked example is written by hand."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nntrace")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
