"""Cross-references and citations of the paper, resolved for pandoc."""

import pytest

from uprlib.paper.crossref import (
    UnresolvedReference,
    bib_keys,
    check_citations,
    citations,
    number,
    resolve,
)

DOC = """# Intro {#sec-intro}

See @fig-b, @tbl-t and @sec-two; as argued by @smith2020 [@doe2019, p. 3].

![First.](figures/a.png){#fig-a width=90%}

# Two {#sec-two}

![Second.](figures/b.png){#fig-b}

| a | b |
| ---: | :--- |
| 1 | x |

: A table. {#tbl-t}

# References {.unnumbered}
"""


def test_numbers_follow_document_order():
    n = number(DOC)
    assert n.numbers == {"sec-intro": "1", "sec-two": "2", "fig-a": "1", "fig-b": "2",
                         "tbl-t": "1"}


def test_html_gets_links_and_numbered_captions():
    out = resolve(DOC, "html")
    assert "[Figure 2](#fig-b)" in out and "[Table 1](#tbl-t)" in out
    assert "[Section 2](#sec-two)" in out
    assert "![Figure 1: First.](figures/a.png){#fig-a width=90%}" in out
    assert ": Table 1: A table. {#tbl-t}" in out
    assert "@fig-" not in out and "@tbl-" not in out and "@sec-" not in out


def test_typst_keeps_captions_for_typst_to_number():
    out = resolve(DOC, "typst")
    assert "![First.](figures/a.png)" in out and "[Figure 2](#fig-b)" in out


def test_a_reference_without_target_is_an_error_naming_it():
    with pytest.raises(UnresolvedReference, match="fig-missing"):
        resolve(DOC + "\nAnd @fig-missing.\n", "html")


def test_citations_exclude_cross_references_and_emails():
    keys = citations(DOC + "\nWrite to someone@example.org.\n")
    assert keys == {"smith2020", "doe2019"}


def test_unknown_citation_is_an_error():
    bib = "@misc{smith2020,\n  title = {x},\n}\n@report{doe2019,\n title={y},\n}\n"
    assert bib_keys(bib) == {"smith2020", "doe2019"}
    check_citations(DOC, bib_keys(bib))
    with pytest.raises(UnresolvedReference, match="doe2019"):
        check_citations(DOC, {"smith2020"})
