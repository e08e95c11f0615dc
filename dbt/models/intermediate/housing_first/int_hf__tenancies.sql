-- Housing First tenancies: from move-in (after the waiting period) to leaving the programme. A
-- tenant is housed, not homeless (docs: housing_first_tenancy_rule): a homeless-service night inside
-- an open tenancy is reported apart, and a tenancy in the 730 days before a shelter entry means the
-- entry is not first-time homelessness. first_night = move-in day; last_night = the night before
-- the exit date (null while the tenancy is open). A tenancy whose exit date was delivered broken is
-- counted to the last known record (exit_censored_on, like an exit that day), never open; one whose
-- move-in date was delivered broken has no known nights and is left out (doc end_date_unknown).
with waiting_periods as (
    {{ linked_person_rows('int_hf__waiting_periods', also='move_in_date is not null') }}
)

select
    enrolment_id,
    person_id,
    programme_id,
    municipality_atvk,
    move_in_date as first_night,
    case
        when exit_date is not null then greatest(exit_date - 1, move_in_date)
        when exit_date_unknown then greatest(exit_censored_on - 1, move_in_date)
    end as last_night,
    exit_date,
    exit_reason,
    coalesce(exit_date_unknown, false) as exit_date_unknown
from waiting_periods
where exit_date is null or exit_date > move_in_date
