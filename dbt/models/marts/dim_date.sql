-- One row per calendar day from the first year of reference population to five years past today.
-- is_pit_night marks the point-in-time reference night (vars pit_month/pit_day, default 15 November).
with bounds as (
    select
        make_date(cast(coalesce(min(year), 2010) as integer), 1, 1) as first_day,
        make_date(
            cast(greatest(coalesce(max(year), 2030), {{ date_part_number('year', 'current_date') }} + 5) as integer),
            12,
            31
        ) as last_day
    from {{ ref('stg_reference__population') }}
),

days as (
    select {{ days_from_to('first_day', 'last_day') }} as date_day
    from bounds
)

select
    date_day,
    cast(extract(year from date_day) as integer) as year,
    cast(extract(quarter from date_day) as integer) as quarter,
    cast(extract(month from date_day) as integer) as month,
    cast(extract(day from date_day) as integer) as day_of_month,
    cast(extract(isodow from date_day) as integer) as iso_day_of_week,
    cast(extract(week from date_day) as integer) as iso_week,
    {{ format_date('date_day', '%Y-%m') }} as year_month,
    extract(month from date_day) = {{ var('pit_month') }}
    and extract(day from date_day) = {{ var('pit_day') }} as is_pit_night,
    extract(month from date_day) = 12 and extract(day from date_day) = 31 as is_year_end
from days
