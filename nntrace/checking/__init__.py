"""Someone's numbers judged against the true ones: the claims file, judging inside the engine's pass,
consequences, the catalogue of likely slips, and the report as data.

May import: writers, solution, engine, spec, model, notation, common.
"""
