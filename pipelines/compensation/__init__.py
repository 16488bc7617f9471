"""Compensation: salary from a source's structured fields or from the text."""
