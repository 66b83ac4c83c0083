"""Shared fixtures. Integration tests fetch the raw files from the local mirror and build the
canonical tables once per session into a temporary folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from uprlib.workspace.fetch import mirror_dirs


@pytest.fixture(scope="session")
def processed(tmp_path_factory):
    """Folder holding tables freshly built by ``prepare_all`` from the real raw files."""
    if not mirror_dirs():
        pytest.skip("no local data mirror (../shared/upr-data or $UPRLIB_DATA_MIRROR)")
    from uprlib.load.prepare import prepare_all

    out = tmp_path_factory.mktemp("processed")
    prepare_all(out)
    return out


HOSTILE_FILE = Path(__file__).parent / "data" / "hostile_strings.json"


@pytest.fixture(scope="session")
def hostile_strings() -> list[str]:
    """Strings that must reach the paper as literal text (tests/data/hostile_strings.json):
    raw HTML, script URLs, Quarto shortcodes, pandoc raw blocks, Typst and LaTeX commands,
    Markdown, citation syntax, control characters, bidi marks, NUL, very long lines."""
    return json.loads(HOSTILE_FILE.read_text(encoding="utf-8"))


class RenderedText:
    """What a reader of a rendered paper sees: HTML text nodes, PDF text, both squashed."""

    @staticmethod
    def html(path: Path) -> str:
        """Text content of an HTML page (outside style/script), whitespace collapsed."""
        from html.parser import HTMLParser

        class _Text(HTMLParser):
            def __init__(self) -> None:
                super().__init__(convert_charrefs=True)
                self.parts: list[str] = []
                self.skip = 0

            def handle_starttag(self, tag, attrs):
                self.skip += tag in ("style", "script")
                self.parts.append(" ")

            def handle_endtag(self, tag):
                self.skip -= tag in ("style", "script")
                self.parts.append(" ")

            def handle_data(self, data):
                if not self.skip:
                    self.parts.append(data)

        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        return " ".join("".join(parser.parts).replace("\u00a0", " ").split())

    @staticmethod
    def pdf(path: Path) -> tuple[str, str]:
        """The PDF's text without any whitespace, as extracted and with the hyphens Typst adds
        at line ends removed (a literal hyphen may also end a line, hence both)."""
        from pypdf import PdfReader

        raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        dehyphenated = re.sub(r"-\n", "", raw)
        return re.sub(r"\s+", "", raw), re.sub(r"\s+", "", dehyphenated)


@pytest.fixture(scope="session")
def rendered_text() -> type[RenderedText]:
    return RenderedText
