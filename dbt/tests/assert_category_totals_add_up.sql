{{ config(meta={'dagster': {'ref': {'name': 'mart_homeless_flow_yearly'}}}) }}  -- shown in Dagster as a check on mart_homeless_flow_yearly
-- Reconciliation of category totals with the all-categories row:
-- point-in-time: one category per person and night, so the categories add up exactly;
-- flow: a person can be in several categories in a year, so the 'ALL' row is at least the largest
-- category and at most the sum of the categories;
-- OECD HC3.1: coverage 1+2+3 is at least each of '1' and '2+3' and at most their sum; 'all' >= 1+2+3.
-- Only the single categories '1'-'6' are summed: the combined coverage rows '2+3' and '1+2+3' count
-- each person once (equal to the sums on one night, between the largest part and the sum over a year),
-- and the national flow and point-in-time coverage rows equal mart_oecd_hc31's.
with pit_categories as (
    select year, geo_level, nuts3_code, municipality_atvk, sex, age_group,
        sum(persons) filter (where ethos_light_category in ('1', '2', '3', '4', '5', '6')) as sum_of_categories,
        max(persons) filter (where ethos_light_category = 'ALL') as all_categories,
        coalesce(sum(persons) filter (where ethos_light_category in ('2', '3')), 0) as sum_2_3,
        coalesce(sum(persons) filter (where ethos_light_category in ('1', '2', '3')), 0) as sum_1_2_3,
        coalesce(max(persons) filter (where ethos_light_category = '2+3'), 0) as combined_2_3,
        coalesce(max(persons) filter (where ethos_light_category = '1+2+3'), 0) as combined_1_2_3
    from {{ ref('mart_homeless_point_in_time') }}
    group by year, geo_level, nuts3_code, municipality_atvk, sex, age_group
),

flow_categories as (
    select year, geo_level, nuts3_code, municipality_atvk, sex, age_group,
        sum(persons) filter (where ethos_light_category in ('1', '2', '3', '4', '5', '6')) as sum_of_categories,
        max(persons) filter (where ethos_light_category in ('1', '2', '3', '4', '5', '6')) as largest_category,
        max(persons) filter (where ethos_light_category = 'ALL') as all_categories,
        coalesce(sum(persons) filter (where ethos_light_category in ('2', '3')), 0) as sum_2_3,
        coalesce(max(persons) filter (where ethos_light_category in ('2', '3')), 0) as largest_2_3,
        coalesce(max(persons) filter (where ethos_light_category = '2+3'), 0) as combined_2_3,
        coalesce(max(persons) filter (where ethos_light_category = '1+2+3'), 0) as combined_1_2_3
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
    or combined_2_3 <> sum_2_3 or combined_1_2_3 <> sum_1_2_3
union all
select 'flow', year, geo_level, municipality_atvk
from flow_categories
where all_categories < largest_category or all_categories > sum_of_categories
    or combined_2_3 < largest_2_3 or combined_2_3 > sum_2_3 or combined_1_2_3 < combined_2_3
    or combined_1_2_3 > all_categories
union all
select 'flow_vs_oecd_hc31_' || hc31.count_type, hc31.year, 'national', 'ALL'
from hc31
inner join (
    select year, 'flow' as count_type, combined_2_3, combined_1_2_3 from flow_categories
    where geo_level = 'national' and sex = 'ALL' and age_group = 'ALL'
    union all
    select year, 'point_in_time', combined_2_3, combined_1_2_3 from pit_categories
    where geo_level = 'national' and sex = 'ALL' and age_group = 'ALL'
) as breakdown_marts
    on breakdown_marts.year = hc31.year and breakdown_marts.count_type = hc31.count_type
where breakdown_marts.combined_2_3 <> hc31.cat_2_3 or breakdown_marts.combined_1_2_3 <> hc31.cat_1_2_3
union all
select 'oecd_hc31_' || count_type, year, 'national', 'ALL'
from hc31
where cat_1_2_3 < greatest(cat_1, cat_2_3) or cat_1_2_3 > cat_1 + cat_2_3 or cat_all < cat_1_2_3
