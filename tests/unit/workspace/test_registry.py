from uprlib.workspace.registry import builtin_registry


def test_every_entry_is_pinned():
    files = builtin_registry()
    assert len(files) >= 27
    for f in files:
        assert len(f.sha256) == 64 and f.size > 0 and f.licence and f.citation
        assert f.url.startswith("https://") or f.role == "report"
        if f.role == "ohchr_matrix":
            assert {"sur_iso3", "cycle", "session", "year"} <= set(f.meta)
    assert sum(f.role == "ratification" for f in files) == 18
