-- noqa: disable=LT02,LT11,AL05
-- (GROUPING SETS and Jinja-looped UNIONs: sqlfluff's DuckDB grammar cannot parse them to lay them out)
{# Survey-based indicators, one row per programme, municipality, wave and indicator, with numerator and
    denominator. A share's denominator is those who answered the item; the addiction items count only
    participants with an addiction. A row exists only where someone answered. Fidelity comes from the
    programme's latest rating (mean of the domain scores). -#}

{%- set shares = [
    'quality_of_life_improved', 'living_conditions_improved', 'belonging_improved', 'works',
    'learned_skills', 'volunteered', 'attended_public_event', 'ambulance_called_last_year'] -%}
{%- set addiction_shares = ['addiction_control_improved', 'rehabilitation_started'] -%}
{%- set means = [
    ('monthly_income_eur', 'monthly_income_eur', 1, 'eur'),
    ('csq8_total', 'csq8_total', 1, 'score_8_32'),
    ('csq8_item_mean', 'csq8_total', 8, 'score_1_4'),
    ('flat_satisfaction', 'flat_satisfaction', 1, 'score_1_4'),
    ('team_satisfaction', 'team_satisfaction', 1, 'score_1_4')] -%}

with participants as (
    select * from {{ ref('int_hf__participants') }}
),

latest_answers as (
    select * from (
        select surveys.*,
            row_number() over (partition by client_id, wave order by survey_date desc, survey_id desc) as answer_rank
        from {{ ref('stg_housing_first__surveys') }} as surveys
    ) as ranked_answers
    where answer_rank = 1
),

answers as (
    select
        participants.programme_id,
        participants.municipality_atvk,
        participants.municipality_name,
        participants.has_addiction,
        latest_answers.*
    from latest_answers
    inner join participants on participants.client_id = latest_answers.client_id
),

indicator_counts as (
    {% for column in shares %}
    select programme_id, municipality_atvk, municipality_name, wave, '{{ column }}' as indicator, 'percent' as unit,
        count(*) filter (where {{ column }}) * 1.0 as numerator,
        count({{ column }}) * 1.0 as denominator,
        100.0 as scale
    from answers group by programme_id, municipality_atvk, municipality_name, wave
    union all
    {% endfor %}
    {% for column in addiction_shares %}
    select programme_id, municipality_atvk, municipality_name, wave, '{{ column }}', 'percent',
        count(*) filter (where {{ column }} and has_addiction) * 1.0,
        count({{ column }}) filter (where has_addiction) * 1.0,
        100.0
    from answers group by programme_id, municipality_atvk, municipality_name, wave
    union all
    {% endfor %}
    {% for change in ['improved', 'worsened'] %}
    select programme_id, municipality_atvk, municipality_name, wave, 'health_{{ change }}', 'percent',
        count(*) filter (where health_change = '{{ change }}') * 1.0, count(health_change) * 1.0, 100.0
    from answers group by programme_id, municipality_atvk, municipality_name, wave
    union all
    {% endfor %}
    {% for name, column, items, unit in means %}
    select programme_id, municipality_atvk, municipality_name, wave, '{{ name }}', '{{ unit }}',
        sum({{ column }}) * 1.0, count({{ column }}) * {{ items }}.0, 1.0
    from answers group by programme_id, municipality_atvk, municipality_name, wave
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

survey_indicators as (
    select
        programme_id,
        {{ hf_municipality_columns() }},
        wave,
        indicator,
        unit,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        max(scale) * sum(numerator) / nullif(sum(denominator), 0) as value
    from indicator_counts
    group by grouping sets (
        (programme_id, municipality_atvk, municipality_name, wave, indicator, unit),
        (programme_id, wave, indicator, unit)
    )
),

latest_fidelity as (
    select * from (
        select *, max(rating_date) over (partition by programme_id, municipality_atvk) as latest_rating_date
        from {{ ref('stg_housing_first__fidelity_ratings') }}
    ) as dated_ratings
    where rating_date = latest_rating_date
),

fidelity as (
    select
        programme_id,
        coalesce(municipality_atvk, 'all') as municipality,
        municipality_atvk,
        'fidelity_rating' as wave,
        'fidelity' as indicator,
        'score_1_4' as unit,
        sum(score) as numerator,
        count(*) * 1.0 as denominator,
        avg(score) as value
    from latest_fidelity
    group by programme_id, municipality_atvk
)

select * from survey_indicators where denominator > 0
union all
select * from fidelity
