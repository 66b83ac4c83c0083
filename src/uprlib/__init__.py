"""uprlib: reproducible analysis of the UN Universal Periodic Review.

Public API::

    import uprlib
    recs = uprlib.load_recommendations(country="CHN", cycle=2, level="state")
    paras = uprlib.load_recommendations(country="CHN", cycle=2, level="paragraph")
    rat = uprlib.load_ratification("CHN")
"""

from .tables import (
    NoDataError,
    available,
    load_crosscheck,
    load_ratification,
    load_recommendations,
)

__all__ = [
    "NoDataError",
    "available",
    "load_crosscheck",
    "load_ratification",
    "load_recommendations",
]
__version__ = "0.1.0"
