"""The loss curve as an image (PNG or SVG), like the paper's Figure 8.

matplotlib is an optional extra (`pip install 'nntrace[plot]'`), imported only here.
The image is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from nntrace.files import WholeFile

FORMATS = (".png", ".svg")
INSTALL_HINT = "pip install 'nntrace[plot]'"


def plotting_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def write_loss_plot(losses: np.ndarray, path: str, title: str, loss_label: str, log: bool = False) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only: no window, no display needed
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 5))
    axes.plot(np.arange(1, len(losses) + 1), losses, color="tab:blue", label="loss per epoch")
    axes.set_xlabel("epoch")
    axes.set_ylabel(f"loss ({loss_label})")
    axes.set_title(title)
    if log:
        axes.set_yscale("log")
    axes.grid(True, alpha=0.4)
    axes.legend()
    figure.tight_layout()
    try:
        with WholeFile(path) as whole:
            figure.savefig(whole.temporary, format=Path(path).suffix[1:])
    finally:
        plt.close(figure)
