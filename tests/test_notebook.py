"""examples/paper.ipynb runs top to bottom under a real Jupyter kernel, and the API's objects
display themselves as typeset Markdown (their maths in $$ blocks)."""

from __future__ import annotations

from conftest import ROOT
from tools import require_module


def test_the_papers_notebook_runs_and_displays_maths(tmp_path):
    nbformat = require_module("nbformat", "pip install nbformat")
    require_module("nbclient", "pip install nbclient")
    require_module("ipykernel", "pip install ipykernel")
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "examples" / "paper.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")  # shipped cleared
    NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    # Each result is shown once: trace.summary(...) was also displayed by rich as it was printed.
    assert [len(cell.outputs) for cell in notebook.cells if cell.cell_type == "code"] == [0, 1, 1, 1, 1, 1]
    assert not [output for output in outputs if output.output_type == "error"]
    markdown = [output.data["text/markdown"] for output in outputs if "text/markdown" in output.get("data", {})]
    assert len(markdown) >= 4
    epoch = markdown[0]
    assert "### Step 11 · Bias updates" in epoch and "1.620" in epoch and "$$\n\\begin{aligned}" in epoch
    assert "\\frac{\\partial L}{\\partial W_{\\mathrm{h}}[2,3]}" in markdown[2]
