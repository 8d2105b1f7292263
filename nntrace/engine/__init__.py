"""Forward and backward passes in pure numpy float64, with every quantity recorded; the lean untraced
loop; training; finite-difference gradient checks; the JSON trace written and read back.

May import: spec, model, notation, common.
"""
