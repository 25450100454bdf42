"""What users read: run folders of tidy tables, plots, the HTML report, sweep merges."""
