{#- Crisis-service use per participant in the 12 months before move-in [move-in - 12 months, move-in) and
    the 12 months after [move-in, move-in + 12 months), linked by pseudonym. Stays are clipped to the
    window; costs use the unit costs of the move-in year for both windows (constant prices).
    Exposure (issue 23): a window is observed from the first crisis-service record delivered (any of the four
    registers) to the as-of date (var as_of_date; without it the day after the last record), and an "after"
    window ends at a death; observed_days is the number
    of days of the window so observed, window_complete whether the data cover the whole window. An "after"
    window the data do not yet cover is not a low count: the summary compares counts over complete windows
    only and gives rates per 365 observed days. A participant whose move-in date was delivered broken has no
    windows (not computable; mart_hf_participants counts them); a death whose date was delivered broken ends
    the observation at the last known record (doc end_date_unknown). -#}

with participants as (
    select * from {{ ref('int_hf__participants') }}
    where move_in_date is not null and is_linkable
),

-- the crisis data's coverage: from the first record to the as-of date (var as_of_date: the date the
-- release's data describe, e.g. a register extract made on 31 March) or, without it, to the latest record
-- of any register (a national register has records up to its last day; a small extract may not)
crisis_coverage as (
    select
        min(first_day) as coverage_start,
        {{ "cast('" ~ var('as_of_date') ~ "' as date) + 1" if var('as_of_date', none) else "max(last_day) + 1" }}
            as coverage_end
    from (
        select min(call_date) as first_day, max(call_date) as last_day from {{ ref('stg_nmpd__ambulance_calls') }}
        union all
        select min(admission_date), max(greatest(admission_date, coalesce(discharge_date, admission_date)))
        from {{ ref('stg_nvd__hospital_stays') }}
        union all
        select min(contact_date), max(contact_date) from {{ ref('stg_police__contacts') }}
        union all
        select min(admission_date), max(greatest(admission_date, coalesce(release_date, admission_date)))
        from {{ ref('stg_prisons__spells') }}
    ) as registers
),

windows as (
    select
        participants.programme_id,
        participants.client_id,
        participants.person_id,
        participants.municipality_atvk,
        participants.municipality_name,
        participants.move_in_date,
        participants.exit_date,
        participants.exit_reason,
        participants.exit_date_unknown,
        participants.exit_censored_on,
        crisis_windows.crisis_window,
        case crisis_windows.crisis_window
            when 'before' then cast({{ dbt.dateadd('month', -12, 'participants.move_in_date') }} as date)
            else participants.move_in_date
        end as window_start,
        case crisis_windows.crisis_window
            when 'before' then participants.move_in_date
            else cast({{ dbt.dateadd('month', 12, 'participants.move_in_date') }} as date)
        end as window_end
    from participants
    cross join (values ('before'), ('after')) as crisis_windows (crisis_window)
),

observed as (
    select
        windows.*,
        greatest(windows.window_start, crisis_coverage.coverage_start) as observed_from,
        least(
            windows.window_end, crisis_coverage.coverage_end,
            case when windows.exit_reason = 'death' then windows.exit_date + 1 end,
            -- a death whose date was delivered broken: observed to the last known record (doc end_date_unknown)
            case when windows.exit_reason = 'death' and windows.exit_date_unknown then windows.exit_censored_on end
        ) as observed_to,
        crisis_coverage.coverage_start <= windows.window_start
        and crisis_coverage.coverage_end >= windows.window_end as window_complete
    from windows
    cross join crisis_coverage
),

-- ambulance calls and police contacts in the window
crisis_contacts as (
    select 'ambulance' as service, person_id, call_date as contact_date
    from {{ ref('stg_nmpd__ambulance_calls') }}
    union all
    select 'police', person_id, contact_date
    from {{ ref('stg_police__contacts') }}
),

contacts as (
    select
        windows.client_id,
        windows.crisis_window,
        count(*) filter (where crisis_contacts.service = 'ambulance') as ambulance_calls,
        count(*) filter (where crisis_contacts.service = 'police') as police_contacts
    from windows
    inner join crisis_contacts
        on crisis_contacts.person_id = windows.person_id
            and crisis_contacts.contact_date >= windows.window_start
            and crisis_contacts.contact_date < windows.window_end
    group by windows.client_id, windows.crisis_window
),

-- hospital stays and prison spells, each counted to its counted end date (staging: the end date; the day after
-- the admission when the end date was set to unknown, i.e. the admission day only, doc end_date_unknown; null
-- while open: then to the window's end); a same-day hospital stay counts one day
institution_stays as (
    select
        'hospital' as institution,
        person_id,
        admission_date,
        counted_discharge_date as counted_end_date,
        coalesce(discharge_date = admission_date, false) as is_same_day
    from {{ ref('stg_nvd__hospital_stays') }}
    union all
    select 'prison', person_id, admission_date, counted_release_date, false
    from {{ ref('stg_prisons__spells') }}
),

institution_days as (
    select
        windows.client_id,
        windows.crisis_window,
        stays.institution,
        stays.admission_date >= windows.window_start as is_admitted_in_window,
        case when stays.is_same_day then 1
            else least(coalesce(stays.counted_end_date, windows.window_end), windows.window_end)
                - greatest(stays.admission_date, windows.window_start)
        end as window_days
    from windows
    inner join institution_stays as stays
        on stays.person_id = windows.person_id
            and stays.admission_date < windows.window_end
            and (
                coalesce(stays.counted_end_date, windows.window_end) > windows.window_start
                or stays.is_same_day and stays.admission_date >= windows.window_start
            )
),

institution as (
    select
        client_id,
        crisis_window,
        count(*) filter (where institution = 'hospital' and is_admitted_in_window) as hospital_admissions,
        sum(window_days) filter (where institution = 'hospital') as inpatient_days,
        count(*) filter (where institution = 'prison' and is_admitted_in_window) as prison_admissions,
        sum(window_days) filter (where institution = 'prison') as prison_days
    from institution_days
    group by client_id, crisis_window
),

unit_costs as (
    {{ unit_costs_by_year(['ambulance_call', 'inpatient_day', 'police_contact', 'prison_day'], suffix='_eur') }}
),

use_per_window as (
    select
        windows.programme_id,
        windows.client_id,
        windows.person_id,
        windows.municipality_atvk,
        windows.municipality_name,
        windows.move_in_date,
        windows.crisis_window,
        windows.window_start,
        windows.window_end,
        windows.window_end - windows.window_start as window_days,
        greatest(windows.observed_to - windows.observed_from, 0) as observed_days,
        coalesce(windows.window_complete, false) as window_complete,
        coalesce(
            windows.exit_reason = 'death' and windows.exit_date >= windows.window_start
            and windows.exit_date < windows.window_end, false
        ) as died_in_window,
        coalesce(contacts.ambulance_calls, 0) as ambulance_calls,
        coalesce(institution.hospital_admissions, 0) as hospital_admissions,
        coalesce(institution.inpatient_days, 0) as inpatient_days,
        coalesce(contacts.police_contacts, 0) as police_contacts,
        coalesce(institution.prison_admissions, 0) as prison_admissions,
        coalesce(institution.prison_days, 0) as prison_days,
        {{ date_part_number('year', 'windows.move_in_date') }} as unit_cost_year,
        unit_costs.ambulance_call_eur,
        unit_costs.inpatient_day_eur,
        unit_costs.police_contact_eur,
        unit_costs.prison_day_eur
    from observed as windows
    left join contacts using (client_id, crisis_window)
    left join institution using (client_id, crisis_window)
    left join unit_costs on unit_costs.year = {{ date_part_number('year', 'windows.move_in_date') }}
),

costed as (
    select
        programme_id, client_id, person_id, municipality_atvk, municipality_name, move_in_date, crisis_window,
        window_start,
        window_end,
        window_days,
        observed_days,
        window_complete,
        died_in_window,
        ambulance_calls,
        hospital_admissions,
        inpatient_days,
        police_contacts, prison_admissions, prison_days, unit_cost_year,
        ambulance_calls * ambulance_call_eur + inpatient_days * inpatient_day_eur
        + police_contacts * police_contact_eur + prison_days * prison_day_eur as crisis_cost_eur
    from use_per_window
)

select * from costed
