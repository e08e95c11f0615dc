-- One row per delivered file and load. The JSON breakdowns stay JSON here; mart_data_quality unnests them.
select
    load_id,
    source,
    file_name,
    file_sha256,
    file_bytes,
    status,
    reason,
    rows_read,
    rows_loaded,
    rows_quarantined,
    quarantined_by_rule,
    invalid_personal_codes,
    received_at,
    loaded_at
from {{ source('ingest', 'receipts') }}
