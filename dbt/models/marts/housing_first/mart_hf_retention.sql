-- noqa: disable=LT02,LT11,AL05
-- (GROUPING SETS and Jinja-looped UNIONs: sqlfluff's DuckDB grammar cannot parse them to lay them out)
{# Housing retention after move-in: of participants alive, those still in the tenancy or moved on to
    other permanent housing. Deaths leave the denominator; institutions, evictions, returns and lost
    contact stay in it as their own columns; a programme that ends is not a tenancy that ends.
    Every horizon has a row: one nobody has reached yet says so (horizon_status 'not_yet_reached') and
    when it will be (horizon_first_reached_on), rather than silently missing. A participant whose exit date
    was delivered broken is censored at the last known record (censored_exit_date_unknown, not observed);
    one whose move-in date was delivered broken is not housed here (not computable; mart_hf_participants
    counts them). Doc end_date_unknown. -#}
with housed as (
    select
        participants.*,
        programme_dates.evaluation_date,
        -- how far the provider's records reach (at least the evaluation date): follow-up horizons are
        -- measured to it, so a programme that goes on delivering answers its 12-month question
        greatest(
            programme_dates.evaluation_date,
            coalesce(programme_dates.observed_until, programme_dates.evaluation_date)
        ) as observed_until
    from {{ ref('int_hf__participants') }} as participants
    inner join {{ ref('int_hf__programme_dates') }} as programme_dates
        on programme_dates.programme_id = participants.programme_id
    where participants.move_in_date is not null
        and participants.move_in_date <= greatest(
            programme_dates.evaluation_date,
            coalesce(programme_dates.observed_until, programme_dates.evaluation_date)
        )
),

horizons as (
    select * from (values ('evaluation', null), ('6_months', 6), ('12_months', 12), ('24_months', 24))
        as horizons (horizon, horizon_months)
),

status_dates as (
    select
        housed.*,
        horizons.horizon,
        horizons.horizon_months,
        case when horizons.horizon_months is null then housed.evaluation_date
            else cast({{ dbt.dateadd('month', 'horizons.horizon_months', 'housed.move_in_date') }} as date)
        end as status_date
    from housed
    cross join horizons
    -- the evaluation horizon is about the participants housed by the evaluation date
    where horizons.horizon_months is not null or housed.move_in_date <= housed.evaluation_date
),

statuses as (
    select
        *,
        case
            when exit_date is null or exit_date > status_date then 'in_tenancy'
            when exit_reason = 'own_housing' then 'moved_on'
            when exit_reason = 'death' then 'died'
            when exit_reason in ('prison', 'long_hospital_stay') then 'institution'
            when exit_reason = 'eviction' then 'evicted'
            when exit_reason = 'returned_to_homelessness' then 'returned_to_homelessness'
            when exit_reason = 'lost_contact' then 'lost_contact'
            when exit_reason = 'programme_end' then 'programme_end'
            else 'exit_reason_unknown'
        end as housing_status,
        -- a horizon counts a participant only once the records reach it: the evaluation horizon at the
        -- evaluation date, a follow-up horizon (6, 12, 24 months) by the end of the provider's records
        -- (doc hf_evaluation_and_follow_up); before that it is "not yet reached", never a low number
        status_date <= case when horizon_months is null then evaluation_date else observed_until end
            as is_due,
        -- an exit date delivered broken (doc end_date_unknown): the participant is followed up to the last
        -- known record (exit_censored_on, counted like an exit that day) and is not observed at a later
        -- status date: never retained beyond it, never an exit on a day not known
        coalesce(exit_date_unknown and status_date >= exit_censored_on, false) as is_censored
    from status_dates
),

observed_statuses as (
    select *, is_due and not is_censored as is_reached
    from statuses
),

counted as (
    select
        programme_id,
        {{ hf_municipality_columns() }},
        case when grouping(entry_cohort) = 1 then 'all' else entry_cohort end as entry_cohort,
        horizon,
        horizon_months,
        max(evaluation_date) as evaluation_date,
        max(observed_until) as observed_until,
        max(status_date) filter (where is_reached) as latest_status_date,
        count(*) as participants_housed,
        min(status_date) as horizon_first_reached_on,
        max(status_date) as horizon_complete_on,
        count(*) filter (where is_reached) as participants_observed,
        count(*) filter (where is_reached and housing_status = 'in_tenancy') as in_tenancy,
        count(*) filter (where is_reached and housing_status = 'moved_on') as moved_on,
        count(*) filter (where is_reached and housing_status = 'died') as died,
        count(*) filter (where is_reached and housing_status = 'institution') as in_institution,
        count(*) filter (where is_reached and housing_status = 'evicted') as evicted,
        count(*) filter (where is_reached and housing_status = 'returned_to_homelessness') as returned_to_homelessness,
        count(*) filter (where is_reached and housing_status = 'lost_contact') as lost_contact,
        count(*) filter (where is_reached and housing_status = 'programme_end') as programme_ended,
        count(*) filter (where is_reached and housing_status = 'exit_reason_unknown') as exit_reason_unknown,
        count(*) filter (where is_due and is_censored) as censored_exit_date_unknown
    from observed_statuses
    group by grouping sets (
        (programme_id, municipality_atvk, municipality_name, entry_cohort, horizon, horizon_months),
        (programme_id, municipality_atvk, municipality_name, horizon, horizon_months),
        (programme_id, horizon, horizon_months)
    )
),

rates as (
    select
        *,
        case
            when participants_observed = 0 then 'not_yet_reached'
            when participants_observed < participants_housed then 'partly_reached'
            else 'reached'
        end as horizon_status,
        in_tenancy + moved_on as retained,
        -- alive and with a known housing status: the denominator of retention
        participants_observed - died - programme_ended - exit_reason_unknown as retention_denominator,
        cast(100.0 * (in_tenancy + moved_on)
            / nullif(participants_observed - died - programme_ended - exit_reason_unknown, 0) as double precision)
        as retention_pct,
        cast(100.0 * died / nullif(participants_observed, 0) as double precision) as died_pct
    from counted
)

select * from rates
