import pandas as pd
import pytest

from uprlib.transform import countries


@pytest.mark.parametrize("name, iso3", [
    ("Iran (Islamic Republic of)", "IRN"), ("Islamic Republic of Iran", "IRN"),
    ("DPR Korea", "PRK"), ("Democratic People’s Republic of Korea", "PRK"),
    ("Laos", "LAO"), ("Macedonia FYR", "MKD"), ("Antigua & Barbuda", "ATG"),
    ("Côte d’Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Sierra Le one", "SLE"),
    ("Bolivia (Plurinational S tate of)", "BOL"), ("State of Palestine", "PSE"),
    ("Cote D&#8217;Ivoire", "CIV"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"), ("Viet Nam", "VNM"),
])
def test_known_spellings(name, iso3):
    assert countries.iso3_of(name) == iso3


def test_unmapped_names_are_all_listed():
    with pytest.raises(countries.UnmappedCountryError) as err:
        countries.to_iso3(["France", "Atlantis", "Narnia"], where="test.csv")
    assert err.value.names == ["Atlantis", "Narnia"]
    assert "test.csv" in str(err.value) and "'Atlantis'" in str(err.value)


def test_no_fuzzy_matching():
    with pytest.raises(countries.UnmappedCountryError):
        countries.iso3_of("Frence")


def test_table_is_complete_and_consistent():
    df = countries.countries()
    assert len(df) == 195  # 193 UN members and two observer states
    assert df["iso3"].is_unique and df["iso2"].is_unique
    assert (df["un_regional_group"] == "Observer").sum() == 2
    aliases = pd.read_csv(countries.ALIASES_FILE, dtype=str, keep_default_na=False)
    assert set(aliases["iso3"]) <= set(df["iso3"])
