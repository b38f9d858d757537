"""Country name, code and alias resolution."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovindex.datasets import load_history
from egovindex.datasets.names import ALIASES, NameIndex, country_index, name_key, resolve_country
from egovindex.errors import InputError, UnknownCountryError

HISTORY = load_history()
# (iso3, UN name) of every country in every edition: the names a user copies from a table.
PAIRS = sorted({(c, n) for s in HISTORY for c, n in zip(s.countries, s.names, strict=True)})


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(
        c.swapcase() if flip else c
        for c, flip in zip(text, flips + [False] * len(text), strict=False)
    )


def test_index_holds_every_un_member() -> None:
    assert len(country_index().names) == 193
    assert {c for c, _ in PAIRS} == set(country_index().names)


@given(st.sampled_from(PAIRS), st.lists(st.booleans(), max_size=60))
def test_every_code_and_name_round_trips_in_any_case(
    pair: tuple[str, str], flips: list[bool]
) -> None:
    iso3, name = pair
    assert resolve_country(_recase(iso3, flips)) == iso3
    assert resolve_country(_recase(name, flips)) == iso3
    assert resolve_country(f"  {name.upper()} ") == iso3


@given(
    st.sampled_from(PAIRS),
    st.lists(st.sampled_from(["", "\u0301", "\u0302", "\u0308", "\u0303", "\u0323"]), max_size=60),
)
def test_every_name_is_accent_insensitive(pair: tuple[str, str], marks: list[str]) -> None:
    iso3, name = pair
    # Put arbitrary accents on the letters, composed (NFC) as a keyboard would type them ...
    accented = "".join(
        c + (m if c.isalpha() else "") for c, m in zip(name, marks + [""] * len(name), strict=False)
    )
    assert resolve_country(unicodedata.normalize("NFC", accented)) == iso3
    # ... and strip every accent the UN name carries ("Türkiye" -> "Turkiye").
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    assert resolve_country(plain) == iso3


@pytest.mark.parametrize(
    ("alias", "iso3"),
    [
        ("Vietnam", "VNM"),
        ("Viet Nam", "VNM"),
        ("VIỆT NAM", "VNM"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("Macedonia", "MKD"),
        ("North Macedonia", "MKD"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("South Korea", "KOR"),
        ("Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("North Korea", "PRK"),
        ("Russia", "RUS"),
        ("Iran", "IRN"),
        ("Iran, Islamic Republic of", "IRN"),
        ("Syria", "SYR"),
        ("Laos", "LAO"),
        ("Bolivia", "BOL"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Tanzania", "TZA"),
        ("Moldova", "MDA"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("USA", "USA"),
        ("United States", "USA"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Cape Verde", "CPV"),
        ("Burma", "MMR"),
        ("East Timor", "TLS"),
        ("Micronesia", "FSM"),
        ("Brunei", "BRN"),
        ("Holland", "NLD"),
        ("the Netherlands", "NLD"),
        ("Gambia, The", "GMB"),
        ("St Lucia", "LCA"),
        ("St. Vincent and the Grenadines", "VCT"),
        ("Sao Tome & Principe", "STP"),
        ("Congo", "COG"),
        ("DR Congo", "COD"),
        ("Georgia", "GEO"),
    ],
)
def test_common_aliases(alias: str, iso3: str) -> None:
    assert resolve_country(alias) == iso3


def test_every_alias_points_to_a_known_country() -> None:
    assert set(ALIASES.values()) <= set(country_index().names)


def test_unknown_name_lists_nearest_matches() -> None:
    with pytest.raises(UnknownCountryError, match=r"'Vietnma'.*Viet Nam \(VNM\)"):
        resolve_country("Vietnma")
    with pytest.raises(UnknownCountryError, match=r"Sweden \(SWE\)"):
        resolve_country("Sweeden")
    with pytest.raises(UnknownCountryError, match="ISO3 code"):
        resolve_country("zzzzzzzzzz")


def test_unknown_country_is_a_lookup_error_with_a_plain_message() -> None:
    with pytest.raises(LookupError) as info:
        resolve_country("Atlantis")
    assert str(info.value).startswith("unknown country 'Atlantis'")


def test_name_key_ignores_case_accents_punctuation() -> None:
    assert name_key("Côte d'Ivoire") == name_key("COTE D IVOIRE") == "cotedivoire"
    assert name_key("The Gambia") == name_key("gambia")
    assert name_key("St. Lucia") == name_key("Saint Lucia")


def test_conflicting_names_are_rejected_when_building_an_index() -> None:
    with pytest.raises(InputError, match=r"'Guinea'.*GIN.*GNB"):
        NameIndex.build([("GIN", ["Guinea"]), ("GNB", ["Guinea"])])
    index = NameIndex.build([("GIN", ["Guinea"]), ("GNB", ["Guinea-Bissau"])])
    assert index.resolve("guinea bissau") == "GNB"
    assert index.resolve("GUINEA") == "GIN"
