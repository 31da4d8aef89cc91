"""Rank keys: one integer per search entry that orders the index (tier, then day of
publication, then arrival), and the month stretches of that order PostgreSQL's GIN index
can narrow a match to. Pure arithmetic, so a read needs no index-writing code for it."""
from __future__ import annotations

from datetime import date, timedelta

_EPOCH = date(1900, 1, 1)
_TIER_SHIFT, DAY_SHIFT = 52, 36
SEQ_MASK = (1 << DAY_SHIFT) - 1


def make_rank_key(tier: int, published: date | None, seq: int) -> int:
    days = max(0, min((published - _EPOCH).days, 0xFFFF)) if published else 0
    return (tier << _TIER_SHIFT) | (days << DAY_SHIFT) | (seq & SEQ_MASK)


def tier_of_key(key: int) -> int:
    return key >> _TIER_SHIFT


def _month_of_key(key: int) -> tuple[int, int]:
    day = _EPOCH + timedelta(days=(key >> DAY_SHIFT) & 0xFFFF)
    return day.year, day.month


_LAST_MONTH = _month_of_key(0xFFFF << DAY_SHIFT)


def rank_bucket(key: int) -> str:
    """The lexeme of the stretch of rank order a key is in (its tier and month of
    publication): PostgreSQL's GIN index can then narrow a match to the first stretches
    without reading the table."""
    year, month = _month_of_key(key)
    return f"kb{key >> _TIER_SHIFT}m{year * 12 + month - 1}"


def buckets_between(low: int, high: int) -> list[str]:
    """The lexemes of every stretch holding a key in [low, high], highest first."""
    out = []
    for tier in range(high >> _TIER_SHIFT, (low >> _TIER_SHIFT) - 1, -1):
        top = _month_of_key(high) if tier == high >> _TIER_SHIFT else _LAST_MONTH
        bottom = _month_of_key(low) if tier == low >> _TIER_SHIFT else (_EPOCH.year, 1)
        out.extend(f"kb{tier}m{m}" for m in range(top[0] * 12 + top[1] - 1, bottom[0] * 12 + bottom[1] - 2, -1))
    return out
