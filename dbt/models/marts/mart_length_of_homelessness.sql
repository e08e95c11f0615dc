-- Length of time homeless (after HUD System Performance Measure 1, with Finland's and HUD's chronic
-- definition for long-term): for each person with a night in the year, nights_in_year = nights in
-- homeless services or situations in the year; spell_nights = nights of the spell running at the
-- person's last night of the year, up to that night, with a 7-year look-back (spells from
-- int_person_homeless_spells: breaks of 14 nights or fewer do not end a spell). Long-term homeless:
-- spell_nights >= 365 (continuously a year), or >= 4 spells touching the 3 years ending 31 December
-- with >= 365 nights in those 3 years. Mean and median over persons; breakdowns as the flow mart,
-- the person placed by their last night of the year.
-- Left-censoring (issue 23): long-term status needs 730 days of delivered history before the year
-- (history_complete: the 3-year episodic window and a year-long spell are then both visible), spell
-- lengths the 7-year look-back (spell_history_complete). A year without them publishes those figures as
-- null (not computable), never as 0 or as a rise when the data begin.
with {{ person_cell_imports() }}

spells as (
    select * from {{ ref('int_person_homeless_spells') }}
),

-- one row per person and year: the last night, where it was, and the nights in the year. An aggregate
-- (one row per person and night in fct_service_days, so the value at the latest night is one value),
-- materialized once: four CTEs below read it; two windows over every person-night took 4 s at scale 1.
last_night_in_year as materialized (
    select
        person_id,
        service_year as year,
        max(service_date) as last_night,
        {{ value_at_max('ethos_light_category', 'service_date') }} as ethos_light_category,
        {{ value_at_max('municipality_atvk', 'service_date') }} as municipality_atvk,
        count(*) as nights_in_year
    from service_days
    {{ incremental_year_filter('service_year') }}
    group by person_id, service_year
),

current_spell as (
    select
        last_night_in_year.person_id,
        last_night_in_year.year,
        greatest(spells.start_date, last_night_in_year.last_night - 2556) as counted_from
    from last_night_in_year
    inner join spells
        on spells.person_id = last_night_in_year.person_id
            and last_night_in_year.last_night between spells.start_date and spells.end_date
),

spell_nights as (
    select
        current_spell.person_id,
        current_spell.year,
        count(*) as spell_nights
    from current_spell
    inner join service_days
        on service_days.person_id = current_spell.person_id
            and service_days.service_date between current_spell.counted_from and make_date(current_spell.year, 12, 31)
    group by current_spell.person_id, current_spell.year
),

three_year_window as (
    select
        last_night_in_year.person_id,
        last_night_in_year.year,
        count(distinct spells.spell_id) as spells_in_3_years,
        sum(
            least(spells.end_date, make_date(last_night_in_year.year, 12, 31))
            - greatest(spells.start_date, make_date(last_night_in_year.year - 2, 1, 1)) + 1
        ) as spell_days_in_3_years
    from last_night_in_year
    inner join spells
        on spells.person_id = last_night_in_year.person_id
            and spells.start_date <= make_date(last_night_in_year.year, 12, 31)
            and spells.end_date >= make_date(last_night_in_year.year - 2, 1, 1)
    group by last_night_in_year.person_id, last_night_in_year.year
),

nights_in_3_years as (
    select
        last_night_in_year.person_id,
        last_night_in_year.year,
        count(*) as nights_in_3_years
    from last_night_in_year
    inner join service_days
        on service_days.person_id = last_night_in_year.person_id
            and service_days.service_date between make_date(last_night_in_year.year - 2, 1, 1)
            and make_date(last_night_in_year.year, 12, 31)
    group by last_night_in_year.person_id, last_night_in_year.year
),

person_years as (
    select
        last_night_in_year.*,
        spell_nights.spell_nights,
        three_year_window.spells_in_3_years,
        nights_in_3_years.nights_in_3_years,
        spell_nights.spell_nights >= 365 as is_long_term_continuous,
        three_year_window.spells_in_3_years >= 4 and nights_in_3_years.nights_in_3_years >= 365
            as is_long_term_episodic
    from last_night_in_year
    left join spell_nights using (person_id, year)
    left join three_year_window using (person_id, year)
    left join nights_in_3_years using (person_id, year)
),

described as (
    {{ describe_person_rows(
        'person_years', ['nights_in_year', 'spell_nights', 'is_long_term_continuous', 'is_long_term_episodic']
    ) }}
),

-- one row per person and year (the person placed by their last night), so plain counts are
-- person counts: no DISTINCT aggregates, which over the 24 grouping sets would each keep a hash
-- table per set (the model ran out of memory under a 1 GB DuckDB limit with them; issue 17)
counted as (
    {{ breakdown_counts('described', [
        'count(*) as persons',
        round_double('avg(nights_in_year)', 2) ~ ' as mean_nights_in_year',
        median_of('nights_in_year') ~ ' as median_nights_in_year',
        round_double('avg(spell_nights)', 2) ~ ' as mean_spell_nights',
        median_of('spell_nights') ~ ' as median_spell_nights',
        'count(case when is_long_term_continuous or is_long_term_episodic then person_id end) as long_term_persons',
        'count(case when is_long_term_continuous then person_id end) as long_term_continuous_persons',
        'count(case when is_long_term_episodic then person_id end) as long_term_episodic_persons',
    ]) }}
)

select
    counted.year,
    {{ cell_columns('counted') }},
    counted.persons,
    counted.mean_nights_in_year,
    counted.median_nights_in_year,
    case when {{ spell_history_complete('counted.year') }} then counted.mean_spell_nights end as mean_spell_nights,
    case when {{ spell_history_complete('counted.year') }} then counted.median_spell_nights end as median_spell_nights,
    case when {{ history_complete('counted.year') }} then counted.long_term_persons end as long_term_persons,
    case when {{ history_complete('counted.year') }} then counted.long_term_continuous_persons end
        as long_term_continuous_persons,
    case when {{ history_complete('counted.year') }} then counted.long_term_episodic_persons end
        as long_term_episodic_persons,
    case when {{ history_complete('counted.year') }} then
            {{ rounded_share('counted.long_term_persons', 'nullif(counted.persons, 0)') }}
    end as long_term_share,
    counted.persons < {{ var('suppression_threshold') }} as below_suppression_threshold,
    {{ history_complete('counted.year') }} as history_complete,
    {{ spell_history_complete('counted.year') }} as spell_history_complete
from counted
{{ population_join('counted') }}
-- no year before the deliveries begin (macros/delivered_years.sql)
where counted.year >= {{ first_delivered_year() }}
