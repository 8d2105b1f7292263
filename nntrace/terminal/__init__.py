"""The terminal: rich's console with nntrace's conventions, and the views that lay out steps,
explanations, tables, summaries and check reports for it.

May import: documents, checking, writers, solution, engine, spec, model, notation, common.
"""
