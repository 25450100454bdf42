"""Where the shipped configuration lives.

The scenarios (Hydra config groups) and the researchers' settings ship inside the
package, under ``sim/conf/``, so an installed ``factsim`` finds them from any folder.
In the repository ``sim/conf/scenarios`` and ``sim/conf/calibration`` are links to the
top-level ``scenarios/`` and ``calibration/`` folders that users read and edit; a
wheel carries copies. A user's ``--config-dir`` adds to or overrides these files.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
CONF = PACKAGE / "conf"
SCENARIOS = CONF / "scenarios"
CALIBRATION = CONF / "calibration"
# the source checkout (notebooks, benchmarks); absent in an installed wheel
REPOSITORY = PACKAGE.parent
