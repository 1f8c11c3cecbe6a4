"""schema.org JSON-LD for item and office pages, and its safe embedding in HTML."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from ..content.model import Guide, Institution, Power, Town


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
