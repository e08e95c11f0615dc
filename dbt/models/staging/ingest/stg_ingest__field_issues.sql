select
    load_id,
    source,
    file_name,
    file_sha256,
    source_row_number,
    rule,
    column_name,
    reason
from {{ source('ingest', 'field_issues') }}
