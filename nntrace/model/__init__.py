"""The registries: activations, losses, optimisers and initialisers. Each entry carries its numerics
(numpy) and its notation side by side, so adding one touches one file; parameter counts.

May import: notation, common.
"""
