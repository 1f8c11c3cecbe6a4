"""schema.org JSON-LD for item and office pages, and its safe embedding in HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from ..content.model import Guide, Institution, Power, Town

SAMPLE_DISCLAIMER = (
    "示例数据：本条目用于展示清单的格式和功能，并非官方公布的内容，其中的电话、地址等均为示例。"
    "办事请以政府部门公布的信息为准。"
)
SAMPLE_STATUS = "示例（非官方）"
PHONE_KEYS = frozenset({"telephone", "servicePhone", "faxNumber"})
# A number written with its area code (0533-1234567, 05331234567, 0533-1234567-802) or a
# mobile number (13912345678): the national number is known, so is the +86 form.
_AREA_NUMBER = re.compile(r"0(\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?")
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _authority(town: Town) -> dict[str, Any]:
    facts = town.facts
    name = facts.authority or facts.name + ("办事处" if facts.kind == "街道" else "人民政府")
    return {"@type": "GovernmentOrganization", "name": name}


def _place(address: str | None) -> dict[str, Any] | None:
    return {"@type": "Place", "address": address} if address else None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def power_ld(power: Power, town: Town, office: Mapping[str, Any], url: str) -> dict[str, Any]:
    channel = _clean(
        {
            "@type": "ServiceChannel",
            "servicePhone": office.get("phone"),
            "serviceLocation": _place(office.get("address")),
            "name": office.get("name"),
        }
    )
    guide = power.guide
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "@id": url,
            "url": url,
            "name": power.name,
            "serviceType": power.type,
            "category": power.field,
            "identifier": power.code or power.id,
            "provider": _authority(town),
            "serviceOperator": _clean(
                {"@type": "GovernmentOrganization", "name": office.get("name")}
            ),
            "areaServed": {"@type": "AdministrativeArea", "name": town.facts.name},
            "availableChannel": _channels(channel, guide),
            "termsOfService": power.fees,
            "serviceOutput": _output(guide),
            "hoursAvailable": _hours(guide, office),
            "audience": _audience(power.applicants),
        }
    )


def _channels(physical: dict[str, Any], guide: Guide | None) -> Any:
    """The office's desk, and the online channel when the guide has a link."""
    if guide is None or not guide.online_url:
        return physical
    online = {"@type": "ServiceChannel", "name": "网上办理", "serviceUrl": guide.online_url}
    return [physical, online]


def _output(guide: Guide | None) -> dict[str, Any] | None:
    if guide is None or not guide.result_name:
        return None
    return {"@type": "Thing", "name": guide.result_name}


def _hours(guide: Guide | None, office: Mapping[str, Any]) -> dict[str, Any] | None:
    """The guide's hours as written (schema.org's structured hours cannot hold 工作日 …)."""
    hours = (guide.hours if guide else None) or (office.get("hours") if guide else None)
    return {"@type": "OpeningHoursSpecification", "description": hours} if hours else None


def _audience(applicants: tuple[str, ...]) -> dict[str, Any] | None:
    if not applicants:
        return None
    return {"@type": "Audience", "audienceType": "、".join(applicants)}


def office_ld(office: Institution, town: Town, url: str) -> dict[str, Any]:
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "GovernmentOffice",
            "@id": url,
            "url": url,
            "name": office.name,
            "alternateName": list(office.also_named),
            "address": office.address,
            "telephone": office.phone,
            "openingHours": office.hours,
            "email": office.email,
            "parentOrganization": _authority(town),
            "areaServed": {"@type": "AdministrativeArea", "name": town.facts.name},
        }
    )


def town_ld(town: Town, region_name: str) -> dict[str, Any]:
    facts = town.facts
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "GovernmentOrganization",
            "name": _authority(town)["name"],
            "identifier": facts.code,
            "areaServed": {
                "@type": "AdministrativeArea",
                "name": facts.name,
                "containedInPlace": {
                    "@type": "AdministrativeArea",
                    "name": region_name + facts.county,
                },
            },
        }
    )


def international_phone(phone: str) -> str:
    """``phone`` in E.164 form (+86 and the national number, no trunk 0) when it is written
    with its area code or is a mobile number; an extension follows as ``;ext=`` (RFC 3966).
    Anything else (12345, 400 numbers, a local number without its area code) is returned
    as written: its international form is not known, and an area code is never guessed."""
    number = phone.strip()
    match = _AREA_NUMBER.fullmatch(number)
    if match:
        area, local, extension = match.groups()
        return f"+86{area}{local}" + (f";ext={extension}" if extension else "")
    if _MOBILE.fullmatch(number):
        return "+86" + number
    return phone


def with_international_phones(data: Any) -> Any:
    """``data`` with every phone value (``PHONE_KEYS``, at any depth) in E.164 form."""
    if isinstance(data, Mapping):
        return {
            key: international_phone(value)
            if key in PHONE_KEYS and isinstance(value, str)
            else with_international_phones(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [with_international_phones(value) for value in data]
    return data


def catalogue_ld(
    town: Town, list_title: str, list_url: str, town_url: str, base_url: str
) -> dict[str, Any]:
    """The list an item belongs to, as a ``Dataset`` in the town's catalogue."""
    return {
        "@type": "Dataset",
        "@id": base_url + list_url,
        "url": base_url + list_url,
        "name": town.facts.name + list_title,
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": base_url + town_url,
            "url": base_url + town_url,
            "name": town.facts.name + "权责清单",
        },
    }


def with_page_facts(
    data: Mapping[str, Any],
    *,
    modified: str | None,
    catalogue: Mapping[str, Any] | None,
    sample: bool,
) -> dict[str, Any]:
    """An entity's JSON-LD with what its page knows: the page (``mainEntityOfPage``, a
    ``WebPage`` with ``dateModified`` and ``isPartOf`` the town's list), phones in E.164
    form, and for sample content a disclaimer on the entity and the page. ``dateModified``
    and ``isPartOf`` belong to the page (a CreativeWork), not to a service or an office."""
    status = SAMPLE_STATUS if sample else None
    page = _clean(
        {
            "@type": "WebPage",
            "url": data.get("url"),
            "dateModified": modified,
            "isPartOf": _clean({**catalogue, "creativeWorkStatus": status}) if catalogue else None,
            "creativeWorkStatus": status,
        }
    )
    facts: dict[str, Any] = with_international_phones(data)
    facts["mainEntityOfPage"] = page
    if sample:
        facts["disambiguatingDescription"] = SAMPLE_DISCLAIMER
    return facts


def render_json_ld(data: Mapping[str, Any]) -> Markup:
    """JSON that cannot end the ``<script>`` element or start HTML inside it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)
