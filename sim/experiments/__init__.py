"""Experiments on the model: replications, side-by-side comparisons under common random
numbers, the pre/post study design and the statistics of their results."""
