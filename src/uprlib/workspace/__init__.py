"""The workspace stage: project paths, the raw-file registry, fetching by checksum, atomic
writes, the project's run lock and the vocabulary of responses. Imports nothing else of
uprlib but ``errors``."""
