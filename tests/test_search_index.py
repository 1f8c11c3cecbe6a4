"""The search bundles (Pagefind) and the search page's counties."""

from __future__ import annotations

import pytest

from towncat.config import ConfigError, parse_config
from towncat.content.model import County, Region
from towncat.content.summary import Overview, TownSummary
from towncat.search.bundles import plan_bundles
from towncat.site.pages import search_page


def _summary(slug: str, county: str, powers: int | None) -> TownSummary:
    return TownSummary(slug, "", slug, "镇", county, True, powers, None, None, (), (), (), (), ())


def test_bundles_split_a_county_into_groups_of_towns_and_never_mix_counties() -> None:
    region = Region("测试市", "370300", (County("370301", "甲区", "jia"), County("370302", "乙县", "yi")))
    towns = [_summary(f"a{i}", "甲区", 3) for i in range(5)]
    towns += [_summary("b0", "乙县", None), _summary("b1", "乙县", 2)]
    bundles = plan_bundles(Overview(region, tuple(towns)), 2)
    assert [(b.name, b.towns) for b in bundles] == [
        ("jia-1", ("a0", "a1")),
        ("jia-2", ("a2", "a3")),
        ("jia-3", ("a4",)),
        ("yi", ("b1",)),  # a town without lists is not indexed; one bundle keeps the slug
    ]
    assert [b.county for b in bundles] == ["甲区", "甲区", "甲区", "乙县"]
    assert [b.path for b in plan_bundles(Overview(region, tuple(towns)), 10)] == [
        "pagefind/jia/",
        "pagefind/yi/",
    ]


def test_search_page_offers_each_county_with_its_bundles() -> None:
    region = Region("测试市", "370300", (County("370301", "甲区", "jia"), County("370302", "乙县", "yi"),
                                         County("370303", "丙县", "bing")))
    towns = [_summary(f"a{i}", "甲区", 3) for i in range(3)] + [_summary("b0", "乙县", 1)]
    towns += [_summary("c0", "丙县", None)]  # nothing published: not offered
    overview = Overview(region, tuple(towns))
    page = search_page(overview, [(b.county, b.path) for b in plan_bundles(overview, 2)])
    assert page.context["counties"] == {"甲区": ["pagefind/jia-1/", "pagefind/jia-2/"],
                                        "乙县": ["pagefind/yi/"]}
    assert page.context["bundles"] == ["pagefind/jia-1/", "pagefind/jia-2/", "pagefind/yi/"]
    off = search_page(overview, [])
    assert off.context["counties"] == {} and off.context["bundles"] == []


def test_bundle_size_is_a_positive_whole_number_in_the_configuration() -> None:
    assert parse_config("search_bundle_towns = 6\n", "towncat.toml").search_bundle_towns == 6
    for bad in ('"6"', "0", "true", "2.5"):
        with pytest.raises(ConfigError, match="search_bundle_towns"):
            parse_config(f"search_bundle_towns = {bad}\n", "towncat.toml")
