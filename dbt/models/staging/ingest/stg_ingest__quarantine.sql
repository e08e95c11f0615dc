select
    {{ row_issue_columns() }},
    row_values
from {{ source('ingest', 'quarantine') }}
