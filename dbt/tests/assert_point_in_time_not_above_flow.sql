{{ config(meta={'dagster': {'ref': {'name': 'mart_homeless_point_in_time'}}}) }}  -- shown in Dagster as a check on mart_homeless_point_in_time
-- Reconciliation: everyone counted on the reference night was homeless that year, so every
-- point-in-time cell is at most the same cell of the yearly flow.
select pit.*, flow.persons as flow_persons
from {{ ref('mart_homeless_point_in_time') }} as pit
left join {{ ref('mart_homeless_flow_yearly') }} as flow
    on {{ columns_match('flow', 'pit', [
        'year', 'geo_level', 'nuts3_code', 'municipality_atvk', 'ethos_light_category', 'sex', 'age_group'
    ]) }}
where pit.persons > coalesce(flow.persons, 0)
