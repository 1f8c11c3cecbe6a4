"""When an item is in force: ``effective_from`` and ``effective_to`` are both inclusive.

An item is in force from the first moment of ``effective_from`` to the end of
``effective_to``: the day after ``effective_to`` is the first day it is no longer
handled. Either bound may be missing (open). Dates are ISO ``YYYY-MM-DD`` strings,
already validated.
"""

from __future__ import annotations

import datetime as dt


def in_force_on(effective_from: str | None, effective_to: str | None, day: str) -> bool:
    """Whether an item with these dates is in force on ``day`` (bounds included)."""
    if effective_from is not None and day < effective_from:
        return False
    return effective_to is None or day <= effective_to


def first_day_out(effective_to: str) -> str:
    """The first day an item is no longer in force: the day after ``effective_to``."""
    return (dt.date.fromisoformat(effective_to) + dt.timedelta(days=1)).isoformat()
