"""Every error uprlib raises on purpose: one hierarchy under :class:`UprlibError`.

The command line prints an ``UprlibError`` as one line (the message names the option, file,
row or value at fault) and shows a traceback only for anything else, which is a bug. Each
class also derives from the built-in exception it used to be, so ``except ValueError`` and
the like keep working.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class UprlibError(Exception):
    """Base of every error uprlib raises on purpose."""


class UsageError(UprlibError, ValueError):
    """An option or argument has a value uprlib cannot use."""


class DataError(UprlibError, ValueError):
    """An input file or table does not have the form or content uprlib expects."""


class SourceFormatError(DataError):
    """A raw source file cannot be read by its reader."""


class MatrixFormatError(SourceFormatError):
    """The Word file is not an OHCHR matrix this reader understands."""


class UprInfoFormatError(SourceFormatError):
    """A UPR Info CSV does not have the expected columns or values."""


class DihrFormatError(SourceFormatError):
    """A DIHR SDG-Human Rights Data Explorer workbook does not have the expected layout."""


class UhriFormatError(SourceFormatError):
    """An export of the Universal Human Rights Index does not have the expected columns or
    values."""


class RatificationFormatError(SourceFormatError):
    """A ratification file does not have the expected columns or values."""


class SchemaError(DataError):
    """A table fails its declared schema."""


class ReportError(DataError):
    """A report given to the audit cannot be read."""


class UnmappedCountryError(DataError):
    """Some country names have no entry in the committed mapping."""

    def __init__(self, names: Iterable[str], where: str = ""):
        self.names = sorted(set(names))
        place = f" in {where}" if where else ""
        super().__init__(
            f"{len(self.names)} country name(s){place} not in countries.csv or "
            "country_aliases.csv: " + "; ".join(repr(n) for n in self.names)
        )


class ChecksumError(DataError):
    """A file's sha256 differs from the one pinned in the registry."""

    def __init__(self, path: Path | str, expected: str, actual: str):
        self.path, self.expected, self.actual = str(path), expected, actual
        super().__init__(f"checksum mismatch for {path}: expected sha256 {expected}, got {actual}")


class NoDataError(UprlibError, LookupError):
    """The requested state under review, cycle or table is not in the data."""


class MissingFileError(UprlibError, FileNotFoundError):
    """A file uprlib needs does not exist (the message says which step makes it)."""


class FetchError(UprlibError, RuntimeError):
    """No source could provide a verified copy of a raw file."""


class NotebookFailed(UprlibError, RuntimeError):
    """A section notebook raised an error."""


class PaperError(UprlibError, ValueError):
    """The paper cannot be assembled from what the notebooks produced."""


class NotebookNotPaperReady(PaperError):
    """An executed notebook holds an output the paper cannot place, or an error."""


class UnresolvedReference(PaperError):
    """A cross-reference or citation points at nothing."""


class RenderError(UprlibError, RuntimeError):
    """Quarto, pandoc or Typst failed; the message carries their output."""
