"""The whole catalogue as model objects, with the indexes the pages need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .files import Document
from .model import (
    Duty,
    DutyList,
    Institution,
    InstitutionList,
    ListInfo,
    Power,
    PowerList,
    Region,
    Town,
    TownFacts,
    build_record,
)
from .thesaurus import Thesaurus, build_thesaurus


@dataclass(frozen=True)
class Catalogue:
    region: Region
    towns: tuple[Town, ...]  # sorted by NBS code
    thesaurus: Thesaurus = field(default_factory=Thesaurus)
    town_by_slug: dict[str, Town] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "town_by_slug", {t.slug: t for t in self.towns})

    def towns_in(self, county: str) -> list[Town]:
        return [t for t in self.towns if t.facts.county == county]


def find_office(town: Town, office_id: str) -> Institution | None:
    """The town's office with ``office_id``, if the town publishes its institutions."""
    if town.institutions is None:
        return None
    return next((o for o in town.institutions.items if o.id == office_id), None)


def _split(document: Document) -> tuple[ListInfo, list[dict[str, Any]]]:
    data = dict(document.data)
    items: list[dict[str, Any]] = data.pop(document.kind)
    return build_record(ListInfo, data), items


def _build_town(slug: str, by_kind: dict[str, Document]) -> Town:
    facts = build_record(TownFacts, by_kind["town"].data)
    powers = duties = institutions = None
    if "powers" in by_kind:
        info, items = _split(by_kind["powers"])
        powers = PowerList(info, tuple(build_record(Power, i) for i in items))
    if "duties" in by_kind:
        info, items = _split(by_kind["duties"])
        duties = DutyList(info, tuple(build_record(Duty, i) for i in items))
    if "institutions" in by_kind:
        info, items = _split(by_kind["institutions"])
        institutions = InstitutionList(info, tuple(build_record(Institution, i) for i in items))
    return Town(slug, facts, powers, duties, institutions)


def build_towns(facts: list[Document], lists: list[Document], slugs: list[str]) -> tuple[Town, ...]:
    """The towns ``slugs`` from their valid facts and list documents, in NBS-code order."""
    by_town: dict[str, dict[str, Document]] = {s: {} for s in slugs}
    for document in [*facts, *lists]:
        if document.town in by_town:
            by_town[document.town][document.kind] = document
    towns = [_build_town(slug, docs) for slug, docs in by_town.items() if "town" in docs]
    return tuple(sorted(towns, key=lambda t: t.facts.code))


def build_catalogue(documents: list[Document]) -> Catalogue:
    """The model from documents that all passed validation."""
    region = next(build_record(Region, d.data) for d in documents if d.kind == "region")
    by_town: dict[str, dict[str, Document]] = {}
    for document in documents:
        if document.town is not None:
            by_town.setdefault(document.town, {})[document.kind] = document
    towns = [_build_town(slug, docs) for slug, docs in by_town.items() if "town" in docs]
    ordered = tuple(sorted(towns, key=lambda t: t.facts.code))
    return Catalogue(region, ordered, build_thesaurus(documents))
