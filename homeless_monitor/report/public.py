"""Read a release's public tier: its manifest (release id) and its disclosure-controlled Parquet tables.

The report must never read anything else, so this is the only module that opens files of a release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd

from homeless_monitor.release.tiers import MANIFEST_FILE, SUPPRESSED_SUFFIX, public_table, release_dir


class PublicTierMissing(RuntimeError):
    """The release has no public tier (or no manifest): there is nothing the report may read."""


@dataclass
class PublicTier:
    """One release's public tables, read lazily and cached."""

    root: Path
    release_id: str
    manifest: dict
    synthetic_override: bool | None = None  # set by the caller when it knows better than the manifest
    inbox: Path | None = None  # the inbox the run read (the settings' or the run's), when the caller knows it
    _cache: dict[str, pd.DataFrame | None] = field(default_factory=dict, repr=False)
    _indexes: dict[tuple, dict] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, published: Path, release_id: str | None = None) -> PublicTier:
        root = release_dir(published, release_id)
        manifest_path = root / MANIFEST_FILE
        if not manifest_path.exists():
            raise PublicTierMissing(f"no {MANIFEST_FILE} in {root}")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not (root / "public").is_dir():
            raise PublicTierMissing(f"release {manifest.get('release_id')} has no public tier in {root / 'public'}")
        return cls(root, str(manifest["release_id"]), manifest)

    def table(self, name: str) -> pd.DataFrame | None:
        """The public table, or None when this release does not publish it."""
        if name not in self._cache:
            path = public_table(self.root, name)
            if path.exists():
                with duckdb.connect() as con:
                    self._cache[name] = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
            else:
                self._cache[name] = None
        return self._cache[name]

    def rows(self, name: str, **key) -> pd.DataFrame:
        """Rows of a table whose columns equal the key (compared as text; empty when absent)."""
        df = self.table(name)
        if df is None:
            return pd.DataFrame()
        columns = tuple(sorted(key))
        if any(c not in df.columns for c in columns):
            return df.iloc[0:0]
        if not columns:
            return df
        index = self._indexes.get((name, columns))
        if index is None:  # one pass per table and key shape, then every lookup is a dict hit
            as_text = df[list(columns)].astype(str)
            index = as_text.groupby(list(columns), sort=False).indices
            self._indexes[(name, columns)] = index
        wanted = tuple(str(key[c]) for c in columns)
        positions = index.get(wanted if len(columns) > 1 else wanted[0])
        return df.iloc[positions] if positions is not None else df.iloc[0:0]

    def disclosure(self) -> tuple[int, int | None]:
        """(k, protection width) as the release's manifest states them (its disclosure section); the width is
        None when the manifest does not say."""
        import re

        k = self.disclosure_threshold()
        node = self.manifest.get("disclosure_control") or self.manifest.get("disclosure") or {}
        width = None
        for name in ("protection_level", "protection_width", "protection"):
            value = node.get(name) if isinstance(node, dict) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                width = int(value)
            elif isinstance(value, str) and (found := re.search(r">=?\s*(\d+)", value)):
                width = int(found.group(1))
            if width is not None:
                break
        return k, width

    def synthetic(self) -> bool:
        """Whether the release was built from synthetic deliveries: the manifest says so (`synthetic`), or the
        inbox the run read (`inbox`, from the settings or the run's resources) holds the generator's `_faults.json`."""
        if isinstance(self.manifest.get("synthetic"), bool):
            return self.manifest["synthetic"]
        if self.synthetic_override is not None:
            return self.synthetic_override
        inboxes = [Path(self.inbox)] if self.inbox else []
        inboxes += [
            folder / "inbox" for folder in list(self.root.resolve().parents)[:3]
        ]  # data/inbox beside published/
        return any((inbox / "_faults.json").exists() for inbox in inboxes)

    @cached_property
    def withheld_municipal_rows(self) -> frozenset[tuple[str, int]]:
        """(table, year) whose municipal rows the disclosure control left out of the release (coarser detail
        instead of a hidden national, NUTS3 or Rīga total; manifest `municipal_rows_withheld`, "table year")."""
        node = self.manifest.get("disclosure_control")
        entries = (node.get("municipal_rows_withheld") if isinstance(node, dict) else None) or []
        return frozenset((table, int(year)) for table, _, year in (str(e).rpartition(" ") for e in entries))

    def disclosure_threshold(self) -> int:
        """k of the primary suppression rule (counts 1..k-1 hidden), as the release states it; default 5."""
        for path in (("disclosure_control", "k"), ("disclosure", "k"), ("public", "k"), ("suppression_threshold",)):
            node = self.manifest
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, int):
                return node
        return 5


def is_suppressed(row: pd.Series, column: str) -> bool:
    flag = row.get(f"{column}{SUPPRESSED_SUFFIX}")
    return bool(flag) if flag is not None and not pd.isna(flag) else False
