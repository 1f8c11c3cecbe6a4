"""What the pages that aggregate towns need to know about each town, and nothing more.

A ``TownSummary`` is small, plain and serialisable, so the city pages (home,
counties, overview, comparison, data) can be rendered from summaries alone: a
shard that builds some towns writes their summaries, and assembling the shards
never needs every town's full catalogue in one process.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .catalogue import Catalogue
from .model import County, Duty, Power, Region, Town
from .thesaurus import Thesaurus


@dataclass(frozen=True)
class Matter:
    """One power, as the comparison page matches it across towns."""

    key: str  # "code:<事项编码>" or "name:<事项名称>"
    name: str
    type: str
    code: str | None
    status: str
    id: str
    # what the comparison shows of its 办事指南 (materials is None: the item has no guide)
    legal: str | None = None
    promised: str | None = None
    fees: str | None = None
    materials: int | None = None
    visits: int | None = None
    online: bool = False


@dataclass(frozen=True)
class TownSummary:
    slug: str
    code: str
    name: str
    kind: str
    county: str
    sample: bool
    powers: int | None  # None: the town publishes no such list
    duties: int | None
    institutions: int | None
    power_types: tuple[tuple[str, int], ...]
    duty_kinds: tuple[tuple[str, int], ...]
    institution_kinds: tuple[tuple[str, int], ...]
    staffing: tuple[tuple[str, int], ...]  # administrative, institutional, other
    matters: tuple[Matter, ...]
    vocabulary: tuple[str, ...] = ()  # names, keywords and office names: the words search knows
    offices: tuple[tuple[str, str], ...] = ()  # (id, name) of each office, for the editing form
    centre_phone: str | None = None  # the 便民服务中心's phone, for search's help

    @property
    def has_lists(self) -> bool:
        return self.powers is not None or self.duties is not None or self.institutions is not None


@dataclass(frozen=True)
class Overview:
    """The region and one summary per town, in NBS-code order."""

    region: Region
    towns: tuple[TownSummary, ...]
    thesaurus: Thesaurus = field(default_factory=Thesaurus)

    def towns_in(self, county: str) -> list[TownSummary]:
        return [t for t in self.towns if t.county == county]

    def by_slug(self) -> dict[str, TownSummary]:
        return {t.slug: t for t in self.towns}

    def county(self, name: str) -> County:
        return next(c for c in self.region.counties if c.name == name)


def _counts(values: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items()))


def summarize_town(town: Town) -> TownSummary:
    powers = town.powers.items if town.powers else ()
    duties = town.duties.items if town.duties else ()
    offices = town.institutions.items if town.institutions else ()
    staffing = Counter[str]()
    for office in offices:
        if office.staffing:
            for name in ("administrative", "institutional", "other"):
                staffing[name] += getattr(office.staffing, name) or 0
    matters = tuple(matter(p) for p in powers)
    return TownSummary(
        town.slug,
        town.facts.code,
        town.facts.name,
        town.facts.kind,
        town.facts.county,
        town.facts.sample,
        len(powers) if town.powers else None,
        len(duties) if town.duties else None,
        len(offices) if town.institutions else None,
        _counts([p.type for p in powers]),
        _counts([d.list_kind for d in duties]),
        _counts([o.kind for o in offices]),
        tuple(sorted(staffing.items())),
        matters,
        vocabulary(town),
        tuple((o.id, o.name) for o in offices),
        town.facts.service_center.phone if town.facts.service_center else None,
    )


def matter(power: Power) -> Matter:
    """A power as the comparison page matches it (by 事项编码, else by name)."""
    guide, limit = power.guide, power.time_limit
    return Matter(
        f"code:{power.code}" if power.code else f"name:{power.name}",
        power.name,
        power.type,
        power.code,
        power.status,
        power.id,
        limit.legal if limit else None,
        limit.promised if limit else None,
        power.fees,
        len(guide.materials) if guide else None,
        guide.visits if guide else None,
        bool(guide and guide.online_url),
    )


_MATERIAL_PARTS = re.compile(r"[、，,；;/]|或者|以及|及|和")


def guide_words(item: Power | Duty) -> set[str]:
    """The documents a guide asks for and the result it gives, as short words
    (居民户口簿和居民身份证 → 居民户口簿, 居民身份证), so that search knows them."""
    guide = item.guide
    if guide is None:
        return set()
    names = [m.name for m in guide.materials] + ([guide.result_name] if guide.result_name else [])
    words = set()
    for name in names:
        for part in _MATERIAL_PARTS.split(re.sub(r"（[^）]*）|\([^)]*\)", "", name)):
            if 2 <= len(part.strip()) <= 12:
                words.add(part.strip())
    return words


def vocabulary(town: Town) -> tuple[str, ...]:
    """The words of a town that search should know: item names, keywords, office names."""
    words: set[str] = set()
    items: list[Power | Duty] = [*(town.powers.items if town.powers else ())]
    items += town.duties.items if town.duties else ()
    for item in items:
        words.add(item.name)
        words.update(item.keywords)
        words.update(guide_words(item))
    for office in town.institutions.items if town.institutions else ():
        words.add(office.name)
        if office.short_name:
            words.add(office.short_name)
    return tuple(sorted(words))


def summarize(catalogue: Catalogue) -> Overview:
    towns = tuple(summarize_town(t) for t in catalogue.towns)
    return Overview(catalogue.region, towns, catalogue.thesaurus)


def summary_to_json(summary: TownSummary) -> dict[str, Any]:
    return asdict(summary)


def summary_from_json(data: dict[str, Any]) -> TownSummary:
    pairs = ("power_types", "duty_kinds", "institution_kinds", "staffing", "offices")
    fields: dict[str, Any] = {
        k: tuple(tuple(p) for p in data[k]) if k in pairs else data[k] for k in data
    }
    fields["matters"] = tuple(Matter(**m) for m in data["matters"])
    fields["vocabulary"] = tuple(data.get("vocabulary", ()))
    return TownSummary(**fields)
