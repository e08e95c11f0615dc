{{ config(meta={'dagster': {'ref': {'name': 'mart_homeless_point_in_time'}}}) }}  -- shown in Dagster as a check on mart_homeless_point_in_time
-- Reconciliation: everyone counted on the reference night was homeless that year, so every
-- point-in-time cell is at most the same cell of the yearly flow.
select pit.*, flow.persons as flow_persons
from {{ ref('mart_homeless_point_in_time') }} as pit
left join {{ ref('mart_homeless_flow_yearly') }} as flow
    on flow.year = pit.year
    and flow.geo_level = pit.geo_level
    and flow.nuts3_code = pit.nuts3_code
    and flow.municipality_atvk = pit.municipality_atvk
    and flow.ethos_light_category = pit.ethos_light_category
    and flow.sex = pit.sex
    and flow.age_group = pit.age_group
where pit.persons > coalesce(flow.persons, 0)
