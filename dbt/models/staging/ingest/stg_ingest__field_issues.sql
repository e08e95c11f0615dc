select {{ row_issue_columns() }}
from {{ source('ingest', 'field_issues') }}
