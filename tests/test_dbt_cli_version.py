"""The dbt resource learns dbt's version without a `dbt --version` process, and learns the same one;
it builds no in-process dbt adapter (nothing in the project fetches column metadata through it)."""

import re
import subprocess

from dagster_project.dbt_build.dbt_project import LocalDbtCliResource, dbt_project
from homeless_monitor.dbt_manifest import dbt_executable


def test_the_version_from_the_installed_package_is_the_one_dbt_reports(monkeypatch):
    resource = LocalDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=dbt_executable()
    )
    reported = re.search(r"(\d+\.\d+\.\d+)", subprocess.check_output([dbt_executable(), "--version"], text=True))
    calls = []
    import dagster_dbt.core.resource as dagster_dbt_resource  # where dagster-dbt runs `dbt --version`

    monkeypatch.setattr(dagster_dbt_resource, "check_output", lambda *a, **k: calls.append(a) or b"dbt 0.0.1")
    assert str(resource._cli_version) == reported.group(1)
    assert calls == []  # no subprocess
    elsewhere = LocalDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable="/bin/true"
    )  # not the dbt beside this interpreter: ask it
    assert str(elsewhere._cli_version) == "0.0.1" and len(calls) == 1


def test_no_in_process_adapter_is_built():
    resource = LocalDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=dbt_executable()
    )
    assert resource._initialize_dbt_core_adapter(["build"]) is None
