"""Figure and table output: one readable style, a colour-blind-safe palette, atomic saves."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from uprlib.workspace.atomic import atomic_path  # noqa: E402

# Okabe & Ito (2008) palette, safe for the common forms of colour blindness
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]
# by response (uprlib.workspace.responses): blue, sky blue between it and orange, grey for none
RESPONSE_COLOURS = {"accepted": "#0072B2", "partly supported": "#56B4E9", "noted": "#E69F00",
                    "pending": "#BBBBBB"}

STYLE = {
    "figure.figsize": (7.5, 4.2),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 10.5,
    "axes.titlesize": 12,
    "axes.labelsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
    "svg.fonttype": "none",
}


def use_style() -> None:
    """Apply the project's plotting style."""
    plt.rcParams.update(STYLE)


def save_figure(fig: plt.Figure, out_dir: Path | str, name: str,
                formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """Save ``fig`` in ``out_dir/figures`` (atomically) in each format; return the paths.

    PNG only by default: the paper and the notebooks show the PNG, and a second rendering as
    SVG cost about a third of the figures' time in every build.
    """
    folder = Path(out_dir) / "figures"
    paths = []
    for ext in formats:
        target = folder / f"{name}.{ext}"
        with atomic_path(target, suffix=f".{ext}") as tmp:
            fig.savefig(tmp, format=ext, bbox_inches="tight")
        paths.append(target)
    return paths


def save_table(df: pd.DataFrame, out_dir: Path | str, name: str) -> Path:
    """Save ``df`` as CSV in ``out_dir/tables`` (atomically)."""
    target = Path(out_dir) / "tables" / f"{name}.csv"
    with atomic_path(target, suffix=".csv") as tmp:
        df.to_csv(tmp, index=False)
    return target


def response_bars(counts: pd.DataFrame, title: str, xlabel: str, ylabel: str,
                  horizontal: bool = True) -> plt.Figure:
    """Stacked bars of the counts of each response; ``counts`` has columns accepted, noted
    and, where the data has them, partly supported and pending (each drawn when present)."""
    use_style()
    height = max(2.6, 0.32 * len(counts) + 1.4) if horizontal else 4.2
    fig, ax = plt.subplots(figsize=(7.5, height))
    cols = [c for c in RESPONSE_COLOURS if c in counts.columns]
    counts[cols].plot(kind="barh" if horizontal else "bar", stacked=True, ax=ax,
                      color=[RESPONSE_COLOURS[c] for c in cols], width=0.75)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if horizontal:
        ax.invert_yaxis()
    ax.legend(title="Response", frameon=False)
    fig.tight_layout()
    return fig


def cycle_bars(ax: plt.Axes, cycles: pd.Series, years: pd.Series, accepted: pd.Series,
               noted: pd.Series, ylabel: str, title: str,
               others: dict[str, pd.Series] | None = None) -> list[str]:
    """Accepted and noted counts (and ``others``: partly supported, pending, where there are
    any) stacked per review on ``ax``, one bar per cycle labelled "Cycle N (year)"; returns
    the bar labels (for annotations)."""
    x = [f"Cycle {c}\n({y})" for c, y in zip(cycles, years, strict=True)]
    parts = {"accepted": accepted, **(others or {}), "noted": noted}
    bottom = pd.Series(0, index=accepted.index)
    for response in RESPONSE_COLOURS:
        if response in parts and (response in ("accepted", "noted") or parts[response].any()):
            ax.bar(x, parts[response], bottom=bottom, color=RESPONSE_COLOURS[response],
                   label=response)
            bottom = bottom + parts[response]
    ax.set_ylabel(ylabel)
    ax.set_xlabel("Review")
    ax.set_title(title)
    ax.legend(title="Response", frameon=False)
    return x

