"""show.figure / show.table record the uprlib function that made what they show."""

from __future__ import annotations

import linecache
from types import SimpleNamespace

import pandas as pd
import pytest

from uprlib.analysis import show


@pytest.fixture()
def shown(monkeypatch, tmp_path):
    """Run code as a notebook cell would (source in linecache) and collect show's records."""
    records: list[dict] = []
    monkeypatch.setattr(show, "_display", lambda data, meta: records.append(meta))
    review = SimpleNamespace(name="Norway", label="Norway, cycle 1 (2009)", iso3="NOR",
                             output_dir=tmp_path)

    def run(source: str) -> list[dict]:
        filename = f"<cell-{len(linecache.cache)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        records.clear()
        exec(compile(source, filename, "exec"), {"show": show, "review": review})
        return [r for r in records if r["kind"] in ("figure", "table")]

    return run


def test_the_function_called_in_the_argument_is_recorded(shown):
    [meta] = shown("from uprlib.transform import countries\n"
                   "show.table(countries.countries().head(3), review, 'some_states',\n"
                   "           'Some states')\n")
    assert meta["source"] == "uprlib.transform.countries.countries"


def test_a_variable_is_traced_to_the_call_assigned_to_it(shown):
    [meta] = shown("from uprlib.transform.countries import countries as states\n"
                   "t = None\n"
                   "t = states().head(2)\n"
                   "show.table(t, review, 'some_states', 'Some states')\n")
    assert meta["source"] == "uprlib.transform.countries.countries"


def test_a_figure_records_its_function_too(shown):
    [meta] = shown("from uprlib.analysis import figures\n"
                   "import matplotlib.pyplot as plt\n"
                   "def draw():\n"
                   "    return plt.figure(figsize=(2, 1))\n"
                   "show.figure(draw(), review, 'blank', 'A blank figure')\n")
    assert meta["kind"] == "figure" and meta["source"] is None  # not a uprlib function


def test_an_expression_other_than_a_call_names_no_function(shown):
    [meta] = shown("from uprlib.transform import countries\n"
                   "show.table(countries.countries() if True else None, review, 'c', 'C')\n")
    assert meta["source"] is None  # nothing is guessed


def test_data_built_in_the_cell_names_no_function(shown):
    [meta] = shown("import pandas as pd\n"
                   "show.table(pd.DataFrame({'a': [1]}), review, 'tiny', 'Tiny')\n")
    assert meta["source"] is None


def test_a_library_function_calling_show_is_named(monkeypatch, tmp_path):
    from uprlib.analysis import events

    records: list[dict] = []
    monkeypatch.setattr(show, "_display", lambda data, meta: records.append(meta))
    review = SimpleNamespace(name="Norway", label="Norway, cycle 1 (2009)", iso3="NOR",
                             output_dir=tmp_path, cycle=1)
    facts = pd.DataFrame({"fact": ["detained"], "value": ["3"]})
    monkeypatch.setattr(events, "events", lambda review, section: [("An event", facts)])
    events.show_events(review, "civil_society")
    [meta] = [r for r in records if r["kind"] == "table"]
    assert meta["source"] == "uprlib.analysis.events.show_events"
