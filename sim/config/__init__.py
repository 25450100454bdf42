"""Configuration and validation: YAML config groups to frozen, validated parameters.

The lowest layer: it imports nothing else of the package.
"""
