"""Plumbing every layer shares, and no mathematics: the error bad input raises, how a run stops on a
signal, selections of epochs and batches, which of many items are shown, and where an output goes
and how it is written without harming a file, and how much input a run may read.

May import: nothing else of nntrace.
"""
