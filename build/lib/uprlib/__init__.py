"""uprlib: reproducible analysis of the UN Universal Periodic Review.

Public API::

    import uprlib
    recs = uprlib.load_recommendations(country="CHN", cycle=2, level="state")
    paras = uprlib.load_recommendations(country="CHN", cycle=2, level="paragraph")
    rat = uprlib.load_ratification("CHN")

The package is laid out by pipeline stage, each importing only from the stages below it:
``workspace`` (paths, registry, fetch) -> ``extract`` (one reader per raw format) ->
``transform`` (countries, corrections, canonical tables) -> ``load`` (schemas, writing the
processed tables) -> ``output`` (read API, ``Review``) -> ``audit`` -> ``analysis`` ->
``paper`` -> ``pipeline`` -> ``cli``. The names below are imported lazily, so ``import uprlib``
stays cheap.
"""

from __future__ import annotations

import warnings
from importlib import import_module
from typing import TYPE_CHECKING, Any

# pooch imports tqdm.auto, which warns inside Jupyter kernels without ipywidgets; the plain
# text progress bars are fine there
warnings.filterwarnings("ignore", message="IProgress not found")

if TYPE_CHECKING:
    from uprlib.errors import NoDataError, UprlibError
    from uprlib.output.tables import (
        available,
        load_crosscheck,
        load_ratification,
        load_recommendations,
    )

_LAZY = {
    "NoDataError": "uprlib.errors",
    "UprlibError": "uprlib.errors",
    "available": "uprlib.output.tables",
    "load_crosscheck": "uprlib.output.tables",
    "load_ratification": "uprlib.output.tables",
    "load_recommendations": "uprlib.output.tables",
}

__all__ = [
    "NoDataError",
    "UprlibError",
    "available",
    "load_crosscheck",
    "load_ratification",
    "load_recommendations",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'uprlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
