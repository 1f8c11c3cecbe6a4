"""The catalogue as frozen dataclasses. Field names are the YAML keys of ``schemas/``.

``build_record`` turns validated plain data into these types; a test checks that
every schema property has a field here and the other way round.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    title: str
    document_number: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Basis:
    law: str
    article: str | None = None
    text: str | None = None
    revised: str | None = None


@dataclass(frozen=True)
class TimeLimit:
    legal: str | None = None
    promised: str | None = None


@dataclass(frozen=True)
class Phones:
    consult: str | None = None
    complaint: str | None = None
    supervise: str | None = None


@dataclass(frozen=True)
class Material:
    """One 申请材料 of a service guide."""

    name: str
    necessity: str | None = None
    form: str | None = None
    copies: int | None = None
    medium: str | None = None
    source: str | None = None
    blank_form: str | None = None
    sample_form: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Step:
    """One 办理环节: its number, who does what, and how long it may take."""

    order: int
    name: str
    actor: str | None = None
    action: str | None = None
    time_limit: str | None = None


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Guide:
    """The 办事指南 of an item: the national element set, typed."""

    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    steps: tuple[Step, ...] = ()
    modes: tuple[str, ...] = ()
    online_url: str | None = None
    visits: int | None = None
    location: str | None = None
    hours: str | None = None
    consult: str | None = None
    complaint: str | None = None
    result_name: str | None = None
    delivery: tuple[str, ...] = ()
    faq: tuple[Faq, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """Every form file the guide names, in order, each once."""
        found = (p for m in self.materials for p in (m.blank_form, m.sample_form) if p)
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class DiscretionRow:
    circumstance: str
    standard: str


@dataclass(frozen=True)
class Discretion:
    """裁量基准: the document that publishes it, its table, or both."""

    source: Source | None = None
    rows: tuple[DiscretionRow, ...] = ()


@dataclass(frozen=True)
class ListInfo:
    """What a list file says about the list as a whole."""

    title: str | None = None
    approval: Source | None = None
    effective_from: str | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Power:
    id: str
    name: str
    type: str
    basis: tuple[Basis, ...]
    handling_office: str
    code: str | None = None
    sub_item: str | None = None
    field: str | None = None
    implementing_body: str | None = None
    body_nature: str | None = None
    level: str | None = None
    original_department: str | None = None
    delegation_mode: str | None = None
    delegation_scope: str | None = None
    delegating_act: Source | None = None
    time_limit: TimeLimit | None = None
    fees: str | None = None
    discretion: Discretion | None = None
    applicants: tuple[str, ...] = ()
    phones: Phones | None = None
    remedies: str | None = None
    accountability: str | None = None
    description: str | None = None
    guide: Guide | None = None
    keywords: tuple[str, ...] = ()
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    status: str = "现行"
    effective_from: str | None = None
    effective_to: str | None = None
    withdrawn_reason: str | None = None
    replaced_by: str | None = None


@dataclass(frozen=True)
class CountyDepartment:
    name: str
    role: str
    office: str | None = None
    phone: str | None = None
    duties: str | None = None


@dataclass(frozen=True)
class Duty:
    id: str
    list_kind: str
    name: str
    lead_office: str
    field: str | None = None
    content: str | None = None
    county_departments: tuple[CountyDepartment, ...] = ()
    basis: tuple[Basis, ...] = ()
    responsible_role: str | None = None
    phone: str | None = None
    process: tuple[str, ...] = ()
    guide: Guide | None = None
    keywords: tuple[str, ...] = ()
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    status: str = "现行"
    effective_from: str | None = None
    effective_to: str | None = None
    withdrawn_reason: str | None = None
    replaced_by: str | None = None


@dataclass(frozen=True)
class Staffing:
    administrative: int | None = None
    institutional: int | None = None
    other: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Post:
    title: str
    count: int


@dataclass(frozen=True)
class Leadership:
    summary: str | None = None
    posts: tuple[Post, ...] = ()


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    kind: str
    functions: tuple[str, ...]
    short_name: str | None = None
    also_named: tuple[str, ...] = ()
    public_service_class: str | None = None
    slot: str | None = None
    standard_slot: str | None = None
    parent_department: str | None = None
    management: str | None = None
    covers_towns: tuple[str, ...] = ()
    staffing: Staffing | None = None
    leadership: Leadership | None = None
    address: str | None = None
    hours: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    established: str | None = None
    description: str | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Designation:
    name: str
    source: Source | None = None


@dataclass(frozen=True)
class ServiceCenter:
    name: str
    address: str | None = None
    hours: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Edition:
    title: str
    approval: Source | None = None
    effective_from: str | None = None


@dataclass(frozen=True)
class HistoryEvent:
    date: str
    event: str
    source: Source | None = None


@dataclass(frozen=True)
class TownFacts:
    """The contents of ``town.yaml``."""

    code: str
    name: str
    kind: str
    county: str
    sample: bool
    sources: tuple[Source, ...]
    nbs_name: str | None = None
    aliases: tuple[str, ...] = ()
    authority: str | None = None
    managed_by: str | None = None
    designations: tuple[Designation, ...] = ()
    service_center: ServiceCenter | None = None
    portal_url: str | None = None
    sample_note: str | None = None
    edition: Edition | None = None
    summary: str | None = None
    history: tuple[HistoryEvent, ...] = ()


@dataclass(frozen=True)
class PowerList:
    info: ListInfo
    items: tuple[Power, ...]


@dataclass(frozen=True)
class DutyList:
    info: ListInfo
    items: tuple[Duty, ...]


@dataclass(frozen=True)
class InstitutionList:
    info: ListInfo
    items: tuple[Institution, ...]


@dataclass(frozen=True)
class Town:
    """One town folder: its facts and whichever lists it publishes (``None`` if absent)."""

    slug: str
    facts: TownFacts
    powers: PowerList | None = None
    duties: DutyList | None = None
    institutions: InstitutionList | None = None


@dataclass(frozen=True)
class County:
    code: str
    name: str
    slug: str


@dataclass(frozen=True)
class TownRight:
    id: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class Region:
    """The contents of ``region.yaml``."""

    name: str
    code: str
    counties: tuple[County, ...]
    sources: tuple[Source, ...] = ()
    town_rights: tuple[TownRight, ...] = ()
    town_rights_source: Source | None = None


Converter = Callable[[Any], Any]
_CONVERTERS: dict[type, dict[str, Converter]] = {}


def _converter(hint: Any) -> Converter:
    """How to turn validated plain data into the field type ``hint``, worked out once."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = _converter(next(a for a in typing.get_args(hint) if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _converter(typing.get_args(hint)[0])
        return lambda value: tuple(item(v) for v in value)
    if isinstance(hint, type) and is_dataclass(hint):
        return lambda value: build_record(hint, value)
    return lambda value: value


def build_record(cls: type[T], data: dict[str, Any]) -> T:
    """An instance of dataclass ``cls`` from validated data whose keys are its fields."""
    converters = _CONVERTERS.get(cls)
    if converters is None:
        hints = typing.get_type_hints(cls)
        converters = _CONVERTERS[cls] = {name: _converter(hint) for name, hint in hints.items()}
    return cls(**{k: converters[k](v) for k, v in data.items()})


def record_fields(cls: type) -> list[str]:
    """Field names of a model dataclass, in declaration order."""
    return [f.name for f in fields(cls)]
