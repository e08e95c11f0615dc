-- One row per person seen in a homeless service or situation (the monitoring cohort; the crisis
-- services' whole-population records are not persons of this dimension unless they appear here).
-- Sex and birth year: the birth year read from a validated personal code wins; else the value the
-- sources recorded most often, the latest record breaking ties.
with episodes as (
    select * from {{ ref('int_person_episodes') }}
),

stays as (
    {{ linked_person_rows('stg_shelters__stays') }}
),

hf_waiting as (
    {{ linked_person_rows('int_hf__waiting_periods') }}
),

recorded_attributes as (
    select person_id, sex, birth_year, birth_year_from_code, person_id_status, check_in_date as recorded_on
    from stays
    union all
    select person_id, sex, birth_year, null, null, referral_date
    from hf_waiting
),

sex_votes as (
    {{ most_recorded_value('recorded_attributes', 'sex') }}
),

birth_year_votes as (
    {{ most_recorded_value('recorded_attributes', 'birth_year') }}
),

code_attributes as (
    select
        person_id,
        max(birth_year_from_code) as birth_year_from_code,
        max(person_id_status) as person_id_status
    from recorded_attributes
    group by person_id
),

seen as (
    select
        person_id,
        min(start_date) as first_seen_date,
        max(end_date) as last_seen_date,
        count(*) as records,
        {{ dbt.listagg('distinct record_type', "','", 'order by record_type') }} as record_types
    from episodes
    group by person_id
)

select
    seen.person_id,
    seen.person_id like 'P%' as is_linkable,
    case
        when seen.person_id like 'P%' then 'linked'
        else 'source_local'
    end as linkage_status,
    code_attributes.person_id_status,
    sex_votes.sex,
    coalesce(code_attributes.birth_year_from_code, birth_year_votes.birth_year) as birth_year,
    code_attributes.birth_year_from_code is not null as birth_year_from_code,
    seen.first_seen_date,
    seen.last_seen_date,
    seen.records,
    seen.record_types
from seen
left join sex_votes on sex_votes.person_id = seen.person_id
left join birth_year_votes on birth_year_votes.person_id = seen.person_id
left join code_attributes on code_attributes.person_id = seen.person_id
