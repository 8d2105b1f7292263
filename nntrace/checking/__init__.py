"""Someone's numbers judged against the true ones: the claims file (claims.py) and what it may name
(quantities.py), judging inside the engine's pass (evaluation.py), consequences and causes
(check.py), the catalogue of likely slips (slips.py) and the smallest wrong piece of a sum
(pieces.py), the report as data for every form of it (report.py), and a claims file to fill in
(template.py).

May import: writers, solution, engine, spec, model, notation, common.
"""
