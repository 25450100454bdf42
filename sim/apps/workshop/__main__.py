"""Start the workshop page: ``python -m sim.apps.workshop [--address ADDR] [--port 8501]``
(``make workshop``, ``factsim-workshop``).

Runs Streamlit with the page's own safe settings (``streamlit.toml`` beside this file:
small uploads, no error details, XSRF protection, no telemetry), on this machine only
(localhost) unless ``--address`` says otherwise, and prints the address to open. A region
hosting the page keeps it on localhost behind its reverse proxy (docs/hosting.md).
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

PAGE = Path(__file__).with_name("page.py")
SETTINGS = Path(__file__).with_name("streamlit.toml")


def settings() -> list[str]:
    """The page's Streamlit settings as command-line flags (``--server.maxUploadSize=1``)."""
    data = tomllib.loads(SETTINGS.read_text(encoding="utf-8"))
    flags = []
    for section, values in data.items():
        for key, value in values.items():
            shown = str(value).lower() if isinstance(value, bool) else value
            flags.append(f"--{section}.{key}={shown}")
    return flags


def argv(port: int, address: str = "localhost") -> list[str]:
    """Streamlit's command line for the page."""
    return ["streamlit", "run", str(PAGE), f"--server.port={port}", f"--server.address={address}", *settings()]


def main(args: list[str] | None = None) -> None:
    """The factsim-workshop command."""
    ap = argparse.ArgumentParser(prog="factsim-workshop", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8501, help="the port to listen on (default 8501)")
    ap.add_argument("--address", default="localhost",
                    help="the address to listen on (default localhost: only this machine, e.g. a reverse "
                         "proxy; 0.0.0.0 listens on every network, without a login)")
    ns = ap.parse_args(args)
    if not 0 < ns.port < 65536:
        ap.error(f"--port {ns.port}: must be 1-65535")
    from streamlit.web import cli

    host = "localhost" if ns.address in ("localhost", "127.0.0.1", "0.0.0.0", "::") else ns.address
    print(f"factsim workshop: open http://{host}:{ns.port} (Ctrl-C stops it)", flush=True)
    sys.argv = argv(ns.port, ns.address)
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
