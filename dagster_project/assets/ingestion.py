"""One asset per source contract: the raw table loaded from that source's deliveries."""

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from dagster_project.resources import PseudonymKeyResource, WarehouseResource
from ingestion.contracts import Contract, all_contracts
from ingestion.loader import Loader, Receipt
from ingestion.receipt_html import write_html_receipts
from ingestion.receipt_text import write_plain_receipts


def _receipt_metadata(receipts: list[Receipt]) -> dict:
    loaded = [r for r in receipts if r.status == "loaded"]
    return {
        "files_loaded": len(loaded),
        "files_skipped": sum(r.status == "skipped_already_loaded" for r in receipts),
        "files_rejected": sum(r.status == "rejected" for r in receipts),
        "rows_loaded": sum(r.rows_loaded for r in loaded),
        "rows_quarantined": sum(r.rows_quarantined for r in loaded),
        "personal_codes_masked": sum(r.personal_codes_masked for r in loaded),  # codes outside the code column
        "receipts": MetadataValue.md("\n".join(f"- {r.summary()}" for r in receipts) or "no files"),
    }


def raw_source_asset(contract: Contract) -> AssetsDefinition:
    @asset(
        key=AssetKey(["raw", contract.source]),
        group_name="ingestion",
        kinds={"duckdb", "python"},
        description=f"{contract.title}: {contract.description} Files `{contract.file.pattern}` "
        f"({contract.file.encoding}, `{contract.file.delimiter}`-separated) from {contract.sender}.",
        metadata={"contract": f"ingestion/contracts/{contract.source}.yaml"},
    )
    def _load(
        context: AssetExecutionContext, warehouse: WarehouseResource, pseudonym_key: PseudonymKeyResource
    ) -> MaterializeResult:
        loader = Loader(warehouse.work_file, pseudonym_key.key())
        receipts = loader.load_source(contract, warehouse.inbox)
        for receipt in receipts:
            (context.log.warning if receipt.status == "rejected" else context.log.info)(receipt.summary())
        write_plain_receipts(warehouse.inbox, warehouse.work_file, [r.file_name for r in receipts])
        write_html_receipts(warehouse.inbox, warehouse.work_file, [r.file_name for r in receipts])
        return MaterializeResult(metadata=_receipt_metadata(receipts))

    return _load


@asset(
    key=AssetKey(["ingest", "unmatched_deliveries"]),
    group_name="ingestion",
    kinds={"python"},
    description="Files in the inbox that no source contract claims: each gets a rejection receipt.",
)
def unmatched_deliveries(
    context: AssetExecutionContext, warehouse: WarehouseResource, pseudonym_key: PseudonymKeyResource
) -> MaterializeResult:
    receipts = Loader(warehouse.work_file, pseudonym_key.key()).reject_unmatched(warehouse.inbox)
    for receipt in receipts:
        context.log.warning(receipt.summary())
    write_plain_receipts(warehouse.inbox, warehouse.work_file, [r.file_name for r in receipts])
    write_html_receipts(warehouse.inbox, warehouse.work_file, [r.file_name for r in receipts])
    return MaterializeResult(metadata=_receipt_metadata(receipts))


raw_assets = [raw_source_asset(c) for c in all_contracts().values()] + [unmatched_deliveries]
