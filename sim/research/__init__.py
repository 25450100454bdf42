"""Research tools on top of experiments: calibration (ABC-SMC), sensitivity analysis,
the researchers' notebook."""
