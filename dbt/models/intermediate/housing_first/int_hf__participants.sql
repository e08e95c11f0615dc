-- One row per Housing First client with their (first) enrolment, tenancy and site: the base of every HF mart.
with clients as (
    select * from {{ ref('stg_housing_first__clients') }}
),

first_enrolments as (
    select
        * from (
        select
            *, row_number() over (
                partition by client_id order by move_in_date nulls last, referral_date, enrolment_id
            ) as enrolment_rank
        -- the enrolments with their unknown-date flags and censoring day (doc end_date_unknown)
        from {{ ref('int_hf__waiting_periods') }}
    ) as ranked
    where enrolment_rank = 1
),

first_tenancies as (
    select
        * from (
        select *, row_number() over (partition by client_id order by tenancy_start, tenancy_id) as tenancy_rank
        from {{ ref('stg_housing_first__flats') }}
    ) as ranked
    where tenancy_rank = 1
),

entry_respondents as (
    select distinct client_id from {{ ref('stg_housing_first__surveys') }} where wave = 'entry'
),

municipalities as (
    select atvk_code, name from {{ ref('stg_reference__municipalities') }}
),

participants as (
    select
        clients.client_id,
        clients.person_id,
        clients.is_linkable,
        coalesce(first_enrolments.programme_id, clients.programme_id) as programme_id,
        coalesce(first_enrolments.municipality_atvk, clients.municipality_atvk) as municipality_atvk,
        coalesce(municipalities.name, coalesce(first_enrolments.municipality_atvk, clients.municipality_atvk))
            as municipality_name,
        clients.sex,
        clients.birth_year,
        -- age at entry as calendar years: the move-in year (referral year if not housed) minus the birth year
        {{ date_part_number('year', 'coalesce(first_enrolments.move_in_date, first_enrolments.referral_date)') }}
        - clients.birth_year
            as age_at_entry,
        clients.ethnicity,
        clients.years_homeless,
        clients.last_residence,
        clients.has_addiction,
        clients.has_mental_illness,
        first_enrolments.enrolment_id,
        {{ hf_enrolment_dates('first_enrolments') }},
        first_enrolments.exit_censored_on,
        {{ format_date('first_enrolments.move_in_date', '%Y') }}
        || '-Q'
        || {{ date_part_number('quarter', 'first_enrolments.move_in_date') }}
            as entry_cohort,
        first_tenancies.flat_id,
        first_tenancies.tenure,
        first_tenancies.monthly_rent_eur,
        first_tenancies.monthly_utilities_eur,
        entry_respondents.client_id is not null as has_entry_survey
    from clients
    left join first_enrolments on first_enrolments.client_id = clients.client_id
    left join first_tenancies on first_tenancies.client_id = clients.client_id
    left join entry_respondents on entry_respondents.client_id = clients.client_id
    left join municipalities
        on municipalities.atvk_code = coalesce(first_enrolments.municipality_atvk, clients.municipality_atvk)
)

select * from participants
