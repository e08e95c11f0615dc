with delivered as (
    {{ latest_delivery_rows('ref_population', ['atvk_code', 'year']) }}
)

select
    delivered.atvk_code,
    delivered.year,
    delivered.population,
    delivered.source,
    delivered.source like 'estimate%' as is_estimate,
    {{ lineage_columns() }}
from delivered
