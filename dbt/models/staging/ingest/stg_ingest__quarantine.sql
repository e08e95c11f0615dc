select
    load_id,
    source,
    file_name,
    file_sha256,
    source_row_number,
    rule,
    column_name,
    reason,
    row_values
from {{ source('ingest', 'quarantine') }}
