"""The workspace stage: project paths, the raw-file registry, fetching by checksum and
atomic writes. Imports nothing else of uprlib but ``errors``."""
