"""Start the workshop page: ``python -m sim.apps.workshop [--port 8501]`` (``make workshop``).

Runs Streamlit on this machine only (localhost), without telemetry, and prints the
address to open.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

PAGE = Path(__file__).with_name("page.py")


def argv(port: int, address: str = "localhost") -> list[str]:
    """Streamlit's command line for the page."""
    return ["streamlit", "run", str(PAGE), f"--server.port={port}", f"--server.address={address}",
            "--server.headless=true", "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
            "--theme.base=light", "--client.toolbarMode=viewer"]


def main(args: list[str] | None = None) -> None:
    """The factsim-workshop command."""
    ap = argparse.ArgumentParser(prog="factsim-workshop", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8501, help="the port on localhost (default 8501)")
    ns = ap.parse_args(args)
    from streamlit.web import cli

    print(f"factsim workshop: open http://localhost:{ns.port} (Ctrl-C stops it)", flush=True)
    sys.argv = argv(ns.port)
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
