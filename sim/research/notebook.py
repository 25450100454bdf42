"""``python -m sim.research.notebook``: run the researchers' notebook on the saved outputs.

The notebook (``notebooks/researcher.ipynb``) reads the folders named by
``FACTSIM_STUDY``, ``FACTSIM_CALIBRATION`` and ``FACTSIM_SENSITIVITY`` (defaults:
``outputs/study``, ``outputs/calibration/latest``, ``outputs/sensitivity/latest``); the
executed copy, with every table and plot in it, is written to ``outputs/`` so the
committed notebook stays free of outputs.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim.config.paths import REPOSITORY as ROOT

NOTEBOOK = ROOT / "notebooks" / "researcher.ipynb"


def execute(notebook: Path, out: Path, timeout: int = 600) -> Path:
    """Execute ``notebook`` in its own folder with a fresh kernel; write it to ``out``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    os.environ.setdefault("FACTSIM_ROOT", str(ROOT))
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".ipynb.part")
    nbformat.write(nb, tmp)
    tmp.replace(out)  # never a half-written notebook that looks finished
    return out


def main(argv: list[str] | None = None) -> None:
    """Execute the researchers' notebook into outputs/ (python -m sim.research.notebook)."""
    parser = argparse.ArgumentParser(prog="python -m sim.research.notebook", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK)
    parser.add_argument("--out", type=Path, default=Path("outputs") / "researcher.ipynb")
    args = parser.parse_args(argv)
    if not args.notebook.is_file():
        print(f"sim.research.notebook: error: --notebook {args.notebook}: no such file", file=sys.stderr)
        sys.exit(2)
    from nbclient.exceptions import CellExecutionError

    print(f"Running {args.notebook} ...", flush=True)
    try:
        execute(args.notebook, args.out)
    except CellExecutionError as err:
        last = [line for line in str(err).splitlines() if line.strip()][-1]
        print(f"sim.research.notebook: error: a cell failed: {last}", file=sys.stderr)
        sys.exit(1)
    print(f"Executed notebook: {args.out}")


if __name__ == "__main__":
    main()
