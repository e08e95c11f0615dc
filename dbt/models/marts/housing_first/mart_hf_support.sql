-- noqa: disable=LT02,LT11,AL05
-- (GROUPING SETS and Jinja-looped UNIONs: sqlfluff's DuckDB grammar cannot parse them to lay them out)
{# Support contacts by municipality, domain and worker role (each also as 'all'): contacts, contact
    hours, clients helped, and contact hours per client-month housed (move-in to exit or evaluation date). -#}
with participants as (
    select participants.*, programme_dates.evaluation_date
    from {{ ref('int_hf__participants') }} as participants
    inner join {{ ref('int_hf__programme_dates') }} as programme_dates
        on programme_dates.programme_id = participants.programme_id
),

contacts as (
    select
        participants.programme_id,
        participants.municipality_atvk,
        participants.municipality_name,
        contacts.client_id,
        contacts.domain,
        contacts.worker_role,
        contacts.minutes
    from {{ ref('stg_housing_first__support_contacts') }} as contacts
    inner join participants
        on participants.client_id = contacts.client_id
            -- measured at the evaluation date, like the client-months housed below: contacts the provider
            -- delivered for later months (a programme that goes on) wait for a later evaluation
            and contacts.contact_date <= participants.evaluation_date
),

client_months as (
    select
        programme_id,
        municipality_atvk,
        -- an exit date delivered broken: housed to the last known record (doc end_date_unknown)
        sum({{ hf_housed_until('evaluation_date') }} - move_in_date) / 30.4375 as client_months_housed
    from participants
    where move_in_date is not null and move_in_date <= evaluation_date
    group by programme_id, municipality_atvk
),

client_months_all as (
    select programme_id, null as municipality_atvk, sum(client_months_housed) as client_months_housed
    from client_months
    group by programme_id
),

counted as (
    select
        programme_id,
        {{ hf_municipality_columns() }},
        case when grouping(domain) = 1 then 'all' else domain end as domain,
        case when grouping(worker_role) = 1 then 'all' else worker_role end as worker_role,
        count(*) as contacts,
        sum(minutes) / 60.0 as contact_hours,
        count(distinct client_id) as clients_helped
    from contacts
    group by grouping sets (
        (programme_id, municipality_atvk, municipality_name, domain, worker_role),
        (programme_id, municipality_atvk, municipality_name, domain),
        (programme_id, municipality_atvk, municipality_name, worker_role),
        (programme_id, municipality_atvk, municipality_name),
        (programme_id, domain, worker_role),
        (programme_id, domain),
        (programme_id, worker_role),
        (programme_id)
    )
),

with_months as (
    select counted.*, months.client_months_housed
    from counted
    left join (select * from client_months union all select * from client_months_all) as months
        on months.programme_id = counted.programme_id
        and months.municipality_atvk is not distinct from counted.municipality_atvk
)

select
    *,
    contact_hours / nullif(client_months_housed, 0) as contact_hours_per_client_month
from with_months
