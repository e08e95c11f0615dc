{{ config(meta={'dagster': {'ref': {'name': 'int_capture_list_members'}}}) }}  -- shown in Dagster as a check on int_capture_list_members
-- int_capture_list_members restates the lists of mart_homelessness_list_overlaps person by person:
-- every year of the overlaps has the same number of persons on at least one list.
with members as (
    select year, count(distinct person_id) as persons
    from {{ ref('int_capture_list_members') }}
    where not is_set_aside_likely_housed
    group by year
),

overlap_counts as (
    select year, sum(persons) as persons
    from {{ ref('mart_homelessness_list_overlaps') }}
    group by year
)

select overlap_counts.year, overlap_counts.persons as overlap_persons, members.persons as member_persons
from overlap_counts
left join members on members.year = overlap_counts.year
where members.persons is distinct from overlap_counts.persons
