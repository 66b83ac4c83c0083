"""The paper's one escaping rule: untrusted strings are read by pandoc as plain text."""

from __future__ import annotations

import json
import string
import subprocess

import pytest

from uprlib.output.markup import Markdown, escape, html, md, plain


def _pandoc_ast(markdown: str) -> dict:
    import pypandoc

    out = subprocess.run([pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "json"],
                         input=markdown, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _stringify(inlines: list[dict]) -> str:
    return "".join(" " if i["t"] == "Space" else i["c"] for i in inlines)


def test_every_hostile_string_is_one_paragraph_of_plain_text_for_pandoc(hostile_strings):
    """Pandoc reads each escaped string as a paragraph holding only text and spaces: no raw
    HTML, code, raw block, link, image, citation, math, note, emphasis, heading, list..."""
    doc = _pandoc_ast("\n\n".join(escape(s) for s in hostile_strings))
    blocks = doc["blocks"]
    assert [b["t"] for b in blocks] == ["Para"] * len(hostile_strings)
    for block, s in zip(blocks, hostile_strings, strict=True):
        kinds = {i["t"] for i in block["c"]}
        assert kinds <= {"Str", "Space"}, (s, kinds)
        assert _stringify(block["c"]) == plain(s).strip()


def _plain_blocks(node) -> list[str]:
    """The text of every run of inlines in a pandoc JSON tree (cells, captions, titles)."""
    found = []
    if isinstance(node, list):
        if node and all(isinstance(i, dict) and i.get("t") in ("Str", "Space") for i in node):
            return [_stringify(node)]
        for item in node:
            found += _plain_blocks(item)
    elif isinstance(node, dict):
        for value in node.values():
            found += _plain_blocks(value)
    return found


def test_the_same_in_table_cells_captions_and_front_matter(hostile_strings):
    s = hostile_strings[6]  # the file name
    text = "\n".join([
        "---", f"title: '{escape(s)}'", "---", "",
        md("| {} | n |\n| --- | --- |\n| {} | 1 |\n\n: {} {{#tbl-x}}", s, s, s)])
    doc = _pandoc_ast(text)
    assert _stringify(doc["meta"]["title"]["c"]) == plain(s)
    assert [b["t"] for b in doc["blocks"]] == ["Table"]
    assert _plain_blocks(doc["blocks"]).count(plain(s)) == 3  # header, cell, caption
    assert '"RawInline"' not in json.dumps(doc) and '"Code"' not in json.dumps(doc)


def test_escaped_text_has_no_quarto_shortcode_opening(hostile_strings):
    """Quarto's shortcode parser (lpegshortcode.lua) runs on the raw text and opens a shortcode
    only at a literal ``{{<`` (or ``{{{<``); escaped text never has two adjacent braces."""
    for s in hostile_strings:
        e = escape(s)
        assert "{{" not in e and "}}" not in e, s
    assert escape("{{< env HOME >}}") == r"\{\{\< env HOME \>\}\}"
    assert escape("{{{< meta title >}}}") == r"\{\{\{\< meta title \>\}\}\}"


def test_every_ascii_punctuation_character_is_escaped_once():
    e = escape(string.punctuation)
    assert e == "".join("\\" + c for c in string.punctuation)
    assert escape(e) is e  # Markdown is never escaped twice


def test_controls_bidi_marks_and_whitespace_are_shown_on_one_line():
    assert plain("a\x00b\x1b\u202ec\u200fd\udcff") == "a[U+0000]b[U+001B][U+202E]c[U+200F]d[U+DCFF]"
    assert plain("  line\r\nbreak\ttab\u2028x  ") == " line break tab x "
    assert plain("Côte d’Ivoire — العربية") == "Côte d’Ivoire — العربية"  # letters stay
    assert "\n" not in escape("# heading\n- item\n    code")


def test_markdown_templates_escape_values_and_keep_markdown():
    row = "<b>*x*</b>"
    assert md("**{n}** of {name}", n=3, name=row) == r"**3** of \<b\>\*x\*\<\/b\>"
    assert md("{share:.0f}%", share=55.4) == "55%"
    assert md("{}", Markdown("*kept*")) == "*kept*"
    joined = Markdown("; ").join(["a;b", Markdown("*c*")])
    assert joined == r"a\;b; *c*" and isinstance(joined, Markdown)
    assert Markdown("*a* ") + "_b_" == r"*a* \_b\_"
    assert "_b_ " + Markdown("*a*") == r"\_b\_ *a*"
    assert isinstance(md("x") + "y", Markdown)


def test_html_text_for_notebook_displays():
    assert html('<img src=x onerror="alert(1)">') == (
        "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;")


@pytest.mark.parametrize("value", [None, 3, 2.5, "x"])
def test_any_value_becomes_text(value):
    assert escape(value) == str(value).replace(".", "\\.")
