"""The pages the project writes around the section notebooks.

Title and abstract, introduction, conclusions, the data-and-methods appendix and the
reference list. Every number in them is read from the key-figure cells of the notebooks
executed in the same build (:func:`key_figures`), or from the registry and the rules in the
code; the prose adapts to the state and cycle and says nothing about sections whose data is
missing. The prose is :class:`~uprlib.output.markup.Markdown` templates; every value put into
them (names, statuses, registry fields) is escaped by the paper's one rule, so it is shown as
typed.
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
from uprlib.analysis.iccpr import responses_in_words
from uprlib.analysis.themes import ICCPR_RULE, RULES
from uprlib.errors import PaperError
from uprlib.output.dictionary import data_dictionary
from uprlib.output.markup import Markdown, md
from uprlib.output.provenance import FilesUsed
from uprlib.output.review import Review

from .bib import BIB_FILES, data_key, law_key
from .dictionary import dictionary_markdown
from .notebook_md import qualified_name, source_line

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


def _n(f: dict[str, Any], key: str) -> int:
    """A count of key figures ``f``; 0 where absent (partly supported and pending counts are
    present only where a review has any)."""
    return int(f.get(key) or 0)


def _awaited(f: dict[str, Any], prefix: str = "paragraphs") -> bool:
    """Whether no recommendation counted in ``f`` has a response yet."""
    return bool(f.get(prefix)) and _n(f, f"{prefix}_pending") == f[prefix]


def _answered(f: dict[str, Any], prefix: str = "paragraphs") -> int:
    return int(f[prefix]) - _n(f, f"{prefix}_pending")


def _accepted_count(s: dict[str, Any]) -> Markdown:
    """"12 accepted" for a section's key figures, with the paragraphs supported in part and
    those awaiting a response where there are any; "responses awaited" where none has one."""
    if _awaited(s):
        return Markdown("responses awaited")
    text = md("{} accepted", s["paragraphs_accepted"])
    if _n(s, "paragraphs_partly_supported"):
        text += md(", {} partly supported", s["paragraphs_partly_supported"])
    if _n(s, "paragraphs_pending"):
        text += md(", {} awaiting a response", s["paragraphs_pending"])
    return text


def _wg_keys(review: Review, bib_keys: set[str]) -> list[str]:
    base = f"wg-{review.iso3.lower()}-cycle{review.cycle}"
    return [k for k in (base, f"{base}-add1") if k in bib_keys]


_LABEL = re.compile(r"(?:sec|fig|tbl)-[\w-]+|[A-Za-z0-9][\w:.-]*")


def _at(label: str) -> Markdown:
    """``@label``: a cross-reference or citation key the project made (checked, not escaped)."""
    if not _LABEL.fullmatch(label):
        raise PaperError(f"not a plain cross-reference label or citation key: {label!r}")
    return Markdown(f"@{label}")


def title(review: Review) -> Markdown:
    """The paper's title: the state, which review, and its year."""
    return md("{name}'s {ordinal} Universal Periodic Review ({year}): a reproducible mid-term "
              "assessment", name=review.name,
              ordinal=ORDINAL.get(review.cycle, f"cycle {review.cycle}"), year=review.year)


def abstract(review: Review, kf: dict[str, dict[str, Any]]) -> Markdown:
    """The abstract: the review's key figures and each section's, in sentences."""
    o = kf["overview"]
    parts = [md(
        "This paper recomputes, from the official record, a mid-term assessment of "
        "{name}'s review under the Universal Periodic Review (UPR) in {year}. "
        "{name} received {paragraphs} recommendation paragraphs "
        "({state_level} recommendations counted per recommending state, from "
        "{recommending_states} states) ", **{**o, "name": review.name})
        + _responses_sentence(review, o)]
    ic = kf.get("iccpr")
    if ic and ic["recommendations"]:
        parts.append(md(
            "{} paragraphs asked it to ratify the International Covenant on Civil and "
            "Political Rights; {}.", ic["recommendations"], responses_in_words(ic)))
    for key, what in (("treaty_bodies", "UN mechanisms"), ("civil_society", "civil society"),
                      ("access_to_justice", "access to justice")):
        s = kf.get(key)
        if s and s["paragraphs"] and _awaited(s):
            parts.append(md("On {}, {} paragraphs await a response.", what, s["paragraphs"]))
        elif s and s["paragraphs"]:
            extra = Markdown("")
            if _n(s, "paragraphs_partly_supported"):
                extra += md(", {} partly supported", s["paragraphs_partly_supported"])
            if _n(s, "paragraphs_pending"):
                extra += md("; {} await a response", s["paragraphs_pending"])
            parts.append(md("On {what}, {paragraphs_accepted} of {paragraphs} paragraphs were "
                            "accepted{extra}.", **{**s, "what": what, "extra": extra}))
    f = kf.get("followup")
    if f and f.get("accepted_here_come_back_next") is not None:
        parts.append(md("Following the recommendations into the next review, "
                        "{accepted_here_come_back_next_share:.0f}% of those accepted were "
                        "made again there.", **f))
    a = kf.get("audit")
    if a and a.get("citations"):
        parts.append(_audit_sentence(a))
    parts.append(Markdown("Every figure and table is produced by notebooks executed for this "
                          "build."))
    return Markdown(" ").join(parts)


def _responses_sentence(review: Review, o: dict[str, Any]) -> Markdown:
    """The end of the abstract's first sentence: what the state accepted ("and accepted 204
    (81%)."), the paragraphs it supported only in part and those awaiting a response counted
    apart, or, before any response is published, that it is awaited."""
    if _awaited(o):
        return md("; its response is awaited: no position on them has been published yet, so "
                  "none is counted as accepted or noted.")
    answered = _answered(o)
    text = md("and accepted {} ({}{})", o["paragraphs_accepted"],
              _pct(o["paragraphs_accepted"], answered),
              " of those answered" if answered != o["paragraphs"] else "")
    if _n(o, "paragraphs_partly_supported"):
        text += md(", supported {} only in part (counted apart) and noted {}",
                   o["paragraphs_partly_supported"], o["paragraphs_noted"])
    if _n(o, "paragraphs_pending"):
        text += md("; {} await a response", o["paragraphs_pending"])
    return text + Markdown(".")


def _audit_sentence(a: dict[str, Any]) -> Markdown:
    """One sentence on the audit of the assessed report (key figures of the audit notebook)."""
    classes = {k.removeprefix("class_"): v for k, v in a.items() if k.startswith("class_")}
    problems = {k: v for k, v in classes.items() if k != "exact" and v}
    text = md("An audit of the assessed report's {} recommendation citations finds {} exact",
              a["citations"], classes.get("exact", 0))
    if problems:
        text += Markdown(", ") + Markdown(", ").join(
            md("{} with a {}", v, k.replace("_", " ")) if k.startswith("wrong")
            else md("{} {}", v, k.replace("_", " ")) for k, v in problems.items())
    text += Markdown(".")
    if a.get("claims_testable"):
        text += md(" Of its {claims_testable} figures that the data can test, {claims_agree} "
                   "agree with the record.", **a)
    return text


# Typst layout for long tables: let them break across pages, wrap text unjustified, smaller
# type. A raw Typst block: Quarto and pandoc both pass it to Typst and leave it out of HTML.
# Pandoc wraps a captioned table in a figure of kind `table`, Quarto in `"quarto-float-tbl"`.
TYPST_LAYOUT = Markdown("""```{=typst}
#show figure.where(kind: table): set block(breakable: true)
#show figure.where(kind: "quarto-float-tbl"): set block(breakable: true)
#show table: set par(justify: false)
#show table: set text(size: 8pt)
#set table(inset: 3pt)
```""")


def front_matter(review: Review, kf: dict[str, dict[str, Any]],
                 nocite: list[str] | None = None) -> Markdown:
    """YAML front matter; its text values are Markdown (pandoc reads them so), escaped."""
    meta: dict[str, Any] = {
        "title": str(title(review)),
        "subtitle": "Recommendations, responses and follow-up recomputed from the UN record",
        "author": "uprlib (reproducible research package)",
        "date": dt.date.today().isoformat(),
        "abstract": str(abstract(review, kf)),
        "bibliography": list(BIB_FILES),
        "link-citations": True,
        "lang": "en",
    }
    if nocite:
        meta["nocite"] = str(Markdown("; ").join(_at(k) for k in nocite))
    return Markdown("---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True,
                                             width=1000) + "---")


def introduction(review: Review, kf: dict[str, dict[str, Any]], bib_keys: set[str],
                 sections: dict[str, str]) -> Markdown:
    """``sections``: section label -> title (Markdown of the notebook's heading), in order."""
    o = kf["overview"]
    wg = _wg_keys(review, bib_keys)
    wg_cite = md(" [{}]", Markdown("; ").join(_at(k) for k in wg)) if wg else Markdown("")
    reproduce = (review.iso3, review.cycle) == ("CHN", 2)
    text = [
        Markdown("# Introduction {#sec-introduction}"),
        Markdown(
            "The Universal Periodic Review is the peer review in which every member state of the "
            "United Nations has its human rights record examined by the other states in the "
            "Human Rights Council [@unga-res-60-251; @hrc-res-5-1]. Each review ends with a list "
            "of recommendations made by the reviewing states; the state under review answers "
            "each one, either accepting (supporting) it or taking note of it, and is expected to "
            "report on what it has done at its next review. Since the second cycle, states have "
            "also been encouraged to give a voluntary account of their progress half-way "
            "between two reviews [@hrc-res-16-21]."),
        Markdown(
            "Civil society fills the gap when states do not. In November 2016 Human Rights in "
            "China published such a mid-term assessment of China's 2013 review [@hric2016]: how "
            "many recommendations were made and accepted, and what followed on engagement with "
            "treaty bodies and special procedures, ratification of the International Covenant "
            "on Civil and Political Rights [@iccpr1966], laws governing civil society, and "
            "access to justice."),
        md("This paper rebuilds that assessment as software and runs it on the record of "
           "{name}'s review in {year}{which} The recommendations and responses come from "
           "{source}{wg_cite}; this state has reviews for cycles {cycles} in the data. Each "
           "section below is a notebook executed for this build, so its numbers, figures and "
           "tables are computed from the data, never typed.",
           name=review.name, year=o["year"], source=review.source_label, wg_cite=wg_cite,
           cycles=", ".join(str(c) for c in o.get("cycles_in_data", [])),
           which=(", the review the 2016 assessment covered." if reproduce else
                  ", applying the same questions to another review.")),
    ]
    if sections:
        text.append(md("The sections follow the assessment's questions: {}.", Markdown(
            "; ").join(md("{} ({})", Markdown(title.split(":")[0]), _at(label))
                       for label, title in sections.items())))
    return Markdown("\n\n").join(text)


def conclusions(review: Review, kf: dict[str, dict[str, Any]], labels: set[str],
                law_keys: list[str]) -> Markdown:
    """The conclusions: one point per section, each number from the key figures, pointing to its
    figure or table."""
    o = kf["overview"]

    def see(label: str) -> Markdown:
        return md(" ({})", _at(label)) if label in labels else Markdown("")

    points = [_overview_point(review, o, see("fig-overview-by-group"))]
    rate = o.get("specific_action_acceptance_rate")
    if rate is not None and _answered(o, "state_level"):
        overall = 100 * o["state_level_accepted"] / _answered(o, "state_level")
        points.append(md(
            "- Recommendations asking for specific action (category 5) were accepted at "
            "{rate:.0f}%, {comparison} the overall rate of {overall:.0f}%{see}.", rate=rate,
            comparison="below" if rate < overall else "at or above", overall=overall,
            see=see("fig-overview-by-action")))
    points += _followup_points(review, kf.get("followup"), see)
    points += _peer_points(review, kf.get("peers"), see)
    ic = kf.get("iccpr")
    if ic:
        status = ic.get("iccpr_status") or "unknown"
        if ic["recommendations"]:
            points.append(md(
                "- {recommendations} paragraphs asked for ratification of the ICCPR "
                "({responses}); the Covenant's status for {name} in the ratification data: "
                "{status}{see}.", name=review.name, status=status,
                see=see("tbl-iccpr-matches"), recommendations=ic["recommendations"],
                responses=_iccpr_counts(ic)))
        else:
            points.append(md("- No recommendation asked {} to ratify the ICCPR; its status in "
                             "the ratification data: {}.", review.name, status))
    tb = kf.get("treaty_bodies")
    if tb:
        tracked = (tb["instruments_ratified"] + tb["instruments_signed_only"]
                   + tb["instruments_no_action"])
        points.append(md(
            "- {paragraphs} paragraphs concerned the UN mechanisms ({accepted}); {name} is "
            "party to {instruments_ratified} of the {tracked} core instruments tracked{see}.",
            name=review.name, tracked=tracked, see=see("fig-treaty-bodies-ratification"),
            accepted=_accepted_count(tb),
            **{k: tb[k] for k in ("paragraphs", "instruments_ratified")}))
    cs = kf.get("civil_society")
    if cs:
        laws = Markdown("")
        if law_keys:
            laws = md(" The curated record lists {} laws, drafts and rules bearing on civil "
                      "society, adopted or published after the review (all in the "
                      "references){}.", len(law_keys), see("fig-civil-society-laws-timeline"))
        points.append(md("- {} paragraphs concerned expression, association, assembly and "
                         "defenders ({}).{}", cs["paragraphs"], _accepted_count(cs), laws))
    aj = kf.get("access_to_justice")
    if aj:
        points.append(md("- {} paragraphs concerned lawyers, courts and fair trial ({}){}.",
                         aj["paragraphs"], _accepted_count(aj),
                         see("fig-access-to-justice-topics")))
    a = kf.get("audit")
    if a and a.get("citations"):
        points.append(md("- {} See @sec-audit.", _audit_sentence(a)))
    return Markdown("\n\n").join([
        Markdown("# Conclusions {#sec-conclusions}"),
        Markdown("What the recomputed record shows:"),
        Markdown("\n").join(points),
        Markdown(
            "Accepting a recommendation is a promise, not a result: the counts above measure "
            "what was promised. Which recommendations belong to a section is decided by stated "
            "rules (@sec-data-methods) that cast a wide net; they are a reproducible "
            "approximation of an expert's reading, not a substitute for it."),
    ])


def _overview_point(review: Review, o: dict[str, Any], see: Markdown) -> Markdown:
    """The conclusions' first point: what the state accepted, at paragraph and state level
    (shares of those answered), the paragraphs supported only in part and those awaiting a
    response counted apart; or that its response is awaited."""
    if _awaited(o):
        return md("- The response of {} to its {} recommendation paragraphs ({} counted per "
                  "recommending state) is awaited: no position is published yet, so what it "
                  "accepted cannot be counted{}.", review.name, o["paragraphs"],
                  o["state_level"], see)
    text = md(
        "- {name} accepted {paragraphs_accepted} of {paragraphs} recommendation paragraphs "
        "({pct}); counted per recommending state, {state_level_accepted} of {state_level} "
        "({pct_state}){see}.", **{
            **o, "name": review.name, "see": see,
            "pct": _pct(o["paragraphs_accepted"], _answered(o)),
            "pct_state": _pct(o["state_level_accepted"], _answered(o, "state_level"))})
    if _n(o, "paragraphs_partly_supported"):
        text += md(" {} paragraphs were supported only in part; they are counted apart, not "
                   "as accepted.", o["paragraphs_partly_supported"])
    if _n(o, "paragraphs_pending"):
        text += md(" {} paragraphs still await a response; the shares are of those answered.",
                   o["paragraphs_pending"])
    return text


def _iccpr_counts(ic: dict[str, Any]) -> Markdown:
    """"10 accepted, 7 noted" for the ICCPR key figures, with partly supported and pending
    paragraphs where there are any."""
    extra = {k: _n(ic, k) for k in ("partly_supported", "pending")}
    if extra["pending"] and extra["pending"] == ic["recommendations"]:
        return Markdown("responses awaited")
    text = md("{} accepted", ic["accepted"])
    if extra["partly_supported"]:
        text += md(", {} partly supported", extra["partly_supported"])
    text += md(", {} noted", ic["not_accepted"])
    if extra["pending"]:
        text += md(", {} awaiting a response", extra["pending"])
    return text


def _followup_points(review: Review, f: dict[str, Any] | None, see) -> list[Markdown]:
    if not f or len(f.get("cycles_in_data", [])) < 2:
        return [md("- {} has one review in the data, so there is no follow-up across cycles "
                   "to measure.", review.name)] if f else []
    out = []
    if f.get("accepted_here_come_back_next") is not None:
        out.append(md(
            "- Of the {accepted_here} recommendations accepted in this review (counted per "
            "recommending state), {accepted_here_come_back_next} "
            "({accepted_here_come_back_next_share:.0f}%) were made again in the next review by "
            "the follow-up rule, which suggests they were not fully implemented{see}.",
            **{**f, "see": see("fig-overview-followup-come-back")}))
    if f.get("accepted_previous_come_back_here") is not None:
        out.append(md(
            "- Of the {accepted_previous} recommendations accepted in the previous review, "
            "{accepted_previous_come_back_here} ({accepted_previous_come_back_here_share:.0f}%) "
            "came back in this one.", **f))
    by_cycle = f.get("iccpr_recommendations_by_cycle") or {}
    if any(by_cycle.values()):
        out.append(md("- Recommendations to ratify the ICCPR, by cycle: {}{}.",
                      "; ".join(f"cycle {c}: {n}" for c, n in
                                sorted(by_cycle.items(), key=lambda x: int(x[0]))),
                      see("fig-overview-followup-iccpr")))
    return out


def _peer_points(review: Review, p: dict[str, Any] | None, see) -> list[Markdown]:
    if not p or p.get("acceptance_rank") is None:
        return []
    return [md(
        "- Among the {states_in_cycle} states reviewed in cycle {cycle} that are in the data "
        "(sessions {sessions_in_data}), {name}'s acceptance rate of {acceptance_rate:.0f}% "
        "ranks {acceptance_rank} from the top ({acceptance_percentile:.0f}% of them accept as "
        "large a share or less); the median is {cycle_median_acceptance_rate:.0f}% for all of "
        "them and {group_median_acceptance_rate:.0f}% in its regional group "
        "({un_regional_group}){see}.", **{**p, "cycle": review.cycle, "name": review.name,
                                           "see": see("fig-overview-peers-distribution")})]


def _imported_note(files) -> Markdown:
    n = sum(f.imported for f in files)
    if not n:
        return Markdown("")
    was, it_has, is_ = ("was", "it has", "is") if n == 1 else ("were", "they have", "are")
    return md(" {} of them (under `user/`) {} added by the researcher with `uprlib import` "
              "from OHCHR's website; {} no pinned URL and {} verified by the same checksum.",
              n, was, it_has, is_)


def _raw_files_table(used: FilesUsed) -> Markdown:
    rows = [Markdown("| file | used for | producer | licence | sha256 |"),
            Markdown("| :--- | :--- | :--- | :--- | :--- |")]
    for f, what in used.files:
        rows.append(md("| {} [{}] | {} | {} | {} | {} |", f.path, _at(data_key(f)), what,
                       f.producer, f.licence, _code(f.sha256)))
    return Markdown("\n").join(rows) + Markdown(
        "\n\n: The raw files this review's data came from, what each was used for, its "
        "producer, licence and SHA-256 checksum. {#tbl-raw-files}\n\n") + source_line(
        None, qualified_name(_raw_files_table))


def _curated_table(review: Review, rows: pd.DataFrame) -> Markdown:
    if rows.empty:
        return md("No curated facts on {}'s cycle {} review are in `data/raw/curated/`; the "
                  "sections that would show them say so. `uprlib curate --country {} --cycle "
                  "{}` adds template rows to fill in, and `uprlib check` validates them.",
                  review.name, review.cycle, review.iso3, review.cycle)
    lines = [Markdown("| file, line | row | source |"), Markdown("| :--- | :--- | :--- |")]
    for r in rows.itertuples():
        lines.append(md("| {}, {} | {} | {} |", f"{r.table}.csv", r.line, r.row, r.source))
    return Markdown("\n").join(lines) + Markdown(
        "\n\n: The curated rows this paper reads (files in `data/raw/curated/`), each with "
        "the document it comes from. {#tbl-curated-rows}\n\n") + source_line(
        None, qualified_name(_curated_table))


def data_and_methods(review: Review, software: dict[str, str], used: FilesUsed,
                     curated_rows: pd.DataFrame) -> Markdown:
    """The appendix: the raw files and curated rows this review's paper was built from, the
    selection rules and the software."""
    rules = []
    for rule in RULES.values():  # the rules are the project's code: their Markdown is kept
        rules.append(md("- **{}.** {}", rule.title, Markdown(rule.describe())))
        for topic, pattern in rule.topics.items():
            rules.append(md("  - *{}*: regular expression {}", topic, _code(pattern)))
    peers = md(" The peer comparison also reads the rows of the other states reviewed in cycle "
               "{} from {} further raw file{} of the registry "
               "(`src/uprlib/package_data/registry.toml`), pinned in the same way.",
               review.cycle, used.peer_files, "s" if used.peer_files != 1 else ""
               ) if used.peer_files else Markdown("")
    return Markdown("\n\n").join([
        Markdown("# Appendix: data and methods {#sec-data-methods}"),
        Markdown("## Raw files"),
        md("This review's data came from the {} raw files below, each pinned by its SHA-256 "
           "checksum and fetched from a local mirror or its upstream URL at a fixed commit; a "
           "file whose checksum differs is refused. Nothing is edited by hand: corrections to "
           "the sources are listed in `src/uprlib/package_data/source_corrections.csv` and "
           "applied on load.", len(used.files))
        + _imported_note([f for f, _ in used.files]) + peers,
        _raw_files_table(used),
        Markdown("## Curated facts"),
        Markdown(
            "Facts the raw sources lack (laws, visit requests, treaty-body follow-up, events, "
            "review dates, signatures, a report's claims) are small tables written by hand, "
            "each row citing the document it comes from and checked by `uprlib check`."),
        _curated_table(review, curated_rows),
        Markdown("## Data dictionary"),
        Markdown(
            "Every column of the tables the analysis reads: the processed tables written by "
            "`uprlib prepare`, the curated facts and the cross-country summary. Each table is "
            "declared once, as a schema that is checked whenever the table is written or read; "
            "this list is generated from those schemas."),
        dictionary_markdown() + Markdown(
            "\n\n: The columns of every table: type, whether a value may be missing, the "
            "checks each value must pass, and meaning. {#tbl-data-dictionary}\n\n")
        + source_line(None, qualified_name(data_dictionary)),
        Markdown("## How recommendations are selected for a section"),
        Markdown(
            "A recommendation belongs to a section when it carries one of the section's OHCHR "
            "theme codes (matrix data) or UPR Info issues, or when its text matches one of the "
            "section's patterns (case-insensitive). The rules are the same for every state and "
            "cycle:"),
        Markdown("\n").join(rules),
        md("- **Ratification of the ICCPR.** {}", Markdown(ICCPR_RULE)),
        Markdown("## Software"),
        md("Built with uprlib {} ({}).", __version__,
           "; ".join(f"{k} {v}" for k, v in software.items())),
    ])


def _code(text: str) -> Markdown:
    """A code span of the project's own text (a rule's pattern); refused if it could end early
    or hold a Quarto shortcode, which Quarto expands even inside code."""
    if "`" in text or "{{" in text or "\n" in text:
        raise PaperError(f"cannot show {text!r} as code in the paper")
    return Markdown(f"`{text}`")


def references() -> Markdown:
    """The references section, which citeproc fills."""
    return Markdown("# References {.unnumbered}\n\n::: {#refs}\n:::")


def laws_cited(laws: pd.DataFrame) -> list[str]:
    """Bibliography keys of the laws in a curated laws table."""
    return sorted({law_key(iso3, law) for iso3, law in zip(laws["country_iso3"], laws["law"],
                                                           strict=True)})
