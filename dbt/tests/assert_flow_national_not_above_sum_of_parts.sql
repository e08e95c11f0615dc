-- Reconciliation: a national (or NUTS3) flow counts each person once, so it can never exceed the sum
-- of its parts (NUTS3 regions, municipalities), which count a person once per place.
with flow as (
    select * from {{ ref('mart_homeless_flow_yearly') }}
),

parts as (
    select
        year, ethos_light_category, sex, age_group,
        case when geo_level = 'municipality' then nuts3_code else 'ALL' end as parent_nuts3,
        case when geo_level = 'municipality' then 'nuts3' else 'national' end as parent_level,
        sum(persons) as persons_in_parts
    from flow
    where geo_level in ('municipality', 'nuts3')
    group by 1, 2, 3, 4, 5, 6
)

select flow.*, parts.persons_in_parts
from flow
inner join parts
    on {{ columns_match('parts', 'flow', ['year', 'ethos_light_category', 'sex', 'age_group']) }}
    and parts.parent_level = flow.geo_level
    and parts.parent_nuts3 = flow.nuts3_code
where flow.persons > parts.persons_in_parts
