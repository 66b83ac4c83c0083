"""The pages the project writes around the section notebooks.

Title and abstract, introduction, conclusions, the data-and-methods appendix and the
reference list. Every number in them is read from the key-figure cells of the notebooks
executed in the same build (:func:`key_figures`), or from the registry and the rules in the
code; the prose adapts to the state and cycle and says nothing about sections whose data is
missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import yaml

from uprlib import __version__
from uprlib.analysis.show import literal
from uprlib.analysis.themes import ICCPR_RULE, RULES
from uprlib.errors import PaperError
from uprlib.output.provenance import FilesUsed
from uprlib.output.review import Review

from .bib import data_key, law_key

KEY_FIGURES_MARK = "# NBVAL_CHECK_OUTPUT"
ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def key_figure_cells(notebook: Path) -> dict[str, dict[str, Any]]:
    """The JSON printed by each key-figure cell (the cells nbval checks), by the analysis module
    whose ``key_figures`` the cell calls (``overview``, ``followup``, ``peers``...)."""
    nb = nbformat.read(notebook, as_version=4)
    found: dict[str, dict[str, Any]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.lstrip().startswith(KEY_FIGURES_MARK):
            continue
        text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise PaperError(f"{notebook}: key-figure cell did not print JSON ({err})") from None
        m = re.search(r"(\w+)\.key_figures\(", cell.source)
        found[m.group(1) if m else f"cell{len(found)}"] = value
    if not found:
        raise PaperError(f"{notebook}: no cell starting with {KEY_FIGURES_MARK!r}")
    return found


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _wg_keys(review: Review, bib_keys: set[str]) -> list[str]:
    base = f"wg-{review.iso3.lower()}-cycle{review.cycle}"
    return [k for k in (base, f"{base}-add1") if k in bib_keys]


def title(review: Review) -> str:
    return (f"{review.name}'s {ORDINAL.get(review.cycle, f'cycle {review.cycle}')} Universal "
            f"Periodic Review ({review.year}): a reproducible mid-term assessment")


def abstract(review: Review, kf: dict[str, dict[str, Any]]) -> str:
    o = kf["overview"]
    parts = [
        f"This paper recomputes, from the official record, a mid-term assessment of "
        f"{review.name}'s review under the Universal Periodic Review (UPR) in {o['year']}. "
        f"{review.name} received {o['paragraphs']} recommendation paragraphs "
        f"({o['state_level']} recommendations counted per recommending state, from "
        f"{o['recommending_states']} states) and accepted {o['paragraphs_accepted']} "
        f"({_pct(o['paragraphs_accepted'], o['paragraphs'])})."
    ]
    ic = kf.get("iccpr")
    if ic and ic["recommendations"]:
        parts.append(
            f"{ic['recommendations']} paragraphs asked it to ratify the International Covenant on "
            f"Civil and Political Rights; {ic['accepted']} were accepted and "
            f"{ic['not_accepted']} noted.")
    for key, what in (("treaty_bodies", "UN mechanisms"), ("civil_society", "civil society"),
                      ("access_to_justice", "access to justice")):
        s = kf.get(key)
        if s and s["paragraphs"]:
            parts.append(f"On {what}, {s['paragraphs_accepted']} of {s['paragraphs']} "
                         f"paragraphs were accepted.")
    f = kf.get("followup")
    if f and f.get("accepted_here_come_back_next") is not None:
        parts.append(f"Following the recommendations into the next review, "
                     f"{f['accepted_here_come_back_next_share']:.0f}% of those accepted were "
                     f"made again there.")
    a = kf.get("audit")
    if a and a.get("citations"):
        parts.append(_audit_sentence(a))
    parts.append("Every figure and table is produced by notebooks executed for this build.")
    return " ".join(parts)


def _audit_sentence(a: dict[str, Any]) -> str:
    """One sentence on the audit of the assessed report (key figures of the audit notebook)."""
    classes = {k.removeprefix("class_"): v for k, v in a.items() if k.startswith("class_")}
    problems = {k: v for k, v in classes.items() if k != "exact" and v}
    text = (f"An audit of the assessed report's {a['citations']} recommendation citations "
            f"finds {classes.get('exact', 0)} exact")
    if problems:
        text += ", " + ", ".join(f"{v} with a {k.replace('_', ' ')}" if k.startswith("wrong")
                                 else f"{v} {k.replace('_', ' ')}" for k, v in problems.items())
    text += "."
    if a.get("claims_testable"):
        text += (f" Of its {a['claims_testable']} figures that the data can test, "
                 f"{a['claims_agree']} agree with the record.")
    return text


# Typst layout for long tables: let them break across pages, wrap text unjustified, smaller
# type. A raw Typst block: Quarto and pandoc both pass it to Typst and leave it out of HTML.
# Pandoc wraps a captioned table in a figure of kind `table`, Quarto in `"quarto-float-tbl"`.
TYPST_LAYOUT = """```{=typst}
#show figure.where(kind: table): set block(breakable: true)
#show figure.where(kind: "quarto-float-tbl"): set block(breakable: true)
#show table: set par(justify: false)
#show table: set text(size: 8pt)
#set table(inset: 3pt)
```"""


def front_matter(review: Review, kf: dict[str, dict[str, Any]],
                 nocite: list[str] | None = None) -> str:
    meta = {
        "title": title(review),
        "subtitle": "Recommendations, responses and follow-up recomputed from the UN record",
        "author": "uprlib (reproducible research package)",
        "date": dt.date.today().isoformat(),
        "abstract": abstract(review, kf),
        "bibliography": "references.bib",
        "link-citations": True,
        "lang": "en",
    }
    if nocite:
        meta["nocite"] = "; ".join(f"@{k}" for k in nocite)
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---"


def introduction(review: Review, kf: dict[str, dict[str, Any]], bib_keys: set[str],
                 sections: dict[str, str]) -> str:
    """``sections``: section label -> title, in order."""
    o = kf["overview"]
    wg = _wg_keys(review, bib_keys)
    wg_cite = f" [@{'; @'.join(wg)}]" if wg else ""
    reproduce = (review.iso3, review.cycle) == ("CHN", 2)
    cycles = ", ".join(str(c) for c in o.get("cycles_in_data", []))
    text = [
        "# Introduction {#sec-introduction}",
        "The Universal Periodic Review is the peer review in which every member state of the "
        "United Nations has its human rights record examined by the other states in the Human "
        "Rights Council [@unga-res-60-251; @hrc-res-5-1]. Each review ends with a list of "
        "recommendations made by the reviewing states; the state under review answers each one, "
        "either accepting (supporting) it or taking note of it, and is expected to report on "
        "what it has done at its next review. Since the second cycle, states have also been "
        "encouraged to give a voluntary account of their progress half-way between two reviews "
        "[@hrc-res-16-21].",
        "Civil society fills the gap when states do not. In November 2016 Human Rights in China "
        "published such a mid-term assessment of China's 2013 review [@hric2016]: how many "
        "recommendations were made and accepted, and what followed on engagement with treaty "
        "bodies and special procedures, ratification of the International Covenant on Civil and "
        "Political Rights [@iccpr1966], laws governing civil society, and access to justice.",
        (f"This paper rebuilds that assessment as software and runs it on the record of "
         f"{review.name}'s review in {o['year']}" + (
             ", the review the 2016 assessment covered." if reproduce else
             ", applying the same questions to another review.") +
         f" The recommendations and responses come from {review.source_label}{wg_cite}; "
         f"this state has reviews for cycles {cycles} in the data. Each section below is a "
         f"notebook executed for this build, so its numbers, figures and tables are computed "
         f"from the data, never typed."),
    ]
    if sections:
        text.append("The sections follow the assessment's questions: " + "; ".join(
            f"{title.split(':')[0]} (@{label})" for label, title in sections.items()) + ".")
    return "\n\n".join(text)


def conclusions(review: Review, kf: dict[str, dict[str, Any]], labels: set[str],
                law_keys: list[str]) -> str:
    o = kf["overview"]

    def see(label: str) -> str:
        return f" (@{label})" if label in labels else ""

    points = [
        f"- {review.name} accepted {o['paragraphs_accepted']} of {o['paragraphs']} "
        f"recommendation paragraphs ({_pct(o['paragraphs_accepted'], o['paragraphs'])}); "
        f"counted per recommending state, {o['state_level_accepted']} of {o['state_level']} "
        f"({_pct(o['state_level_accepted'], o['state_level'])}){see('fig-overview-by-group')}."
    ]
    rate = o.get("specific_action_acceptance_rate")
    if rate is not None:
        overall = 100 * o["state_level_accepted"] / o["state_level"]
        comparison = "below" if rate < overall else "at or above"
        points.append(
            f"- Recommendations asking for specific action (category 5) were accepted at "
            f"{rate:.0f}%, {comparison} the overall rate of {overall:.0f}%"
            f"{see('fig-overview-by-action')}.")
    points += _followup_points(review, kf.get("followup"), see)
    points += _peer_points(review, kf.get("peers"), see)
    ic = kf.get("iccpr")
    if ic:
        status = ic.get("iccpr_status") or "unknown"
        if ic["recommendations"]:
            points.append(
                f"- {ic['recommendations']} paragraphs asked for ratification of the ICCPR "
                f"({ic['accepted']} accepted, {ic['not_accepted']} noted); the Covenant's "
                f"status for {review.name} in the ratification data: {status}"
                f"{see('tbl-iccpr-matches')}.")
        else:
            points.append(f"- No recommendation asked {review.name} to ratify the ICCPR; its "
                          f"status in the ratification data: {status}.")
    tb = kf.get("treaty_bodies")
    if tb:
        tracked = (tb["instruments_ratified"] + tb["instruments_signed_only"]
                   + tb["instruments_no_action"])
        points.append(
            f"- {tb['paragraphs']} paragraphs concerned the UN mechanisms "
            f"({tb['paragraphs_accepted']} accepted); {review.name} is party to "
            f"{tb['instruments_ratified']} of the {tracked} core instruments tracked"
            f"{see('fig-treaty-bodies-ratification')}.")
    cs = kf.get("civil_society")
    if cs:
        laws = ""
        if law_keys:
            laws = (f" The curated record lists {len(law_keys)} laws, drafts and rules "
                    f"bearing on civil society, adopted or published after the review (all in "
                    f"the references){see('fig-civil-society-laws-timeline')}.")
        points.append(f"- {cs['paragraphs']} paragraphs concerned expression, association, "
                      f"assembly and defenders ({cs['paragraphs_accepted']} accepted).{laws}")
    aj = kf.get("access_to_justice")
    if aj:
        points.append(f"- {aj['paragraphs']} paragraphs concerned lawyers, courts and fair "
                      f"trial ({aj['paragraphs_accepted']} accepted)"
                      f"{see('fig-access-to-justice-topics')}.")
    a = kf.get("audit")
    if a and a.get("citations"):
        points.append(f"- {_audit_sentence(a)} See @sec-audit.")
    return "\n\n".join([
        "# Conclusions {#sec-conclusions}",
        "What the recomputed record shows:",
        "\n".join(points),
        "Accepting a recommendation is a promise, not a result: the counts above measure what "
        "was promised. Which recommendations belong to a section is decided by stated rules "
        "(@sec-data-methods) that cast a wide net; they are a reproducible approximation of an "
        "expert's reading, not a substitute for it.",
    ])


def _followup_points(review: Review, f: dict[str, Any] | None, see) -> list[str]:
    if not f or len(f.get("cycles_in_data", [])) < 2:
        return [f"- {review.name} has one review in the data, so there is no follow-up across "
                f"cycles to measure."] if f else []
    out = []
    if f.get("accepted_here_come_back_next") is not None:
        out.append(f"- Of the {f['accepted_here']} recommendations accepted in this review "
                   f"(counted per recommending state), {f['accepted_here_come_back_next']} "
                   f"({f['accepted_here_come_back_next_share']:.0f}%) were made again in the "
                   f"next review by the follow-up rule, which suggests they were not fully "
                   f"implemented"
                   f"{see('fig-overview-followup-come-back')}.")
    if f.get("accepted_previous_come_back_here") is not None:
        out.append(f"- Of the {f['accepted_previous']} recommendations accepted in the previous "
                   f"review, {f['accepted_previous_come_back_here']} "
                   f"({f['accepted_previous_come_back_here_share']:.0f}%) came back in this one.")
    by_cycle = f.get("iccpr_recommendations_by_cycle") or {}
    if any(by_cycle.values()):
        out.append("- Recommendations to ratify the ICCPR, by cycle: " + "; ".join(
            f"cycle {c}: {n}" for c, n in sorted(by_cycle.items(), key=lambda x: int(x[0])))
            + f"{see('fig-overview-followup-iccpr')}.")
    return out


def _peer_points(review: Review, p: dict[str, Any] | None, see) -> list[str]:
    if not p or p.get("acceptance_rank") is None:
        return []
    text = (f"- Among the {p['states_in_cycle']} states reviewed in cycle {review.cycle} that "
            f"are in the data (sessions {p['sessions_in_data']}), {review.name}'s acceptance "
            f"rate of {p['acceptance_rate']:.0f}% ranks {p['acceptance_rank']} from the top "
            f"({p['acceptance_percentile']:.0f}% of them accept as large a share or less); the "
            f"median is "
            f"{p['cycle_median_acceptance_rate']:.0f}% for all of them and "
            f"{p['group_median_acceptance_rate']:.0f}% in its regional group "
            f"({p['un_regional_group']}){see('fig-overview-peers-distribution')}.")
    return [text]


def _imported_note(files) -> str:
    n = sum(f.imported for f in files)
    if not n:
        return ""
    was, it_has, is_ = ("was", "it has", "is") if n == 1 else ("were", "they have", "are")
    return (f" {n} of them (under `user/`) {was} added by the researcher with `uprlib import` "
            f"from OHCHR's website; {it_has} no pinned URL and {is_} verified by the same "
            "checksum.")


def _raw_files_table(used: FilesUsed) -> str:
    rows = ["| file | used for | producer | licence | sha256 |",
            "| :--- | :--- | :--- | :--- | :--- |"]
    for f, what in used.files:
        rows.append(f"| {f.path} [@{data_key(f)}] | {what} | {f.producer} | {f.licence} | "
                    f"`{f.sha256}` |")
    return "\n".join(rows) + ("\n\n: The raw files this review's data came from, what each was "
                              "used for, its producer, licence and SHA-256 checksum. "
                              "{#tbl-raw-files}")


def _curated_table(review: Review, rows: pd.DataFrame) -> str:
    if rows.empty:
        return (f"No curated facts on {review.name}'s cycle {review.cycle} review are in "
                "`data/raw/curated/`; the sections that would show them say so. `uprlib curate "
                f"--country {review.iso3} --cycle {review.cycle}` adds template rows to fill "
                "in, and `uprlib check` validates them.")
    lines = ["| file, line | row | source |", "| :--- | :--- | :--- |"]
    for r in rows.itertuples():
        lines.append(f"| {r.table}.csv, {r.line} | {literal(r.row)} | {literal(r.source)} |")
    return "\n".join(lines) + ("\n\n: The curated rows this paper reads (files in "
                               "`data/raw/curated/`), each with the document it comes from. "
                               "{#tbl-curated-rows}")


def data_and_methods(review: Review, software: dict[str, str], used: FilesUsed,
                     curated_rows: pd.DataFrame) -> str:
    """The appendix: the raw files and curated rows this review's paper was built from, the
    selection rules and the software."""
    rules = []
    for rule in RULES.values():
        rules.append(f"- **{rule.title}.** {rule.describe()}")
        for topic, pattern in rule.topics.items():
            rules.append(f"  - *{topic}*: regular expression `{pattern}`")
    soft = "; ".join(f"{k} {v}" for k, v in software.items())
    peers = (f" The peer comparison also reads the rows of the other states reviewed in cycle "
             f"{review.cycle} from {used.peer_files} further raw file"
             f"{'s' if used.peer_files != 1 else ''} of the registry "
             f"(`src/uprlib/package_data/registry.toml`), pinned in the same way."
             if used.peer_files else "")
    return "\n\n".join([
        "# Appendix: data and methods {#sec-data-methods}",
        "## Raw files",
        f"This review's data came from the {len(used.files)} raw files below, each pinned by "
        "its SHA-256 checksum and fetched from a local mirror or its upstream URL at a fixed "
        "commit; a file whose checksum differs is refused. Nothing is edited by hand: "
        "corrections to the sources are listed in "
        "`src/uprlib/package_data/source_corrections.csv` and applied on load."
        + _imported_note([f for f, _ in used.files]) + peers,
        _raw_files_table(used),
        "## Curated facts",
        "Facts the raw sources lack (laws, visit requests, treaty-body follow-up, events, "
        "review dates, signatures, a report's claims) are small tables written by hand, "
        "each row citing the document it comes from and checked by `uprlib check`.",
        _curated_table(review, curated_rows),
        "## How recommendations are selected for a section",
        "A recommendation belongs to a section when it carries one of the section's OHCHR theme "
        "codes (matrix data) or UPR Info issues, or when its text matches one of the section's "
        "patterns (case-insensitive). The rules are the same for every state and cycle:",
        "\n".join(rules),
        f"- **Ratification of the ICCPR.** {ICCPR_RULE}",
        "## Software",
        f"Built with uprlib {__version__} ({soft}).",
    ])


def references() -> str:
    return "# References {.unnumbered}\n\n::: {#refs}\n:::"


def laws_cited(laws: pd.DataFrame) -> list[str]:
    """Bibliography keys of the laws in a curated laws table."""
    return sorted({law_key(iso3, law) for iso3, law in zip(laws["country_iso3"], laws["law"],
                                                           strict=True)})
