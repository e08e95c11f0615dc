"""Delivery-stage suites, generated from the source contracts (never restated by hand).

A delivery suite validates the per-file summary of one source (`delivery.file_summary`): one row
per delivered file, from its receipt, its quarantine counts and SQL aggregates over `raw.<source>`.
Regenerate the JSON in `expectations/delivery/` after a contract changes:

    python -m homeless_monitor.quality.contract_suites
"""

from __future__ import annotations

import sys
from functools import cache

import yaml

from homeless_monitor.quality.severity import Severity
from homeless_monitor.quality.suites import EXPECTATIONS_DIR, SuiteSpec, expectation
from ingestion.contracts import Contract, all_contracts
from ingestion.rules import RULE_ORDER
from ingestion.warehouse import raw_columns

DELIVERY_DIR = EXPECTATIONS_DIR / "delivery"
THRESHOLDS_FILE = EXPECTATIONS_DIR / "delivery_thresholds.yaml"


@cache
def thresholds() -> dict:
    return yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8"))


def raw_signature(contract: Contract) -> str:
    """The raw table's columns and SQL types as the contract defines them, in order."""
    return ", ".join(f"{name} {sql_type.split(' ')[0]}" for name, sql_type in raw_columns(contract))


def delivery_suite(contract: Contract) -> SuiteSpec:
    """The delivery suite of one source, from its contract and the configured thresholds."""
    t = thresholds()
    low, high = contract.expected_rows
    b, e, w = Severity.BLOCK, Severity.ERROR, Severity.WARNING
    exps = [
        # a national release does not wait for one provider: a rejected or empty file keeps the source's
        # previous delivery and is named on the release as an error (README, "Bad input")
        expectation(
            "expect_column_values_to_be_in_set",
            "file_rejected",
            e,
            "Every delivered file loads: a rejected file (empty, missing a required column, wrong "
            "encoding, unreadable) is not loaded; the source's previous delivery stays and the "
            "release names the gap.",
            column="status",
            value_set=["loaded"],
        ),
        expectation(
            "expect_column_values_to_be_between",
            "no_rows",
            e,
            "A file with no data rows is not a delivery.",
            column="rows_read",
            min_value=1,
            row_condition='status == "loaded"',
            condition_parser="pandas",
        ),
        expectation(
            "expect_column_values_to_be_between",
            "row_count_outside_expected",
            e,
            f"Rows per file within the contract's expected range {low}-{high}.",
            column="rows_read",
            min_value=low,
            max_value=high,
            row_condition='status == "loaded"',
            condition_parser="pandas",
        ),
        expectation(
            "expect_column_values_to_be_in_set",
            "raw_columns_differ_from_contract",
            b,
            "The raw table has the contract's columns and types.",
            column="raw_columns",
            value_set=[raw_signature(contract)],
        ),
        expectation(
            "expect_column_pair_values_to_be_equal",
            "raw_rows_differ_from_receipt",
            b,
            "Rows in raw for the file equal the receipt's rows loaded (lineage intact).",
            column_A="raw_rows",
            column_B="rows_loaded",
        ),
        # the ministry's rule (expectations/delivery_thresholds.yaml): half a file unusable stops publication
        # until an operator reviews it and releases the run (`homeless-monitor release approve`)
        expectation(
            "expect_column_values_to_be_between",
            "quarantined_share_blocking",
            b,
            f"At most {t['quarantined_share']['block']:.0%} of a file's rows quarantined; above it, "
            "publication waits for an operator's review (homeless-monitor release approve).",
            column="share_quarantined",
            min_value=0,
            max_value=t["quarantined_share"]["block"],
        ),
        expectation(
            "expect_column_values_to_be_between",
            "quarantined_share_high",
            e,
            f"At most {t['quarantined_share']['error']:.0%} of a file's rows quarantined.",
            column="share_quarantined",
            min_value=0,
            max_value=t["quarantined_share"]["error"],
        ),
    ]
    per_rule = t["quarantined_share_per_rule"]["warning"]
    for rule in RULE_ORDER:
        exps.append(
            expectation(
                "expect_column_values_to_be_between",
                rule,
                w,
                f"At most {per_rule:.0%} of a file's rows quarantined as {rule} or with an optional field set "
                f"to unknown by it.",
                column=f"share_{rule}",
                min_value=0,
                max_value=per_rule,
            )
        )
    for column in contract.columns:
        name = "person_id" if column.type == "personal_code" else column.name
        # (applies, rule, tier, the count column's prefix, what is expected): each expects a count of 0
        zero_counts = [
            (column.required, "required_value_missing", b, "null", "Required column {} has no empty value in raw."),
            (
                column.type == "code",
                "value_not_in_code_list",
                e,
                "unknown",
                "Every {} value is in the contract's code list.",
            ),
            (column.type == "date", "future_date", e, "future", "No {} after the day the file was loaded."),
        ]
        exps += [
            expectation(
                "expect_column_values_to_be_between",
                rule,
                tier,
                text.format(f"{column.header!r} ({name})"),
                column=f"{prefix}_{name}",
                min_value=0,
                max_value=0,
            )
            for applies, rule, tier, prefix, text in zero_counts
            if applies
        ]
    meta = {
        "stage": "delivery",
        "source": contract.source,
        "target_asset": ["raw", contract.source],
        "generated_from": f"ingestion/contracts/{contract.source}.yaml",
        "row_id_columns": ["file_name"],
    }
    return SuiteSpec(name=f"delivery__{contract.source}", meta=meta, expectations=tuple(exps))


def delivery_suites() -> dict[str, SuiteSpec]:
    return {source: delivery_suite(c) for source, c in all_contracts().items()}


def write_delivery_suites() -> list[str]:
    """(Re)write `expectations/delivery/<source>.json`; return the files that changed."""
    DELIVERY_DIR.mkdir(parents=True, exist_ok=True)
    changed = []
    for source, suite in delivery_suites().items():
        path = DELIVERY_DIR / f"{source}.json"
        text = suite.to_json()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path.name)
    for stale in DELIVERY_DIR.glob("*.json"):
        if stale.stem not in all_contracts():
            stale.unlink()
            changed.append(stale.name)
    return changed


if __name__ == "__main__":
    print("\n".join(write_delivery_suites()) or "delivery suites up to date")
    sys.exit(0)
