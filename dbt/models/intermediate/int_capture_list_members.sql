-- One row per year, linkable person and capture list of the multiple-systems estimate: the persons
-- behind mart_homelessness_list_overlaps (which counts them by capture pattern and stratum), so that
-- mart_population_reconciliation can follow each person from list to list. The one definition of the
-- lists: a person is on a list in a year when
--   shelter_stay:          a shelter stay with a night in the year;
--   ambulance_no_address:  an ambulance call with no known address in the year;
--   police_no_fixed_abode: a police contact recorded as no fixed abode in the year;
--   prison_release:        a release from prison with no housing in the year;
--   hospital_discharge:    a hospital discharge with no fixed abode in the year.
-- Unlinkable pseudonyms ('L...') cannot be matched across lists and are left out. A person whose only
-- record of homelessness in the year is one flagged contact with an address recorded in another source
-- within 30 days either side of it (false_positive_list_persons: a hospital stay discharged home, a
-- release to housing, the other crisis service's contact with the address known) is flagged
-- is_set_aside_likely_housed: the estimate leaves them out and publishes how many. Years from the first
-- delivered year (a 2014 release from a spell delivered in 2015 is not a list of 2014).
-- The half-years of the crisis lists (ambulance, police, hospital; each record is one day: the call,
-- the contact, the discharge): in_first_half when one of the person's records on the list is dated
-- before 1 July of the year, in_second_half when one is dated on or after 1 July (both when there are
-- records in both halves). Shelter stays and prison releases stay yearly lists: null.
with episodes as (
    select * from {{ ref('int_person_episodes') }}
    where is_linkable and record_type in ('shelter_stay', 'prison_release', 'hospital_discharge')
),

contacts as (
    select * from {{ ref('int_crisis_rough_sleeping_contacts') }}
    where is_linkable
),

years as (
    select distinct year
    from {{ ref('dim_date') }}
    where year between (select min(extract(year from start_date)) from episodes)
        and (select max(extract(year from end_date)) from episodes)
),

memberships as (
    select
        years.year,
        episodes.person_id,
        episodes.record_type as list_name,
        greatest(episodes.start_date, make_date(years.year, 1, 1)) as first_day,
        episodes.municipality_atvk
    from episodes
    inner join years
        on years.year between extract(year from episodes.start_date) and extract(year from episodes.end_date)
    union all
    select contact_year, person_id, record_type, contact_date, municipality_atvk
    from contacts
),

-- per list: the first day on it in the year and the municipality of that day
list_members as (
    select
        year,
        person_id,
        list_name,
        min(first_day) as first_day,
        {{ value_at_least('municipality_atvk', 'first_day') }} as municipality_atvk,
        case
            when list_name in ('ambulance_no_address', 'police_no_fixed_abode', 'hospital_discharge')
                then bool_or(first_day < make_date(year, 7, 1))
        end as in_first_half,
        case
            when list_name in ('ambulance_no_address', 'police_no_fixed_abode', 'hospital_discharge')
                then bool_or(first_day >= make_date(year, 7, 1))
        end as in_second_half
    from memberships
    group by year, person_id, list_name
),

false_positives as (
    {{ false_positive_list_persons() }}
),

-- per person and year (a person on both crisis lists has a row for each)
contradicted as (
    select
        year,
        person_id,
        sum(flagged_contacts) as flagged_contacts,
        bool_or(address_in_hospital or address_in_prison or address_in_other_service) as address_nearby
    from false_positives
    group by year, person_id
),

lists_per_person as (
    select year, person_id, count(*) as lists
    from list_members
    group by year, person_id
)

select
    list_members.year,
    list_members.person_id,
    list_members.list_name,
    list_members.first_day,
    list_members.municipality_atvk,
    list_members.in_first_half,
    list_members.in_second_half,
    coalesce(
        lists_per_person.lists = 1
        and contradicted.flagged_contacts = 1
        and contradicted.address_nearby,
        false
    ) as is_set_aside_likely_housed
from list_members
inner join lists_per_person
    on lists_per_person.year = list_members.year and lists_per_person.person_id = list_members.person_id
left join contradicted
    on contradicted.year = list_members.year and contradicted.person_id = list_members.person_id
where list_members.year >= {{ first_delivered_year() }}
