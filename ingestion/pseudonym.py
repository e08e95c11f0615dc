"""Keyed pseudonyms for personal codes, and where the key comes from.

A plain hash is not enough: the space of Latvian personal codes is small enough to enumerate.
The key lives outside the warehouse: in HOMELESS_MONITOR_PSEUDONYM_KEY, in the file named by
HOMELESS_MONITOR_PSEUDONYM_KEY_FILE, or (demo mode only) in a generated local key file.

The pseudonym of a message m (`pk:<11 digits>` for a valid code, `local:<source>:<value>` for one
that failed validation) is `keyed_digest(key, m)`: SHA-256 over a secret 64-byte key block
followed by m, truncated to 128 bits (scheme `PSEUDONYM_SCHEME`; issue 28). The key block is
SHA-512 of the key, so it fills SHA-256's first compression block exactly: the hash of every
message starts from a secret chaining state. A secret-prefix hash has one known weakness, length
extension (from H(k‖m) compute H(k‖m‖pad‖x) without k), and truncation removes it: 128 of the
256 bits of the state are never published. It is one SHA-256 per distinct code where HMAC needs
two, and DuckDB computes it vectorised (ingestion/code_map.py). Changing the scheme changes every
pseudonym, so a warehouse holds one scheme only (`check_scheme`).
"""
from __future__ import annotations

import hmac
import os
import secrets
from hashlib import sha256, sha512
from pathlib import Path

from ingestion.paths import data_dir
from ingestion.personal_code import strip_spaces

KEY_ENV = "HOMELESS_MONITOR_PSEUDONYM_KEY"
KEY_FILE_ENV = "HOMELESS_MONITOR_PSEUDONYM_KEY_FILE"
MODE_ENV = "HOMELESS_MONITOR_MODE"
PSEUDONYM_LENGTH = 32  # hex characters: 128 bits
#: Names the pseudonym function; a warehouse loaded under another scheme cannot link to this one.
PSEUDONYM_SCHEME = "sha256-keyblock-128"


class MissingKeyError(RuntimeError):
    """Production mode without a configured pseudonym key."""


def demo_key_file() -> Path:
    return data_dir() / "secrets" / "pseudonym.key"


def load_key() -> bytes:
    """The pseudonym key; a clear error in production mode if none is configured."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode("utf-8")
    if os.environ.get(KEY_FILE_ENV):
        path = Path(os.environ[KEY_FILE_ENV])
        if not path.is_file():
            raise MissingKeyError(f"{KEY_FILE_ENV} points to {path}, which does not exist")
        return path.read_bytes().strip()
    if os.environ.get(MODE_ENV, "demo") == "production":
        raise MissingKeyError(
            f"production mode needs a pseudonym key: set {KEY_ENV} or {KEY_FILE_ENV} "
            "(a secret kept outside the warehouse; losing it breaks linkage across years)"
        )
    path = demo_key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_bytes().strip()


def key_block(key: bytes) -> bytes:
    """The secret 64-byte block (one SHA-256 block) every pseudonym's hash starts with."""
    return sha512(b"homeless-monitor pseudonym key block\0" + key).digest()


def keyed_digest(key: bytes, message: bytes) -> str:
    """128-bit keyed hash in hex: SHA-256(key block ‖ message), truncated (the module's docstring says why)."""
    return sha256(key_block(key) + message).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonym(key: bytes, normalized_code: str) -> str:
    """Linkable pseudonym of a valid, normalized (11 digits) personal code."""
    return "P" + keyed_digest(key, b"pk:" + normalized_code.encode())


def local_pseudonym(key: bytes, source: str, raw_value: str) -> str:
    """Pseudonym of a code that failed validation: stable within one source, unlinkable across sources."""
    return "L" + keyed_digest(key, f"local:{source}:{strip_spaces(raw_value)}".encode())


def extract_pseudonym(key: bytes, extract_id: str, person_id: str) -> str:
    """Second, extract-specific pseudonym: two research extracts cannot be joined on person."""
    message = f"extract:{extract_id}:{person_id}".encode()
    return "R" + hmac.digest(key, message, sha256).hex()[:PSEUDONYM_LENGTH]


class SchemeMismatchError(RuntimeError):
    """The warehouse holds pseudonyms of another scheme: new loads would not link to them."""


#: The scheme of a warehouse loaded before `ingest.pseudonym_scheme` existed (HMAC-SHA256, 128 bits).
EARLIER_SCHEME = "hmac-sha256-128"


def check_scheme(con) -> None:
    """Record this scheme in a new warehouse; refuse one whose pseudonyms were made another way.

    A warehouse with loads but no record was loaded under the earlier scheme (HMAC-SHA256): loading
    into it would give every person of the new deliveries a second, unlinked pseudonym.
    """
    con.execute("CREATE TABLE IF NOT EXISTS ingest.pseudonym_scheme (scheme VARCHAR NOT NULL)")
    row = con.execute("SELECT scheme FROM ingest.pseudonym_scheme LIMIT 1").fetchone()
    if row is None:
        loaded = con.execute("SELECT count(*) FROM ingest.receipts WHERE status = 'loaded'").fetchone()[0]
        if loaded:
            row = (EARLIER_SCHEME,)
        else:
            con.execute("INSERT INTO ingest.pseudonym_scheme VALUES (?)", [PSEUDONYM_SCHEME])
            return
    if row[0] != PSEUDONYM_SCHEME:
        raise SchemeMismatchError(
            f"this warehouse's pseudonyms were made with scheme {row[0]}, this version makes {PSEUDONYM_SCHEME}: "
            "new deliveries would not link to the loaded ones. Load every delivery again into a new warehouse "
            "(move the work file away, or pass another --data-dir).")
