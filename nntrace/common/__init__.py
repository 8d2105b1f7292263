"""Plumbing every layer shares, and no mathematics: the error bad input raises, how a run stops on a
signal, selections of epochs and batches, which of many items are shown, and where an output goes
and how it is written without harming a file, how much input a run may read, and how a batch of
many like pieces of work keeps the garbage collector off what it has made.

May import: nothing else of nntrace.
"""
