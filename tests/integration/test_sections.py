"""Section figures on the real data, and the notebook runner."""

import pytest

from uprlib import NoDataError
from uprlib.analysis import civil_society, iccpr, justice, mechanisms, overview
from uprlib.output.review import Review

pytestmark = pytest.mark.integration


def test_iccpr_figures_of_the_report_come_out(processed):
    figs = iccpr.key_figures(Review("CHN", 2, processed))
    assert (figs["recommendations"], figs["governments"], figs["accepted"],
            figs["not_accepted"]) == (17, 29, 10, 7)
    assert figs["distinct_states"] == 28  # the Maldives made two of the 29
    assert figs["iccpr_status"] == "signatory state"
    claims = iccpr.claims_vs_data(Review("CHN", 2, processed))
    assert claims["agrees"].all() and len(claims) == 4


def test_iccpr_rule_leaves_out_protocol_and_compliance_mentions(processed):
    out = iccpr.left_out(Review("CHN", 2, processed))
    assert set(out["paragraph_id"]) == {"186.17", "186.18", "186.127", "186.153"}


def test_overview_china_cycle2(processed):
    r = Review("CHN", 2, processed)
    figs = overview.key_figures(r)
    assert (figs["paragraphs"], figs["paragraphs_accepted"], figs["paragraphs_noted"]) == (
        252, 204, 48)
    assert figs["cycles_in_data"] == [1, 2, 3]
    act = overview.by_action(r).set_index("action")
    # specific-action recommendations are accepted far less often than "continue" ones
    assert act.loc[overview.ACTION_CATEGORIES[5], "acceptance_rate"] < \
        act.loc[overview.ACTION_CATEGORIES[2], "acceptance_rate"]


@pytest.mark.parametrize("country, cycle", [("CHN", 3), ("VNM", 2), ("NOR", 2), ("CUB", 1)])
def test_every_section_runs_for_other_reviews(processed, country, cycle):
    r = Review(country, cycle, processed)
    for module in (overview, mechanisms, iccpr, civil_society, justice):
        figs = module.key_figures(r)
        assert figs["country"] == country
    assert civil_society.figure_timeline(r) is None or country == "CHN"


def test_unknown_review_fails_at_once_listing_what_exists(processed):
    with pytest.raises(NoDataError, match="available cycles"):
        Review("NOR", 3, processed)


def test_a_failing_notebook_is_reported_and_leaves_no_output(processed, tmp_path):
    """What each notebook job does: the executed copy appears only on success; a failing
    cell is named and its partial run kept aside as <name>.failed.ipynb."""
    import nbformat as nbf

    from uprlib.pipeline import runner

    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    for name, src in (("good", "x = 1"), ("bad", "raise RuntimeError('boom in cell')")):
        nb = nbf.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        params = nbf.v4.new_code_cell("country = 'CHN'\ncycle = 2\nprocessed_dir = None\n"
                                      "output_dir = None")
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params, nbf.v4.new_code_cell(src)]
        nbf.write(nb, nb_dir / f"{name}.ipynb")
    out = tmp_path / "out" / "notebooks"
    params = {"country": "CHN", "cycle": 2, "processed_dir": str(processed)}
    runner.execute_notebook(nb_dir / "good.ipynb", out / "good.ipynb", params)
    good = (out / "good.ipynb").read_bytes()
    with pytest.raises(runner.NotebookFailed, match="notebook bad failed.*boom in cell"):
        runner.execute_notebook(nb_dir / "bad.ipynb", out / "bad.ipynb", params)
    assert (out / "good.ipynb").read_bytes() == good
    assert (out / "bad.failed.ipynb").exists()
    assert not (out / "bad.ipynb").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temp files
