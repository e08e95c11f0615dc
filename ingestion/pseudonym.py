"""Keyed pseudonyms for personal codes (HMAC-SHA256), and where the key comes from.

A plain hash is not enough: the space of Latvian personal codes is small enough to enumerate.
The key lives outside the warehouse: in HOMELESS_MONITOR_PSEUDONYM_KEY, in the file named by
HOMELESS_MONITOR_PSEUDONYM_KEY_FILE, or (demo mode only) in a generated local key file.
"""

from __future__ import annotations

import hmac
import secrets
from hashlib import sha256
from pathlib import Path

from ingestion.personal_code import strip_spaces

KEY_ENV = "HOMELESS_MONITOR_PSEUDONYM_KEY"
KEY_FILE_ENV = "HOMELESS_MONITOR_PSEUDONYM_KEY_FILE"
PSEUDONYM_LENGTH = 32  # hex characters: 128 bits


class MissingKeyError(RuntimeError):
    """Production mode without a configured pseudonym key."""


def load_key(*, key: str | None, key_file: Path | None, production: bool, demo_file: Path) -> bytes:
    """The pseudonym key from the settings (homeless_monitor/settings.py): the key itself, else the key
    file, else (demo mode only) a generated local key in `demo_file`; a clear error in production mode."""
    if key:
        return key.encode("utf-8")
    if key_file is not None:
        path = Path(key_file)
        if not path.is_file():
            raise MissingKeyError(f"{KEY_FILE_ENV} points to {path}, which does not exist")
        return path.read_bytes().strip()
    if production:
        raise MissingKeyError(
            f"production mode needs a pseudonym key: set {KEY_ENV} or {KEY_FILE_ENV} "
            "(a secret kept outside the warehouse; losing it breaks linkage across years)"
        )
    path = Path(demo_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_bytes().strip()


def pseudonym(key: bytes, normalized_code: str) -> str:
    """Linkable pseudonym of a valid, normalized (11 digits) personal code."""
    return "P" + hmac.digest(key, b"pk:" + normalized_code.encode(), sha256).hex()[:PSEUDONYM_LENGTH]


def local_pseudonym(key: bytes, source: str, raw_value: str) -> str:
    """Pseudonym of a code that failed validation: stable within one source, unlinkable across sources."""
    message = f"local:{source}:{strip_spaces(raw_value)}".encode()
    return "L" + hmac.digest(key, message, sha256).hex()[:PSEUDONYM_LENGTH]


def extract_pseudonym(key: bytes, extract_id: str, person_id: str) -> str:
    """Second, extract-specific pseudonym: two research extracts cannot be joined on person."""
    message = f"extract:{extract_id}:{person_id}".encode()
    return "R" + hmac.digest(key, message, sha256).hex()[:PSEUDONYM_LENGTH]
