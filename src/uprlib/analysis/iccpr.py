"""ICCPR ratification: the recommendations, their responses and wording, and the report's
figures set beside the ones computed from the data."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from uprlib.output import curated
from uprlib.output.markup import Markdown, md
from uprlib.output.review import Review
from uprlib.output.tables import load_ratification
from uprlib.workspace import responses as vocabulary

from .common import responses_phrase
from .themes import ICCPR_RULE, iccpr_ratification, mentions_iccpr

# Wording markers: how demanding a recommendation is, from "consider" to a timetable.
WORDING = {
    "consider": r"\bconsider",
    "continue / take steps / move towards": r"\bcontinu|take (?:\w+ )?steps|move towards|"
                                            r"prepar|reforms? .* (?:to|for)",
    "accelerate / speed up / expedite": r"accelerat|speed up|expedit",
    "soon / timely / earliest date": r"as soon as|timely|\bearl(?:y|iest)\b|near future",
    "timetable / timeframe": r"time ?table|time ?frame",
    "plain 'ratify'": r"^(?:ratify|accede)\b",
}


def matches(review: Review) -> pd.DataFrame:
    """State-level rows of the paragraphs the ICCPR rule selects."""
    m = iccpr_ratification(review.state)
    cols = ["paragraph_id", "recommending_state", "text", "response", "asks_ratification"]
    return m[cols].reset_index(drop=True)


def left_out(review: Review) -> pd.DataFrame:
    """Recommendations that mention the Covenant but are not ICCPR-ratification ones."""
    m = mentions_iccpr(review.state)
    m = m.loc[~m["paragraph_key"].isin(set(iccpr_ratification(review.state)["paragraph_key"]))]
    return m[["paragraph_id", "recommending_state", "text", "response"]].reset_index(drop=True)


def wording(review: Review) -> pd.DataFrame:
    """Share of accepted and noted ICCPR recommendations using each wording marker (empty
    when no recommendation asks for ratification)."""
    m = matches(review)
    m = m.loc[m["asks_ratification"]]
    if m.empty:
        return pd.DataFrame()
    rows = []
    for label, pattern in WORDING.items():
        rx = re.compile(pattern, re.I)
        hit = m["text"].map(lambda s, rx=rx: bool(rx.search(s))).astype(bool)
        row = {"wording": label}
        for resp in ("accepted", "noted"):
            sub = hit[m["response"] == resp]
            row[f"{resp}_n"] = int(sub.sum())
            row[f"{resp}_share"] = round(100 * sub.mean(), 1) if len(sub) else None
        rows.append(row)
    return pd.DataFrame(rows)


def signature_years(review: Review) -> dict[str, Any]:
    """ICCPR status for the state and, if signed, years from signature to this review."""
    rat = load_ratification(review.iso3, folder=review.processed_dir)
    status = rat.loc[rat["instrument"] == "ICCPR", "status"]
    sig = curated.load("treaty_signatures", review.iso3)
    sig = sig.loc[sig["instrument"] == "ICCPR", "signature_date"]
    out: dict[str, Any] = {"iccpr_status": None if status.empty else str(status.iloc[0]),
                           "signature_date": None, "years_signature_to_review": None}
    if not sig.empty:
        date = pd.Timestamp(sig.iloc[0])
        review_day = review.review_date() or pd.Timestamp(review.year, 7, 1)
        out["signature_date"] = date.date().isoformat()
        out["years_signature_to_review"] = round((review_day - date).days / 365.25, 1)
    return out


def key_figures(review: Review) -> dict[str, Any]:
    """ICCPR-ratification recommendations: paragraphs, governments, accepted and noted, and
    signature years (the checked cell)."""
    m = iccpr_ratification(review.state)
    para = m.drop_duplicates("paragraph_key")
    return {
        "country": review.iso3, "cycle": review.cycle,
        "recommendations": len(para),
        "governments": len(m),
        "distinct_states": int(m["recommending_iso3"].nunique()),
        "accepted": int((para["response"] == vocabulary.ACCEPTED).sum()),
        "not_accepted": int((para["response"] == vocabulary.NOTED).sum()),
        # partly supported and pending paragraphs: only where there are any
        **{vocabulary.KEYS[r]: int((para["response"] == r).sum()) for r in vocabulary.EXTRA
           if (para["response"] == r).any()},
        **signature_years(review),
    }


def responses_in_words(f: dict[str, Any]) -> Markdown:
    """The responses to the ICCPR recommendations of key figures ``f`` in words ("10 were
    accepted and 7 noted"; with partly supported or pending ones, each counted)."""
    if not any(f.get(vocabulary.KEYS[r]) for r in vocabulary.EXTRA):
        return md("{} were accepted and {} noted", f["accepted"], f["not_accepted"])
    counts = {"paragraphs": f["recommendations"], "paragraphs_accepted": f["accepted"],
              "paragraphs_noted": f["not_accepted"],
              **{f"paragraphs_{vocabulary.KEYS[r]}": f.get(vocabulary.KEYS[r], 0)
                 for r in vocabulary.EXTRA}}
    return md("responses: {}", responses_phrase(counts))


def summary_note(review: Review, f: dict[str, Any]) -> Markdown:
    """The ICCPR notebook's opening sentences from its key figures ``f``."""
    signed = f", signed on {f['signature_date']}" if f["signature_date"] else ""
    return md("**{}** recommendation paragraphs asked {} to ratify the ICCPR, made by {} "
              "recommending states ({} distinct states); {}. The Covenant's status for {}: "
              "{}{}.", f["recommendations"], review.name, f["governments"],
              f["distinct_states"], responses_in_words(f), review.name,
              f["iccpr_status"] or "unknown", signed)


def claims_vs_data(review: Review) -> pd.DataFrame:
    """The ICCPR counts claimed by the registered report on this review beside the computed
    ones (claims whose metric is an ``iccpr`` count); empty if there is no such report."""
    from uprlib.audit import claims as report_claims
    from uprlib.audit import default_report

    cols = ["claim", "claimed", "computed", "agrees"]
    report = default_report(review.iso3, review.cycle)
    if report is None:
        return pd.DataFrame(columns=cols)
    rows = report_claims.load_claims(report, review.iso3, review.cycle)
    rows = rows.loc[rows["metric"].fillna("").str.startswith("iccpr.")
                    & (rows["unit"] == "count")]
    out = report_claims.compare(rows, review, None)
    out["claimed"] = out["claimed"].astype(int)
    out["computed"] = out["computed"].astype(int)
    out["agrees"] = out["agrees"].astype(bool)
    return out[cols].reset_index(drop=True)


RULE = Markdown(ICCPR_RULE)  # the project's own prose, shown as Markdown
