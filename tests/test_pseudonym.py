"""Keyed pseudonyms: stable under one key, different under another, not a plain hash."""

import hashlib

import pytest

from homeless_monitor.settings import Settings
from ingestion import pseudonym as ps

CODE = "15078512340"


def test_stable_for_one_key():
    assert ps.pseudonym(b"key-a", CODE) == ps.pseudonym(b"key-a", CODE)


def test_different_under_another_key():
    assert ps.pseudonym(b"key-a", CODE) != ps.pseudonym(b"key-b", CODE)


def test_not_a_plain_hash_of_the_code():
    digest = ps.pseudonym(b"key-a", CODE)[1:]
    for plain in (
        hashlib.sha256(CODE.encode()).hexdigest(),
        hashlib.sha256(b"150785-12340").hexdigest(),
        hashlib.md5(CODE.encode()).hexdigest(),
    ):
        assert not plain.startswith(digest)


def test_local_pseudonyms_do_not_link_across_sources():
    assert ps.local_pseudonym(b"k", "ambulance_calls", "150785-1234X") != ps.local_pseudonym(
        b"k", "police_contacts", "150785-1234X"
    )
    assert ps.local_pseudonym(b"k", "ambulance_calls", "x").startswith("L")
    assert ps.pseudonym(b"k", CODE).startswith("P")


def test_extract_pseudonyms_differ_per_extract():
    person = ps.pseudonym(b"k", CODE)
    assert ps.extract_pseudonym(b"k", "extract-1", person) != ps.extract_pseudonym(b"k", "extract-2", person)


def test_production_mode_without_a_key_is_a_clear_error(tmp_path):
    settings = Settings.from_env({"HOMELESS_MONITOR_MODE": "production", "HOMELESS_MONITOR_DATA": str(tmp_path)})
    with pytest.raises(ps.MissingKeyError, match="HOMELESS_MONITOR_PSEUDONYM_KEY"):
        settings.key()
    assert not (tmp_path / "secrets").exists()


def test_demo_mode_generates_a_private_local_key_once(tmp_path):
    settings = Settings.from_env({"HOMELESS_MONITOR_DATA": str(tmp_path)})
    first, second = settings.key(), settings.key()
    assert first == second and len(first) == 64
    assert settings.demo_key_file == tmp_path.resolve() / "secrets" / "pseudonym.key"
    assert (settings.demo_key_file.stat().st_mode & 0o777) == 0o600


def test_key_from_environment_wins(tmp_path):
    environ = {ps.KEY_ENV: "secret-from-vault", "HOMELESS_MONITOR_MODE": "production"}
    assert Settings.from_env(environ).key() == b"secret-from-vault"
    (tmp_path / "key").write_text("from-a-file\n")
    assert Settings.from_env({ps.KEY_FILE_ENV: str(tmp_path / "key")}).key() == b"from-a-file"
