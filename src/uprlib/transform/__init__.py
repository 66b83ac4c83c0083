"""The transform stage: canonical country names, corrections, source precedence and
cross-checks that turn extracted rows into tidy tables."""
