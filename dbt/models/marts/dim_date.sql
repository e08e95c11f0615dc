-- One row per calendar day from the first year of reference population to five years past today.
-- is_pit_night marks the point-in-time reference night (vars pit_month/pit_day, default 15 November).
with bounds as (
    select
        make_date(coalesce(min(year), 2010), 1, 1) as first_day,
        make_date(greatest(coalesce(max(year), 2030), year(current_date) + 5), 12, 31) as last_day
    from {{ ref('stg_reference__population') }}
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as date_day
    from bounds
)

select
    date_day,
    cast(year(date_day) as integer) as year,
    cast(quarter(date_day) as integer) as quarter,
    cast(month(date_day) as integer) as month,
    cast(day(date_day) as integer) as day_of_month,
    cast(isodow(date_day) as integer) as iso_day_of_week,
    cast(weekofyear(date_day) as integer) as iso_week,
    strftime(date_day, '%Y-%m') as year_month,
    month(date_day) = {{ var('pit_month') }} and day(date_day) = {{ var('pit_day') }} as is_pit_night,
    date_day = last_day(date_day) and month(date_day) = 12 as is_year_end
from days
