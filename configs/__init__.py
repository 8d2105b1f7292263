"""The example specs shipped with nntrace (installed as the package nntrace.examples)."""
