"""A network spec read from YAML (safe loading with limits), its CSV data, the shipped examples and the
starter spec, validated into a typed `Spec` whose names and choices come from the registries.

May import: model, notation, common.
"""
