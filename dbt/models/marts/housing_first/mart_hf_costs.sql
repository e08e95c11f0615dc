-- noqa: disable=LT02,LT11,AL05
-- (GROUPING SETS and Jinja-looped UNIONs: sqlfluff's DuckDB grammar cannot parse them to lay them out)
{# Programme cost per client-day housed (housing + support) by municipality and tenure, against the
    reference unit costs of shelter (short-stay) and boarding house in the evaluation year, and the
    crisis-service cost offset (12 months before minus 12 months after move-in, at constant prices). -#}

with costs as (
    select * from {{ ref('stg_housing_first__costs') }}
),

participants as (
    select * from {{ ref('int_hf__participants') }}
),

site_tenure as (
    select
        programme_id,
        municipality_atvk,
        {{ any_non_null('municipality_name') }} as municipality_name,
        case when count(distinct tenure) = 1 then {{ any_non_null('tenure') }}
            when count(distinct tenure) > 1 then 'mixed' end as tenure,
        count(*) as participants
    from participants
    group by programme_id, municipality_atvk
),

-- every cost type of a month repeats the month's client-days: count them once
site_months as (
    select
        programme_id,
        municipality_atvk,
        month_start,
        sum(amount_eur) filter (where cost_type = 'housing') as housing_eur,
        sum(amount_eur) filter (where cost_type = 'support') as support_eur,
        sum(amount_eur) filter (where cost_type = 'administration') as administration_eur,
        max(client_days) as client_days
    from costs
    group by programme_id, municipality_atvk, month_start
),

crisis as (
    select
        programme_id,
        municipality_atvk,
        sum(crisis_cost_eur) filter (where crisis_window = 'before') as crisis_cost_before_eur,
        sum(crisis_cost_eur) filter (where crisis_window = 'after') as crisis_cost_after_eur
    -- participants whose before and after windows the crisis data cover (issue 23): no offset from a
    -- window not yet observed
    from (
        select *, bool_and(window_complete) over (partition by programme_id, client_id) as is_compared
        from {{ ref('mart_hf_crisis_use') }}
    ) as crisis_use
    where is_compared
    group by programme_id, municipality_atvk
),

sites as (
    select
        site_tenure.programme_id,
        site_tenure.municipality_atvk,
        site_tenure.municipality_name,
        site_tenure.tenure,
        site_tenure.participants,
        coalesce(sum(site_months.housing_eur), 0) as housing_eur,
        coalesce(sum(site_months.support_eur), 0) as support_eur,
        coalesce(sum(site_months.administration_eur), 0) as administration_eur,
        sum(site_months.client_days) as client_days,
        {{ any_non_null('crisis.crisis_cost_before_eur') }} as crisis_cost_before_eur,
        {{ any_non_null('crisis.crisis_cost_after_eur') }} as crisis_cost_after_eur
    from site_tenure
    left join site_months
        on site_months.programme_id = site_tenure.programme_id
        and site_months.municipality_atvk = site_tenure.municipality_atvk
    left join crisis
        on crisis.programme_id = site_tenure.programme_id
        and crisis.municipality_atvk = site_tenure.municipality_atvk
    group by 1, 2, 3, 4, 5
),

rolled_up as (
    select
        programme_id,
        {{ hf_municipality_columns() }},
        case when grouping(municipality_atvk) = 1
            then case when count(distinct tenure) = 1 then {{ any_non_null('tenure') }} else 'mixed' end
            else {{ any_non_null('tenure') }} end as tenure,
        sum(participants) as participants,
        sum(housing_eur) as housing_eur,
        sum(support_eur) as support_eur,
        sum(administration_eur) as administration_eur,
        sum(client_days) as client_days,
        sum(crisis_cost_before_eur) as crisis_cost_before_eur,
        sum(crisis_cost_after_eur) as crisis_cost_after_eur
    from sites
    group by grouping sets ((programme_id, municipality_atvk, municipality_name), (programme_id))
),

comparators as (
    select
        programme_dates.programme_id,
        {{ date_part_number('year', 'programme_dates.evaluation_date') }} as comparator_year,
        max(unit_costs.eur) filter (
            where unit_costs.cost_item = 'housing_first_day'
        ) as reference_housing_first_eur_day,
        max(unit_costs.eur) filter (where unit_costs.cost_item = 'boarding_house_day') as boarding_house_eur_day,
        max(unit_costs.eur) filter (where unit_costs.cost_item = 'shelter_night') as short_stay_eur_day
    from {{ ref('int_hf__programme_dates') }} as programme_dates
    left join {{ ref('stg_reference__unit_costs') }} as unit_costs
        on unit_costs.year = {{ date_part_number('year', 'programme_dates.evaluation_date') }}
    group by 1, 2
)

select
    rolled_up.*,
    housing_eur + support_eur as housing_and_support_eur,
    housing_eur + support_eur + administration_eur as total_cost_eur,
    (housing_eur + support_eur) / nullif(client_days, 0) as cost_per_client_day_eur,
    housing_eur / nullif(client_days, 0) as housing_per_client_day_eur,
    support_eur / nullif(client_days, 0) as support_per_client_day_eur,
    (housing_eur + support_eur + administration_eur) / nullif(participants, 0) as cost_per_participant_eur,
    comparators.comparator_year,
    comparators.reference_housing_first_eur_day,
    comparators.boarding_house_eur_day,
    comparators.short_stay_eur_day,
    crisis_cost_before_eur - crisis_cost_after_eur as crisis_cost_offset_eur,
    (crisis_cost_before_eur - crisis_cost_after_eur) / nullif(participants, 0) as crisis_cost_offset_per_participant_eur
from rolled_up
left join comparators on comparators.programme_id = rolled_up.programme_id
