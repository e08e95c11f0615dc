"""Primary suppression: a count from 1 to k-1 is sensitive; zero is published (it discloses nobody)."""

from __future__ import annotations

DEFAULT_K = 5


def is_sensitive(value: int | None, k: int = DEFAULT_K) -> bool:
    return value is not None and 0 < value < k


def primary_cells(values: list[int], k: int = DEFAULT_K) -> set[int]:
    return {i for i, v in enumerate(values) if is_sensitive(v, k)}
