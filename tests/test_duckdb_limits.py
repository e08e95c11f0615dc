"""Every DuckDB the pipeline opens is bounded by one setting, with one default (issue 17)."""

import duckdb
import pytest
import yaml

from homeless_monitor.duckdb_limits import bound, memory_limit
from homeless_monitor.settings import DEFAULT_DUCKDB_MEMORY as DEFAULT_MEMORY_LIMIT
from homeless_monitor.settings import MEMORY_ENV as ENV_VAR
from homeless_monitor.settings import Settings
from ingestion.paths import DBT_PROJECT_DIR


def test_the_dbt_profile_reads_the_same_variable_with_the_same_default():
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    setting = profile["homeless_monitor"]["outputs"]["duckdb"]["settings"]["memory_limit"]
    assert setting == f"{{{{ env_var('{ENV_VAR}', '{DEFAULT_MEMORY_LIMIT}') }}}}"


def test_a_connection_takes_the_configured_limit(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, "1536MB")
    with duckdb.connect() as con:
        bound(con, tmp_path)
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        spill = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    assert limit == "1.4 GiB"  # 1536 MB = 1.43 GiB, as DuckDB prints it
    assert spill == str(tmp_path)


@pytest.mark.parametrize("value", ["lots", "1GB'; DROP TABLE x; --", "-1GB"])
def test_a_value_duckdb_would_not_read_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(ENV_VAR, value)
    with pytest.raises(ValueError, match=ENV_VAR):
        memory_limit()


def test_unset_means_the_default(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert memory_limit() == DEFAULT_MEMORY_LIMIT


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"HOMELESS_MONITOR_DATA": "/srv/monitor"},
        {"HOMELESS_MONITOR_DATA": "/srv/monitor", "HOMELESS_MONITOR_WAREHOUSE": "/fast/work.duckdb"},
    ],
)
def test_the_dbt_profile_finds_the_work_file_the_settings_name(environ):
    """dbt/profiles.yml and homeless_monitor/settings.py read the same variables with the same defaults;
    a var warehouse_path (the dbt asset's, for a run-config work file) wins."""
    import jinja2

    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    path = profile["homeless_monitor"]["outputs"]["duckdb"]["path"]

    def render(cli_vars: dict) -> str:
        template = jinja2.Environment().from_string(path)
        return template.render(
            env_var=lambda name, default=None: environ.get(name, default),
            var=lambda name, default=None: cli_vars.get(name, default),
        )

    assert (DBT_PROJECT_DIR / render({})).resolve() == Settings.from_env(environ).warehouse
    assert render({"warehouse_path": "/elsewhere/w.duckdb"}) == "/elsewhere/w.duckdb"
