"""Write configs/digits.csv: the UCI handwritten digits as nntrace reads them.

The 1,797 8x8 images of "Optical Recognition of Handwritten Digits" (E. Alpaydin and
C. Kaynak, UCI Machine Learning Repository, 1998; CC BY 4.0), from the copy that
scikit-learn ships. Each row is one image: 64 pixel counts r1c1 ... r8c8 (row, column;
0-16, the on-pixels of a 4x4 block of the 32x32 original), then the digit one-hot in
the columns 0 ... 9. The rows keep scikit-learn's order.

Run once, with scikit-learn installed (it is not a dependency of nntrace):

    pip install scikit-learn && python examples/write_digits_csv.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent.parent / "configs" / "digits.csv"


def main() -> None:
    digits = load_digits()
    pixels = digits.data.astype(int)
    one_hot = np.eye(10, dtype=int)[digits.target]
    header = [f"r{row}c{column}" for row in range(1, 9) for column in range(1, 9)] + [f"{d}" for d in range(10)]
    lines = [",".join(header)]
    lines += [",".join(map(str, row)) for row in np.hstack([pixels, one_hot])]
    OUT.write_text("\n".join(lines) + "\n", encoding="ascii")
    print(f"wrote {OUT} ({len(lines) - 1} samples)")


if __name__ == "__main__":
    main()
