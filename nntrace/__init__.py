"""nntrace: trace backpropagation step by step, as a worked example is written by hand.

`nntrace.trace(spec)` is the Python API (see nntrace.api); it is imported on first use,
so `nntrace --version` stays quick.
"""

# The one place the version is written; pyproject.toml reads it from here.
__version__ = "0.1.0"

_API = ("trace", "check", "read_trace", "Trace", "Epoch", "Explained", "Summary", "RenderOptions", "SpecError")


def __getattr__(name: str):
    if name in _API:
        from nntrace import api

        return getattr(api, name)
    raise AttributeError(f"module 'nntrace' has no attribute {name!r}")
