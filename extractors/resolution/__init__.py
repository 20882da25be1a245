"""Resolutions and presidential statements: their parser and what a mandate asks of the next report."""
