"""Readers for the raw source formats, one module per format."""
