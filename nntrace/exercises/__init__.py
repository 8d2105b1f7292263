"""Exercises for a whole class: a template whose spec fields may be drawn and which says what is
asked and given (template.py); one variant per student drawn from the exam's seed and the
student's id, each validated before anything is written, with its key and the values the
catalogued slips give (variants.py); the worksheets and keys as documents, and the self-checking
HTML worksheet (sheets.py); the LMS exports (lms.py); and grading submissions (grading.py).

May import: documents, checking, writers, solution, engine, spec, model, notation, common.
"""
