"""The thesaurus: how residents say things (``says``) mapped to the catalogue's words (``means``).

``content/thesaurus.yaml`` is content like the lists: editors keep it, ``check`` validates
it. Search expands a query that contains a resident's phrase with the catalogue's words,
and an item whose name or keywords hold one of those words shows the phrases as 相关说法.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .files import Document, problem_at
from .problems import Problem


@dataclass(frozen=True)
class Entry:
    field: str
    says: tuple[str, ...]
    means: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    entries: tuple[Entry, ...] = ()
    # first character of a catalogue word -> (word, the indexes of the entries that mean it)
    _by_first: dict[str, list[tuple[str, tuple[int, ...]]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        entries_of: dict[str, list[int]] = {}
        for index, entry in enumerate(self.entries):
            for term in entry.means:
                entries_of.setdefault(term, []).append(index)
        by_first: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for term, indexes in entries_of.items():
            by_first.setdefault(term[0], []).append((term, tuple(indexes)))
        object.__setattr__(self, "_by_first", by_first)

    def related(self, texts: Iterable[str]) -> tuple[str, ...]:
        """The phrases of every entry one of whose words occurs in ``texts``, in file order.
        Called for every item page: each character of the texts is looked up once."""
        joined = "\n".join(texts)
        found: set[int] = set()
        for at, char in enumerate(joined):
            for term, indexes in self._by_first.get(char, ()):
                if joined.startswith(term, at):
                    found.update(indexes)
        phrases: dict[str, None] = {}
        for index in sorted(found):
            phrases.update(dict.fromkeys(self.entries[index].says))
        return tuple(phrases)


def build_thesaurus(documents: Iterable[Document]) -> Thesaurus:
    """The thesaurus of the valid ``thesaurus`` document among ``documents``; else empty."""
    for doc in documents:
        if doc.kind == "thesaurus" and doc.valid:
            return Thesaurus(tuple(_entry(e) for e in doc.data["entries"]))
    return Thesaurus()


def _entry(data: dict[str, Any]) -> Entry:
    return Entry(data["field"], tuple(data["says"]), tuple(data["means"]))


def validate_thesaurus(doc: Document) -> Iterator[Problem]:
    """Problems within the file: a phrase given twice, and a phrase that is also a
    catalogue word (a chain: A means B, and B is itself said for C, or loops back)."""
    if not doc.valid:
        return
    entries = doc.data["entries"]
    first_line: dict[str, int] = {}  # phrase -> the line where it first appears
    terms = {t for e in entries for t in e["means"]}
    for i, entry in enumerate(entries):
        for j, phrase in enumerate(entry["says"]):
            path: tuple[str | int, ...] = ("entries", i, "says", j)
            if phrase in first_line:
                message = f"说法“{phrase}”在第 {first_line[phrase]} 行已经出现过"
                yield problem_at(doc, path, "duplicate-value", message)
                continue
            first_line[phrase] = doc.parsed.position(path)[0]
            if phrase in terms:
                message = f"“{phrase}”既是群众说法又是清单用语，会形成循环；请只保留一处"
                yield problem_at(doc, path, "thesaurus-cycle", message)
        for j, term in enumerate(entry["means"]):
            if term in entry["means"][:j]:
                message = f"清单用语“{term}”重复"
                yield problem_at(doc, ("entries", i, "means", j), "duplicate-value", message)


def find_thesaurus_gaps(
    documents: Iterable[Document], vocabulary: Iterable[str]
) -> Iterator[Problem]:
    """Catalogue words that occur in no item's name or keywords: such an entry finds nothing."""
    doc = next((d for d in documents if d.kind == "thesaurus"), None)
    if doc is None or not doc.valid:
        return
    text = "\n".join(vocabulary)
    for i, entry in enumerate(doc.data["entries"]):
        for j, term in enumerate(entry["means"]):
            if term not in text:
                message = f"清单用语“{term}”不在任何事项的名称或关键词中，这条说法搜不到事项"
                yield problem_at(doc, ("entries", i, "means", j), "thesaurus-no-match", message)
