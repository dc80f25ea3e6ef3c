"""Evaluation harnesses: score crossnews stages against shared gold data."""
