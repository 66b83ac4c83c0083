"""The load stage: the processed tables' schemas and ``prepare``, which writes them, and
``uprlib import`` of a user's own files."""
