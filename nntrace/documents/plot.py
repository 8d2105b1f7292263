"""The loss curve as an image (PNG or SVG), like the paper's Figure 8.

matplotlib is an optional extra (`pip install 'nntrace[plot]'`), imported only here.
The image is written as files.Output writes every output: a file appears whole or not at all.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from nntrace.common.files import Output

FORMATS = (".png", ".svg")
INSTALL_HINT = "pip install 'nntrace[plot]'"


def plotting_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def image_format(given: str) -> str | None:
    """png or svg from the file name; a stream without a suffix (-, /dev/stdout) gets PNG."""
    suffix = Path(given).suffix.lower()
    return suffix[1:] if suffix in FORMATS else None


def write_loss_plot(losses: np.ndarray, output: Output, title: str, loss_label: str, log: bool = False) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only: no window, no display needed
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(figsize=(10, 5))
    # A short run is drawn with markers, so a single epoch still shows as a point.
    marker = "o" if len(losses) <= 50 else None
    axes.plot(np.arange(1, len(losses) + 1), losses, color="tab:blue", marker=marker, label="loss per epoch")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("epoch")
    axes.set_ylabel(f"loss ({loss_label})")
    axes.set_title(title.replace("$", r"\$"))  # a name is text, never matplotlib's $math$
    if log:
        axes.set_yscale("log")
    axes.grid(True, alpha=0.4)
    axes.legend()
    figure.tight_layout()
    try:
        with output.open(binary=True) as handle:
            figure.savefig(handle, format=image_format(output.given) or "png")
    finally:
        plt.close(figure)
