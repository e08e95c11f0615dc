{{ config(meta={'dagster': {'ref': {'name': 'mart_homeless_flow_yearly'}}}) }}  -- shown in Dagster as a check on mart_homeless_flow_yearly
-- Reconciliation of category totals with the all-categories row:
-- point-in-time: one category per person and night, so the categories add up exactly;
-- flow: a person can be in several categories in a year, so the 'ALL' row is at least the largest
-- category and at most the sum of the categories;
-- OECD HC3.1: coverage 1+2+3 is at least each of '1' and '2+3' and at most their sum; 'all' >= 1+2+3.
with pit_categories as (
    select year, geo_level, nuts3_code, municipality_atvk, sex, age_group,
        sum(persons) filter (where ethos_light_category <> 'ALL') as sum_of_categories,
        max(persons) filter (where ethos_light_category = 'ALL') as all_categories
    from {{ ref('mart_homeless_point_in_time') }}
    group by year, geo_level, nuts3_code, municipality_atvk, sex, age_group
),

flow_categories as (
    select year, geo_level, nuts3_code, municipality_atvk, sex, age_group,
        sum(persons) filter (where ethos_light_category <> 'ALL') as sum_of_categories,
        max(persons) filter (where ethos_light_category <> 'ALL') as largest_category,
        max(persons) filter (where ethos_light_category = 'ALL') as all_categories
    from {{ ref('mart_homeless_flow_yearly') }}
    group by year, geo_level, nuts3_code, municipality_atvk, sex, age_group
),

hc31 as (
    select year, count_type,
        max(persons) filter (where ethos_light_coverage = '1') as cat_1,
        max(persons) filter (where ethos_light_coverage = '2+3') as cat_2_3,
        max(persons) filter (where ethos_light_coverage = '1+2+3') as cat_1_2_3,
        max(persons) filter (where ethos_light_coverage = 'all') as cat_all
    from {{ ref('mart_oecd_hc31') }}
    group by year, count_type
)

select 'point_in_time' as check_name, year, geo_level, municipality_atvk
from pit_categories
where coalesce(sum_of_categories, 0) <> coalesce(all_categories, 0)
union all
select 'flow', year, geo_level, municipality_atvk
from flow_categories
where all_categories < largest_category or all_categories > sum_of_categories
union all
select 'oecd_hc31_' || count_type, year, 'national', 'ALL'
from hc31
where cat_1_2_3 < greatest(cat_1, cat_2_3) or cat_1_2_3 > cat_1 + cat_2_3 or cat_all < cat_1_2_3
