-- One row per year, linkable person and capture list of the multiple-systems estimate: the persons
-- behind mart_homelessness_list_overlaps (which keeps only their counts by capture pattern), so that
-- mart_population_reconciliation can follow each person from list to list. The same definition: a
-- person is on a list in a year when
--   shelter_stay:          a shelter stay with a night in the year;
--   ambulance_no_address:  an ambulance call with no known address in the year;
--   police_no_fixed_abode: a police contact recorded as no fixed abode in the year;
--   prison_release:        a release from prison with no housing in the year;
--   hospital_discharge:    a hospital discharge with no fixed abode in the year.
-- Unlinkable pseudonyms ('L...') cannot be matched across lists and are left out. A data test
-- (assert_capture_lists_match_list_overlaps) holds the two models to the same persons per year.
with recursive episodes as (
    select * from {{ ref('int_person_episodes') }}
    where is_linkable and record_type in ('shelter_stay', 'prison_release', 'hospital_discharge')
),

contacts as (
    select * from {{ ref('int_crisis_rough_sleeping_contacts') }}
    where is_linkable
),

-- every year an episode has a night in, from its first to its last
episode_years as (
    select
        person_id, record_type,
        cast(extract(year from start_date) as integer) as year,
        cast(extract(year from end_date) as integer) as last_year
    from episodes
    union all
    select person_id, record_type, year + 1, last_year
    from episode_years
    where year < last_year
)

select distinct year, person_id, record_type as list_name
from episode_years
union
select distinct contact_year, person_id, record_type
from contacts
