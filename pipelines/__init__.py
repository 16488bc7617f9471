"""Normalization chain: one concern per module, each a pure function wrapped by a thin pipeline."""
