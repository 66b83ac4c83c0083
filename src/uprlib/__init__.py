"""uprlib: reproducible analysis of the UN Universal Periodic Review.

Public API::

    import uprlib
    recs = uprlib.load_recommendations(country="CHN", cycle=2, level="state")
    paras = uprlib.load_recommendations(country="CHN", cycle=2, level="paragraph")
    rat = uprlib.load_ratification("CHN")
"""

import warnings

# pooch imports tqdm.auto, which warns inside Jupyter kernels without ipywidgets; the plain
# text progress bars are fine there
warnings.filterwarnings("ignore", message="IProgress not found")

from .tables import (  # noqa: E402
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
