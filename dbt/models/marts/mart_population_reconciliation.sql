-- One reconciliation of the persons of a year (docs: population_reconciliation): from the union of
-- every person-level list through the population each indicator counts, with the persons each step
-- removes or adds and why. Populations (rows with line_type 'population'):
--   1 union:             persons with a homeless night in the year (fct_service_days, any pseudonym) or on
--                        a capture list of the estimate in the year (int_capture_list_members, linkable);
--   2 flow:              persons with a homeless night in the year: mart_homeless_flow_yearly, 'ALL';
--   3 cost:              of these, linkable persons (mart_cost_of_homelessness' homeless persons);
--   4 estimate_observed: linkable persons on at least one capture list (the estimate's observed_persons).
-- The 'difference' rows between them add up: union - no_night_in_year = flow; flow -
-- source_local_pseudonym = cost; cost - (nights from no capture-list record or set aside, by kind) + no_night_in_year =
-- estimate_observed. Counts of persons; years from the first delivered year.
{#- The lines of the reconciliation, in order: (line_order, line_type, population, reason, description,
    the persons: a column of `counts`, negative where the step removes persons). -#}
{% set reconciliation_lines = [
    (1, 'population', 'union', none, 'Persons with a homeless night or on a capture list in the year',
        'union_persons'),
    (2, 'difference', 'union', 'no_night_in_year',
        'On a capture list but with no homeless night in the year: a crisis contact on a night in a ward or a cell, '
        ~ 'a release late in the year whose nights fall in the next', '-no_night_in_year'),
    (3, 'population', 'flow', none, 'Persons with a homeless night in the year: the flow', 'flow_persons'),
    (4, 'difference', 'flow', 'source_local_pseudonym',
        'Personal code failed validation: a source-local pseudonym cannot be linked or priced',
        '-source_local_pseudonym'),
    (5, 'population', 'cost', none, 'Linkable persons with a homeless night (cost of homelessness)',
        'cost_persons'),
    (6, 'difference', 'cost', 'nights_after_a_release_of_an_earlier_year',
        'Nights after a release from prison or hospital in an earlier year: on no list this year',
        '-off_list_release'),
    (7, 'difference', 'cost', 'housing_first_waiting_list_nights_only',
        'Only nights on a Housing First waiting list: no capture list', '-off_list_waiting'),
    (8, 'difference', 'cost', 'prior_situation_nights_only',
        'Only a night before a shelter check-in (reported prior situation) in the year: no capture list',
        '-off_list_prior'),
    (9, 'difference', 'cost', 'other_nights_off_the_lists', 'Other nights from no capture-list record',
        '-off_list_other'),
    (10, 'difference', 'cost', 'set_aside_as_likely_housed',
        'One flagged crisis contact, then admitted to hospital that day and discharged home: set aside from the '
        ~ 'lists as likely housed', '-off_list_set_aside'),
    (11, 'difference', 'cost', 'no_night_in_year',
        'On a capture list with no homeless night in the year, added back', 'no_night_in_year'),
    (12, 'population', 'estimate_observed', none,
        "Linkable persons on at least one capture list: the estimate's observed persons", 'listed_persons'),
] %}
with nights as (
    select
        service_year as year,
        person_id,
        person_id like 'P%' as is_linkable,
        bool_or(record_type = 'housing_first_waiting') as has_waiting_night,
        bool_or(record_type = 'prior_situation') as has_prior_situation_night,
        bool_or(record_type in ('prison_release', 'hospital_discharge')) as has_release_night
    from {{ ref('fct_service_days') }}
    group by service_year, person_id
),

listed as (
    select year, person_id, min(list_name) as first_list
    from {{ ref('int_capture_list_members') }}
    where not is_set_aside_likely_housed
    group by year, person_id
),

set_aside as (
    select distinct year, person_id
    from {{ ref('int_capture_list_members') }}
    where is_set_aside_likely_housed
),

person_years as (
    select
        coalesce(nights.year, listed.year) as year,
        coalesce(nights.person_id, listed.person_id) as person_id,
        nights.person_id is not null as has_night,
        coalesce(nights.is_linkable, true) as is_linkable,
        listed.person_id is not null as is_listed,
        set_aside.person_id is not null as is_set_aside,
        nights.has_waiting_night,
        nights.has_prior_situation_night,
        nights.has_release_night
    from nights
    full outer join listed
        on listed.year = nights.year and listed.person_id = nights.person_id
    left join set_aside
        on set_aside.year = coalesce(nights.year, listed.year)
            and set_aside.person_id = coalesce(nights.person_id, listed.person_id)
),

-- why a linkable person with a night is on no capture list: the kind of record their nights came from
classified as (
    select
        *,
        case
            when not has_night or not is_linkable or is_listed then null
            when is_set_aside then 'set_aside_as_likely_housed'
            when has_release_night then 'nights_after_a_release_of_an_earlier_year'
            when has_waiting_night then 'housing_first_waiting_list_nights_only'
            when has_prior_situation_night then 'prior_situation_nights_only'
            else 'other_nights_off_the_lists'
        end as off_list_reason
    from person_years
),

counts as (
    select
        year,
        count(*) as union_persons,
        count(*) filter (where not has_night) as no_night_in_year,
        count(*) filter (where has_night) as flow_persons,
        count(*) filter (where has_night and not is_linkable) as source_local_pseudonym,
        count(*) filter (where has_night and is_linkable) as cost_persons,
        count(*) filter (where off_list_reason = 'nights_after_a_release_of_an_earlier_year') as off_list_release,
        count(*) filter (where off_list_reason = 'housing_first_waiting_list_nights_only') as off_list_waiting,
        count(*) filter (where off_list_reason = 'prior_situation_nights_only') as off_list_prior,
        count(*) filter (where off_list_reason = 'other_nights_off_the_lists') as off_list_other,
        count(*) filter (where off_list_reason = 'set_aside_as_likely_housed') as off_list_set_aside,
        count(*) filter (where is_listed) as listed_persons
    from classified
    group by year
),

lines as (
    {% for line_order, line_type, population, reason, description, persons in reconciliation_lines %}
        {{ 'union all' if not loop.first }}
        select
            year,
            {{ line_order }} as line_order,
            '{{ line_type }}' as line_type,
            '{{ population }}' as population,
            {{ "'" ~ reason ~ "'" if reason else 'cast(null as varchar)' }} as reason,
            '{{ description | replace("'", "''") }}' as description,
            {{ persons }} as persons
        from counts
    {% endfor %}
)

select year, line_order, line_type, population, reason, description, persons
from lines
-- no year before the deliveries begin (macros/delivered_years.sql)
where year >= {{ first_delivered_year() }}
