"""Worked solutions, explanations and check reports as one neutral structure, and the templates that
write it as a document: LaTeX, Markdown, HTML; the network drawing and the loss-curve image.

May import: checking, writers, solution, engine, spec, model, notation, common.
"""
