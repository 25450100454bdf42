"""Applications: the command lines users start."""
