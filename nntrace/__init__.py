"""nntrace: trace backpropagation step by step, as a worked example is written by hand.

`nntrace.trace(spec)` is the Python API (see nntrace.api); it is imported on first use,
so `nntrace --version` stays quick.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nntrace")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

_API = ("trace", "Trace", "Epoch", "Explained", "Summary", "RenderOptions")


def __getattr__(name: str):
    if name in _API:
        from nntrace import api

        return getattr(api, name)
    raise AttributeError(f"module 'nntrace' has no attribute {name!r}")
