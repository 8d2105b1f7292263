"""The Python API, which the command line is built on and notebooks and scripts use too:

    import nntrace
    trace = nntrace.trace("spec.yaml")        # a path, a dict, or YAML text
    trace.epoch(2).step(7)                    # a Step: its equations as notation
    trace.explain("W_h[2,3]", epoch=1)        # the chain rule for one parameter
    trace.forward()                           # the forward pass alone
    trace.summary(epochs=100)                 # losses and predictions after training
    nntrace.check("paper-claims").wrong       # claimed numbers judged
    nntrace.read_trace("trace.npz")           # a trace file (--trace, --npz) read back

`tracing` holds the traced spec and its results, `runs` the policy of a training run shown in the
terminal, `commands` the work of the other commands. Each result draws itself with rich, and in
Jupyter as typeset Markdown.

May import: terminal, exercises, documents, checking, writers, solution, engine, spec, model, notation, common.
"""

# The names are handed on when first used, so a command that needs none of them (`nntrace params`,
# `--version`) does not import numpy and rich.
_FROM = {
    **dict.fromkeys(("Epoch", "Explained", "RenderOptions", "ShownStep", "Summary", "Trace", "check", "console",
                     "load_spec", "read_claims", "trace"), "nntrace.api.tracing"),
    "SpecError": "nntrace.common.errors",
    "shipped_files": "nntrace.spec.shipped",
    "spec_file": "nntrace.api.tracing",
    "UnknownParameter": "nntrace.solution.explain",
    "read_trace": "nntrace.engine.trace_reader",
}
__all__ = sorted(_FROM)


def __getattr__(name: str):
    if name in _FROM:
        import importlib

        return getattr(importlib.import_module(_FROM[name]), name)
    raise AttributeError(f"module 'nntrace.api' has no attribute {name!r}")
