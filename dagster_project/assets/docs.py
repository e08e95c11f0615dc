"""The dbt docs of every release: one static, offline HTML page (`dbt docs generate --static`), so an
analyst opens the documentation of exactly the release they query, with no server and no network.

Written to `published/releases/<id>/docs/static_index.html` and mirrored at `published/docs/`.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from dagster_project.assets.release import PUBLIC_TIER
from dagster_project.dbt_build.dbt_project import dbt_project
from dagster_project.resources import WarehouseResource
from dagster_project.resources.release import ReleaseResource
from homeless_monitor.dbt_manifest import dbt_executable
from homeless_monitor.release.publish import add_to_manifest, current_manifest
from homeless_monitor.release.tiers import release_dir
from ingestion.paths import DBT_PROJECT_DIR

DBT_DOCS = AssetKey(["release", "dbt_docs"])
DOCS_DIR = "docs"
STATIC_PAGE = "static_index.html"
PARTIAL_PARSE = "partial_parse.msgpack"


def build_static_docs(warehouse: Path, out_dir: Path) -> Path:
    """Run `dbt docs generate --static` against a warehouse (for the catalog: column types, row counts)
    and copy the single page to out_dir. dbt's target and logs go to a temporary folder."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hm-dbt-docs-") as scratch:
        # dbt's partial-parse file from the project's last parse (same project, no --vars): dbt re-parses
        # only what changed instead of the whole project (~4 s of CPU, issue 28); dbt checks it is current
        parsed = dbt_project.manifest_path.with_name(PARTIAL_PARSE)
        if parsed.exists():
            (Path(scratch) / "target").mkdir()
            shutil.copyfile(parsed, Path(scratch) / "target" / PARTIAL_PARSE)
        # the work file reaches dbt/profiles.yml through the subprocess's environment, not --vars: a var
        # would make dbt re-parse the whole project (usage statistics are off in dbt_project.yml's flags)
        env = {**os.environ, "HOMELESS_MONITOR_WAREHOUSE": str(warehouse)}
        done = subprocess.run(
            [
                dbt_executable(),
                "docs",
                "generate",
                "--static",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(Path(scratch) / "target"),
                "--log-path",
                str(Path(scratch) / "logs"),
            ],
            cwd=DBT_PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"dbt docs generate failed: {(done.stdout + done.stderr)[-2000:]}")
        page = out_dir / STATIC_PAGE
        if page.exists():
            page.chmod(0o644)
        shutil.copyfile(Path(scratch) / "target" / STATIC_PAGE, page)
        page.chmod(0o444)
    return page


@asset(
    key=DBT_DOCS,
    group_name="release",
    deps=[PUBLIC_TIER],
    kinds={"dbt", "html"},
    description="The dbt docs of the release as one static offline page: "
    "published/releases/<id>/docs/static_index.html (and published/docs/).",
)
def release_dbt_docs(
    context: AssetExecutionContext, warehouse: WarehouseResource, release: ReleaseResource
) -> MaterializeResult:
    manifest = current_manifest(release.published)
    if manifest is None:
        context.log.warning("no published release: no docs written")
        return MaterializeResult(metadata={"written": False})
    release_id = manifest["release_id"]
    page = build_static_docs(warehouse.work_file, release_dir(release.published, release_id) / DOCS_DIR)
    add_to_manifest(release_dir(release.published, release_id), page)
    current = release.published / DOCS_DIR
    current.mkdir(parents=True, exist_ok=True)
    mirror = current / STATIC_PAGE
    if mirror.exists():
        mirror.chmod(0o644)
    shutil.copyfile(page, mirror)
    mirror.chmod(0o444)
    return MaterializeResult(
        metadata={"release_id": release_id, "page": MetadataValue.path(str(page)), "bytes": page.stat().st_size}
    )


docs_assets = [release_dbt_docs]
