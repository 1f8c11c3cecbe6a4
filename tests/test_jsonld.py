"""JSON-LD says what the page knows and no more: the date of the item's last change, the
list it belongs to, phones in E.164 form when their area code is written, and for sample
content a disclaimer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from gitsite import build_history_site
from sitefixture import copy_fixture
from test_golden import build_fixture

from towncat.site.jsonld import SAMPLE_DISCLAIMER, international_phone, with_page_facts
from towncat.site.urls import output_path

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ITEM = "towns/alpha/powers/cf-0001/"
OFFICE = "towns/alpha/institutions/service-center/"
BASE = "https://example.test/cat/"


def json_ld(site: Path, url: str) -> dict[str, Any]:
    found = SCRIPT.findall((site / output_path(url)).read_text(encoding="utf-8"))
    assert len(found) == 1, f"{url}: {len(found)} JSON-LD blocks"
    data: dict[str, Any] = json.loads(found[0])
    return data


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0533-0000105", "+865330000105"),
        ("05337181234", "+865337181234"),
        ("0533-71812345", "+8653371812345"),
        ("010-12345678", "+861012345678"),
        ("0533-7181234-802", "+865337181234;ext=802"),
        ("13912345678", "+8613912345678"),
        ("12345", "12345"),  # a service number has no international form
        ("400-123-4567", "400-123-4567"),
        ("7181234", "7181234"),  # no area code written: none is guessed
    ],
)
def test_phones_are_e164_only_where_the_area_code_is_written(written: str, e164: str) -> None:
    assert international_phone(written) == e164


def test_page_facts_keep_real_content_free_of_the_sample_disclaimer() -> None:
    entity = {"@type": "GovernmentOffice", "url": "https://x.test/a/", "telephone": "0533-1234567"}
    real = with_page_facts(entity, modified="2024-05-01", catalogue=None, sample=False)
    assert "disambiguatingDescription" not in real
    assert "creativeWorkStatus" not in json.dumps(real)
    assert real["telephone"] == "+865331234567"
    assert real["mainEntityOfPage"] == {
        "@type": "WebPage",
        "url": "https://x.test/a/",
        "dateModified": "2024-05-01",
    }
    assert entity["telephone"] == "0533-1234567"  # the input is left as it was


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture built outside git (its town alpha is sample content)."""
    tmp = tmp_path_factory.mktemp("jsonld")
    build_fixture(copy_fixture(tmp), tmp / "site")
    return tmp / "site"


def test_item_is_part_of_its_towns_list_in_the_towns_catalogue(plain_site: Path) -> None:
    page = json_ld(plain_site, ITEM)["mainEntityOfPage"]
    assert page["@type"] == "WebPage" and page["url"] == BASE + ITEM
    catalogue = page["isPartOf"]
    assert catalogue["@type"] == "Dataset"
    assert catalogue["url"] == BASE + "towns/alpha/powers/"
    assert catalogue["name"] == "甲镇赋权事项清单"
    assert catalogue["includedInDataCatalog"]["url"] == BASE + "towns/alpha/"
    office = json_ld(plain_site, OFFICE)["mainEntityOfPage"]["isPartOf"]
    assert office["url"] == BASE + "towns/alpha/institutions/"


def test_sample_content_carries_a_disclaimer(plain_site: Path) -> None:
    for url in (ITEM, OFFICE):
        data = json_ld(plain_site, url)
        assert data["disambiguatingDescription"] == SAMPLE_DISCLAIMER
        assert "示例" in data["mainEntityOfPage"]["creativeWorkStatus"]
        assert "示例" in data["mainEntityOfPage"]["isPartOf"]["creativeWorkStatus"]


def test_phones_in_the_page_json_ld_are_e164(plain_site: Path) -> None:
    office = json_ld(plain_site, OFFICE)
    assert re.fullmatch(r"\+86533\d{7,8}", office["telephone"]), office["telephone"]
    channel = json_ld(plain_site, "towns/alpha/powers/xk-0001/")["availableChannel"]
    assert channel["servicePhone"] == office["telephone"]


def test_without_git_history_no_date_modified_is_claimed(plain_site: Path) -> None:
    assert "dateModified" not in json_ld(plain_site, ITEM)["mainEntityOfPage"]


def test_date_modified_is_the_items_last_change(tmp_path: Path) -> None:
    _, site = build_history_site(tmp_path)
    assert json_ld(site, ITEM)["mainEntityOfPage"]["dateModified"] == "2024-03-01"
    record = (site / output_path(ITEM)).read_text(encoding="utf-8")
    assert "<dt>最近更新</dt><dd>2024-03-01</dd>" in record
    office = json_ld(site, OFFICE)["mainEntityOfPage"]
    assert office["dateModified"] == "2024-01-01"
