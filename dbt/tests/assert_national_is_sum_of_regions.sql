-- docs: municipality_attribution_rule. Every person-year is placed in a NUTS3 region, so the national
-- total of the marts that count a person once per cell (reference night, first-time, length) equals
-- the sum of its regions, and no 'UNKNOWN' region is left to be given away by the difference.
-- Rows returned: a year and mart where the national total differs from the sum of its regions.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'mart_homeless_point_in_time'}}}) }}  -- shown in Dagster as a check on mart_homeless_point_in_time
{% set marts = {
    'mart_homeless_point_in_time': 'persons',
    'mart_first_time_homeless': 'persons_entering',
    'mart_length_of_homelessness': 'persons',
} %}
{% for mart, measure in marts.items() %}
select
    '{{ mart }}' as mart,
    national.year,
    national.{{ measure }} as national_total,
    sum(regions.{{ measure }}) as sum_of_regions,
    sum(case when regions.nuts3_code = 'UNKNOWN' then regions.{{ measure }} else 0 end) as unknown_region
from {{ ref(mart) }} as national
inner join {{ ref(mart) }} as regions
    on regions.year = national.year
        and regions.geo_level = 'nuts3'
        and regions.ethos_light_category = 'ALL'
        and regions.sex = 'ALL'
        and regions.age_group = 'ALL'
where national.geo_level = 'national'
    and national.ethos_light_category = 'ALL'
    and national.sex = 'ALL'
    and national.age_group = 'ALL'
group by national.year, national.{{ measure }}
having national.{{ measure }} <> sum(case when regions.nuts3_code <> 'UNKNOWN' then regions.{{ measure }} else 0 end)
{% if not loop.last %}union all{% endif %}
{% endfor %}
