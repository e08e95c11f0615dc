"""Running a suite on a DataFrame with GX 1.x, and building the Data Docs.

GX's SQL datasource does not work on DuckDB, so every suite validates a small pandas DataFrame
read from DuckDB (a per-file summary, per-year aggregates). The GX project is a file context under
the quality folder, so Data Docs keep the history of runs; the site is rebuilt on every run.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from homeless_monitor.quality.data_docs import VENDOR, install_assets, localize
from homeless_monitor.quality.severity import FAILED, NOT_EVALUATED, PASSED, Outcome, Severity
from homeless_monitor.quality.suites import SuiteSpec

SITE_NAME = "local"
VENDOR_DIR = VENDOR.parts[-1]
MAX_ROWS_NAMED = 20


class GxProject:
    """The GX file context under `<quality_dir>/gx` with one local Data Docs site.

    Setting a file context up costs about a second, so a run shares one (`shared`), registers each
    suite's GX objects once, and rebuilds Data Docs only for the validations it made."""

    _shared: dict[Path, GxProject] = {}

    @classmethod
    def shared(cls, quality_dir: Path) -> GxProject:
        """The project of this quality folder, set up once per process (a run's three check steps)."""
        key = Path(quality_dir).resolve()
        if key not in cls._shared:
            cls._shared[key] = cls(quality_dir)
        return cls._shared[key]

    def __init__(self, quality_dir: Path):
        self._checkpoints: dict[str, tuple[str, Any]] = {}  # suite name -> (its JSON, checkpoint)
        self._new: list[Any] = []  # resources validated or changed since the last docs build
        self.quality_dir = Path(quality_dir)
        self.quality_dir.mkdir(parents=True, exist_ok=True)
        self.docs_dir = self.quality_dir / "data_docs"

    @cached_property
    def gx(self):
        """Great Expectations, imported on first use: a step that carries every verdict forward (a run
        with nothing new) never imports it (about 2.6 s of CPU; docs/performance.md, issue 28)."""
        import great_expectations as gx

        return gx

    @cached_property
    def context(self):
        """The file context, opened on first use: a run that carries every verdict forward needs none."""
        context = self.gx.get_context(mode="file", project_root_dir=str(self.quality_dir))
        _quiet(context)
        sites = context.get_site_names()
        for name in sites:
            if name != SITE_NAME:
                context.delete_data_docs_site(name)
        if SITE_NAME not in sites:
            context.add_data_docs_site(
                site_name=SITE_NAME,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                },
            )
        return context

    @cached_property
    def source(self):
        try:
            return self.context.data_sources.get("warehouse_frames")
        except (KeyError, ValueError, LookupError):
            return self.context.data_sources.add_pandas("warehouse_frames")

    def _batch_definition(self, asset_name: str):
        try:
            asset = self.source.get_asset(asset_name)
        except LookupError:
            asset = self.source.add_dataframe_asset(asset_name)
        try:
            return asset.get_batch_definition("whole")
        except (KeyError, LookupError, ValueError):
            return asset.add_batch_definition_whole_dataframe("whole")

    #: the run's name on the Data Docs validation pages (set by the check step: the Dagster run id)
    run_name: str | None = None

    def run(self, spec: SuiteSpec, frame: pd.DataFrame) -> list[Any]:
        """Validate the frame; the results are stored, so the next Data Docs build shows them, named by
        what was checked (the table and, for deliveries, the files) and by the run."""
        from great_expectations.core.run_identifier import RunIdentifier

        run_id = RunIdentifier(run_name=self.run_name) if self.run_name else None
        result = self._checkpoint(spec).run(batch_parameters={"dataframe": frame}, run_id=run_id)
        checked = data_asset_label(spec, frame)
        for key, validation in result.run_results.items():
            validation.meta.setdefault("batch_spec", {})
            validation.meta["batch_spec"] = {**(validation.meta["batch_spec"] or {}), "data_asset_name": checked}
            self.context.validation_results_store.set(key, validation)  # the page says what was checked
        self._new += list(result.run_results)
        return [r for run in result.run_results.values() for r in run.results]

    def _checkpoint(self, spec: SuiteSpec):
        """The suite's checkpoint, (re)registered only when this process has not registered this suite yet."""
        text = spec.to_json()
        known = self._checkpoints.get(spec.name)
        if known and known[0] == text:
            return known[1]
        digest = hashlib.sha256(text.encode()).hexdigest()
        registered = self._registered()
        if registered.get(spec.name) == digest:  # stored by an earlier run as it is: read, don't compare
            try:
                checkpoint = self.context.checkpoints.get(spec.name)
            except Exception:  # noqa: BLE001 - a store GX cannot read back: register it again below
                checkpoint = None
            if checkpoint is not None:
                self._checkpoints[spec.name] = (text, checkpoint)
                return checkpoint
        gx = self.gx
        suite = self.context.suites.add_or_update(spec.gx_suite())
        definition = self.context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=spec.name, data=self._batch_definition(spec.name), suite=suite)
        )
        checkpoint = self.context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=spec.name,
                validation_definitions=[definition],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": spec.meta.get("row_id_columns", []),
                },
            )
        )
        from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

        self._new.append(ExpectationSuiteIdentifier(name=spec.name))
        self._checkpoints[spec.name] = (text, checkpoint)
        registered[spec.name] = digest
        self._registry_file.write_text(json.dumps(registered, indent=1, sort_keys=True), encoding="utf-8")
        return checkpoint

    @property
    def _registry_file(self) -> Path:
        return self.quality_dir / "gx" / "registered_suites.json"

    def _registered(self) -> dict[str, str]:
        """Suite name -> SHA-256 of the suite JSON last registered in the GX stores. GX's own
        add_or_update compares every expectation pairwise (a third of a full check run's time)."""
        try:
            return json.loads(self._registry_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def build_docs(self) -> Path:
        """Build the pages of what was validated since the last build (and the index), point their CDN
        links at the copies shipped with the project and cut any other remote load, so the pages work
        offline and never fetch anything. Nothing validated: nothing to build."""
        index = self.docs_dir / "index.html"
        if not self._new and index.exists():
            return index
        started = time.time() - 1
        self.context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=self._new or None)
        self._new = []
        install_assets(self.docs_dir)  # jQuery, Bootstrap … shipped with the project (quality/data_docs.py)
        pages = [*self.docs_dir.rglob("*.html"), *self.docs_dir.rglob("*.css")]  # GX's bundled CSS too
        for page in pages:
            if (
                page.stat().st_mtime >= started and VENDOR_DIR not in page.parts
            ):  # built now; older ones were done before
                text = page.read_text(encoding="utf-8")
                offline = strip_remote_assets(localize(text, page, self.docs_dir) if page.suffix == ".html" else text)
                page.write_text(offline, encoding="utf-8")
        return index


def data_asset_label(spec: SuiteSpec, frame: pd.DataFrame, most: int = 12) -> str:
    """What a validation checked, for its Data Docs page: the table, and the files or years of the rows."""
    target = ".".join(spec.meta.get("target_asset") or [spec.name])
    tables = spec.meta.get("tables") or []
    label = target + (f" (from {', '.join(tables)})" if tables and tables != [target] else "")
    for column, word in (("file_name", "files"), ("year", "years")):
        if column in frame.columns:
            values = [str(v) for v in sorted(frame[column].dropna().unique())]
            shown = ", ".join(values[:most]) + (f" and {len(values) - most} more" if len(values) > most else "")
            label += f"; {word}: {shown or 'none'}"
            break
    return label


def _quiet(context) -> None:
    """No progress bars on stderr: the run's output is for the operator."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    bars = context.variables.progress_bars
    if isinstance(bars, dict):
        bars = ProgressBarsConfig(**bars)
    if bars is None or bars.globally or bars.metric_calculations:
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.variables.save()


_REMOTE_TAGS = [
    re.compile(r'<link[^>]+href="https?://[^"]*"[^>]*>\s*', re.I),
    re.compile(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>\s*', re.I),
    re.compile(r'<img[^>]+src="https?://[^"]*"[^>]*>', re.I),
]
#: A style that loads from the internet (the index page's logo is a CSS background on S3).
_REMOTE_CSS_URL = re.compile(r'url\(\s*[\'"]?(?:https?:)?//[^)]*\)', re.I)


def strip_remote_assets(html: str) -> str:
    """Drop <link>/<script>/<img> tags and CSS url()s that load from the internet (Bootstrap, jQuery,
    fonts, logo).

    The pages stay readable with GX's bundled local CSS; nothing is downloaded when they are opened.
    """
    for pattern in _REMOTE_TAGS:
        html = pattern.sub("", html)
    return _REMOTE_CSS_URL.sub("none", html)


def outcomes_from_results(
    spec: SuiteSpec, results: list[Any], asset: str, source: str | None = None, describe=None
) -> list[Outcome]:
    """One outcome per passed expectation, and one per failing row (file, year…) of a failed one.

    `describe(outcome, row_ids)` may fill in rows/detail from the warehouse (e.g. quarantined lines).
    """
    outcomes: list[Outcome] = []
    for r in results:
        config = r.expectation_config
        meta = config.meta or {}
        column = config.kwargs.get("column") or f"{config.kwargs.get('column_A')}/{config.kwargs.get('column_B')}"
        base = dict(
            stage=spec.stage,
            suite=spec.name,
            asset=asset,
            rule=meta.get("rule", config.type),
            severity=Severity(meta.get("severity", "error")),
            expectation=f"{config.type}({column})",
            source=source,
        )
        held_to = {"limit": limit_text(config.kwargs)}
        raised = (r.exception_info or {}).get("raised_exception")
        if raised:
            message = (r.exception_info or {}).get("exception_message") or "expectation could not be evaluated"
            outcomes.append(
                Outcome(**base, status=NOT_EVALUATED, detail=f"not evaluated: {message}"[:300], extra=dict(held_to))
            )
        elif r.success:
            outcomes.append(Outcome(**base, status=PASSED, extra={**held_to, "observed": _observed_all(r.result)}))
        else:
            failing = r.result.get("unexpected_index_list") or [None]
            for row_ids in failing[:MAX_ROWS_NAMED]:
                outcome = Outcome(
                    **base,
                    status=FAILED,
                    detail=meta.get("description", ""),
                    extra={**held_to, "observed": _observed(r.result, row_ids, column)},
                )
                if describe:
                    describe(outcome, row_ids if isinstance(row_ids, dict) else {})
                outcomes.append(outcome)
    return outcomes


def limit_text(kwargs: dict) -> str:
    """The limit an expectation holds its column to, in words (for the quality page)."""
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None or high is not None:
        return f"between {low if low is not None else '−∞'} and {high if high is not None else '∞'}"
    if "value_set" in kwargs:
        values = list(kwargs["value_set"])
        return "one of " + ", ".join(map(str, values[:8])) + (" …" if len(values) > 8 else "")
    if "column_A" in kwargs:
        return f"{kwargs['column_A']} = {kwargs['column_B']}"
    if "value" in kwargs:
        return f"= {kwargs['value']}"
    return "—"


def _observed_all(result: dict) -> str:
    """What a passing expectation saw: its observed value, or how many rows it checked."""
    if result.get("observed_value") is not None:
        return str(result["observed_value"])[:200]
    if "element_count" in result:
        return f"{result.get('unexpected_count') or 0} of {result['element_count']} rows outside"
    return ""


def _observed(result: dict, row_ids: Any, column: str) -> str:
    if isinstance(row_ids, dict) and column in row_ids:
        return str(row_ids[column])
    value = result.get("observed_value", result.get("partial_unexpected_list"))
    return "" if value is None else str(value)[:200]
