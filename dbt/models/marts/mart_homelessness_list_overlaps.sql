-- RESTRICTED (meta tier: restricted; cells are small): per year, linkable persons by capture pattern
-- over the lists that each see homeless people independently of the others, the input of the
-- multiple-systems estimate (mart_homelessness_estimate). A person is on a list in a year when:
--   shelter:  a shelter stay with a night in the year;
--   ambulance: an ambulance call with no known address in the year;
--   police:   a police contact recorded as no fixed abode in the year;
--   prison:   a release from prison with no housing in the year;
--   hospital: a hospital discharge with no fixed abode in the year.
-- Unlinkable pseudonyms ('L...') cannot be matched across lists and are left out.
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

list_members as (
    select distinct years.year, episodes.person_id, episodes.record_type as list_name
    from episodes
    inner join years
        on years.year between extract(year from episodes.start_date) and extract(year from episodes.end_date)
    union
    select distinct contact_year, person_id, record_type
    from contacts
),

patterns as (
    select
        year,
        person_id,
        bool_or(list_name = 'shelter_stay') as on_shelter,
        bool_or(list_name = 'ambulance_no_address') as on_ambulance,
        bool_or(list_name = 'police_no_fixed_abode') as on_police,
        bool_or(list_name = 'prison_release') as on_prison,
        bool_or(list_name = 'hospital_discharge') as on_hospital
    from list_members
    group by year, person_id
)

select
    year,
    on_shelter,
    on_ambulance,
    on_police,
    on_prison,
    on_hospital,
    count(*) as persons
from patterns
-- no year before the deliveries begin (a 2014 release from a spell delivered in 2015 is not a list of 2014)
where year >= {{ first_delivered_year() }}
group by year, on_shelter, on_ambulance, on_police, on_prison, on_hospital
