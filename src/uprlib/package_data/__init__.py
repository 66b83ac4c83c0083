"""Package data (registry, countries, aliases, corrections): read by the stages above."""
