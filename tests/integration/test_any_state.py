"""Any state under review, any cycle: counts checked against the raw DIHR workbooks and UPR
Info CSVs by an independent computation, the batch summary, follow-up across cycles, and a
robustness sweep over a broad sample of reviews (the full sweep is
``benchmarks/sweep_reviews.py``)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from functools import partial

import pytest
from openpyxl import load_workbook

from uprlib.analysis import followup, overview, peers
from uprlib.output import crosscountry
from uprlib.output.review import Review
from uprlib.output.tables import load_recommendations, review_sources
from uprlib.pipeline import batch
from uprlib.workspace.paths import raw_dir

pytestmark = pytest.mark.integration

# One state per UN regional group, as the UPR Info export spells its name. Each was reviewed
# in both cycles of the export.
STATES = {"VNM": "Viet Nam", "CUB": "Cuba", "NOR": "Norway", "NGA": "Nigeria",
          "UKR": "Ukraine"}
GROUPS = {"VNM": "Asia-Pacific", "CUB": "GRULAC", "NOR": "WEOG", "NGA": "Africa",
          "UKR": "EEG"}


def _raw_counts() -> dict[tuple[str, int], dict[str, int]]:
    """Counts per (state name, cycle) read straight from the export with the csv module.

    The files are MacRoman text with old-Mac CR line endings. Sessions 1-12 are cycle 1 and
    13 onwards cycle 2. A paragraph is a distinct (text, response) of one review, texts
    compared case-blind with runs of punctuation and space folded.
    """
    folder = raw_dir() / "rochelleterman" / "uprs" / "v.2" / "Data" / "CSVs"
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 5, f"expected the 5 UPR Info CSVs in {folder}, found {files}"
    rows: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for path in files:
        text = path.read_bytes().decode("mac_roman").replace("\r\n", "\n").replace("\r", "\n")
        for r in csv.DictReader(io.StringIO(text)):
            name = " ".join(r["To"].split())
            if name in STATES.values():
                rows[(name, 1 if int(r["Session"]) <= 12 else 2)].append(r)
    out = {}
    for key, rs in rows.items():
        accepted = [r["Response"].strip().lower() == "accepted" for r in rs]
        fold = [re.sub(r"\W+", " ", html.unescape(r["Text"]).casefold()).strip() for r in rs]
        paragraphs = {(t, a) for t, a in zip(fold, accepted, strict=True)}
        senders = {" ".join(html.unescape(r["From"]).split()) for r in rs} - {"(Unknown)"}
        action5 = [r["Action"].strip() == "5" for r in rs]
        out[key] = {
            "state_level": len(rs), "state_level_accepted": sum(accepted),
            "state_level_noted": len(rs) - sum(accepted),
            "paragraphs": len(paragraphs),
            "paragraphs_accepted": sum(1 for _, a in paragraphs if a),
            "recommending_states": len(senders),
            "action5": sum(action5),
            "action5_accepted": sum(a and b for a, b in zip(action5, accepted, strict=True)),
        }
    return out


@pytest.fixture(scope="module")
def raw_counts(processed):  # the fixture fetches the raw files into data/raw
    return _raw_counts()


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _dihr_counts() -> dict[tuple[str, int], dict[str, int]]:
    """Counts per (state name, cycle) read straight from the DIHR workbooks with openpyxl.

    A paragraph is a Working Group report paragraph number "<n>.<m>" of the Document cell;
    rows without one count one paragraph per distinct (folded text, response). Rows
    identical in every cell count once.
    """
    folder = raw_dir() / "gl0bsec" / "UPR-Analysis" / "other_files" / "lauren-files" / "upr"
    rows: dict[tuple[str, int], set[tuple]] = defaultdict(set)
    for name in ("upr1.xlsx", "upr2.xlsx"):
        sheet = load_workbook(folder / name, read_only=True)["Explorer"]
        it = sheet.iter_rows(values_only=True)
        head = next(it)
        for r in it:
            d = dict(zip(head, (" ".join(str(v).split()) if v else "" for v in r),
                         strict=True))
            if d["Recommendation"] in STATES.values():
                key = (d["Recommendation"], int(d["field_year"][-1]))
                rows[key].add(tuple(d.values()))
    out = {}
    for key, rs in rows.items():
        ds = [dict(zip(head, r, strict=True)) for r in rs]
        accepted = [d["Response"] == "Supported" for d in ds]
        paras = set()
        for d, a in zip(ds, accepted, strict=True):
            m = re.fullmatch(r"Source:[^|]+\|(\d+\.\d+)\|", d["Document"])
            paras.add((m[1], None) if m else (_fold(d["Tekst"]), a))
        out[key] = {
            "state_level": len(ds), "state_level_accepted": sum(accepted),
            "state_level_noted": len(ds) - sum(accepted), "paragraphs": len(paras),
            "recommending_states": len({d["Recommending state"] for d in ds}),
        }
    return out


@pytest.fixture(scope="module")
def dihr_counts(processed):  # the fixture fetches the raw files into data/raw
    return _dihr_counts()


@pytest.mark.parametrize("iso3", list(STATES))
@pytest.mark.parametrize("cycle", [1, 2])
def test_counts_match_the_raw_dihr_workbooks(processed, dihr_counts, iso3, cycle):
    want = dihr_counts[(STATES[iso3], cycle)]
    figs = overview.key_figures(Review(iso3, cycle, processed))
    assert figs["source"] == "dihr"
    row = crosscountry.summary_table(cycle, processed).set_index("sur_iso3").loc[iso3]
    for key in ("state_level", "state_level_accepted", "state_level_noted", "paragraphs",
                "recommending_states"):
        assert figs[key] == want[key], key
    for key in ("state_level", "state_level_accepted", "paragraphs", "recommending_states"):
        assert row[key] == want[key], key
    assert row["acceptance_rate"] == round(100 * want["state_level_accepted"]
                                           / want["state_level"], 1)
    assert row["un_regional_group"] == GROUPS[iso3]
    assert row["source"] == "dihr"


@pytest.mark.parametrize("iso3", list(STATES))
@pytest.mark.parametrize("cycle", [1, 2])
def test_uprinfo_rows_match_the_raw_csv(processed, raw_counts, iso3, cycle):
    """The old export stays in the table as it was, for reproducibility and cross-checks."""
    want = raw_counts[(STATES[iso3], cycle)]
    recs = load_recommendations(iso3, cycle, source="upr_info", folder=processed)
    accepted = recs["response"] == "accepted"
    paras = recs.drop_duplicates("paragraph_key")
    got = {"state_level": len(recs), "state_level_accepted": int(accepted.sum()),
           "paragraphs": len(paras),
           "paragraphs_accepted": int((paras["response"] == "accepted").sum()),
           "recommending_states": recs["recommending_iso3"].nunique(),
           "action5": int((recs["action_category"] == 5).sum()),
           "action5_accepted": int(((recs["action_category"] == 5) & accepted).sum())}
    assert got == {k: want[k] for k in got}


def test_summary_covers_every_state_in_the_data(processed):
    reviews = batch.all_reviews(processed)
    for cycle in (1, 2, 3):
        t = crosscountry.summary_table(cycle, processed)
        expected = sorted(s for s, c in reviews if c == cycle)
        assert t["sur_iso3"].tolist() == expected
        assert t["acceptance_rank"].between(1, len(t)).all()
        columns = list(crosscountry.SUMMARY_COLUMNS)
        assert t[columns].columns.tolist() == columns
    assert len(crosscountry.summary_table(1, processed)) == 193  # cycle 1 is complete
    # China's 2013 row comes from the OHCHR matrix and agrees with its overview
    row = crosscountry.summary_table(2, processed).set_index("sur_iso3").loc["CHN"]
    figs = overview.key_figures(Review("CHN", 2, processed))
    assert row["source"] == "ohchr_matrix"
    assert (row["paragraphs"], row["state_level"]) == (figs["paragraphs"], figs["state_level"])


def test_china_follow_up_across_three_cycles(processed):
    r = Review("CHN", 2, processed)
    icc = followup.iccpr_by_cycle(r).set_index("cycle")
    assert icc["year"].to_dict() == {1: 2009, 2: 2013, 3: 2018}
    # cycle 1 comes from the DIHR export, whose paragraph numbers join the 11 state-level
    # recommendations into 7 paragraphs (grouping identical texts of UPR Info counted 11)
    assert icc["recommendations"].to_dict() == {1: 7, 2: 17, 3: 6}
    assert icc.loc[1, "source"] == "dihr" and icc.loc[1, "governments"] == 11
    assert icc.loc[2, ["governments", "accepted", "noted"]].tolist() == [29, 10, 7]
    p = followup.pairs(r)
    assert set(zip(p["from_cycle"], p["to_cycle"], strict=True)) == {(1, 2), (2, 3)}
    assert (p["similarity"] >= followup.MIN_SIMILARITY).all() and (p["shared_topics"] != "").all()
    cb = followup.come_back(r).set_index(["from_cycle", "response"])
    for a in (1, 2):
        n = len(p.loc[(p["from_cycle"] == a) & (p["from_response"] == "accepted"),
                      "from_rec_id"].unique())
        assert cb.loc[(a, "accepted"), "come_back"] == n
    ex = followup.examples(r)
    assert 3 <= len(ex) <= 6 and (ex["from_response"] == "accepted").all()
    topics = followup.topics_by_cycle(r)
    assert topics.loc[topics["topic"] == "death penalty", "recurs"].item()


def test_peers_in_cycle_3_are_the_states_of_session_27_and_the_ohchr_files(processed):
    r = Review("CHN", 3, processed)
    c3 = review_sources(processed).query("cycle == 3")
    # the 14 reviews of session 27 (UPR Info 2018) and those from OHCHR files (China, Slovenia)
    assert (c3["session"] == 27).sum() == 14 and {"CHN", "SVN"} <= set(c3["sur_iso3"])
    note = peers.coverage_note(r)
    assert f"Peers are the {len(c3)} state(s) under review in cycle 3" in note
    assert f"Working Group sessions 27-{c3['session'].max()}" in note and "too few" not in note
    assert not peers.comparison(r).empty and peers.figure_distribution(r) is not None


# A broad sample: every regional group, every source (OHCHR matrix, DIHR with official and
# with estimated paragraphs, the 2018 UPR Info export), cycles 1-3, the smallest reviews,
# states whose section rules select nothing, a state reviewed once, China's three cycles.
SAMPLE = [("BHR", 1), ("ECU", 1), ("LIE", 2), ("TUV", 2), ("FRA", 1), ("VNM", 2), ("CUB", 1),
          ("NOR", 2), ("NGA", 2), ("UKR", 1), ("CHN", 1), ("CHN", 2), ("CHN", 3),
          ("AUS", 2), ("MEX", 2), ("SDN", 2), ("BRA", 3), ("ZAF", 3), ("POL", 3)]


def test_every_analysis_function_runs_on_a_broad_sample(processed):
    functions = batch.review_functions()
    assert {"overview.key_figures", "followup.figure_come_back", "peers.figure_groups",
            "civil_society.figure_topics", "iccpr.wording"} <= set(functions)
    results, failures = batch.run_many(SAMPLE, partial(batch.check_review,
                                                       processed_dir=processed),
                                       progress=False)
    assert not failures, batch.failure_report(failures)
    assert all(set(timings) == set(functions) for timings in results.values())
