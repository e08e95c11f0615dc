-- One row per Housing First client who answered all eight CSQ-8 items at least once: the latest such
-- survey's CSQ-8 total (8-32), its wave and date, and the client's satisfaction with flat and team then.
-- Person level (restricted tier): the Housing First cohort extract joins it on client_id.
with surveys as (
    select * from {{ ref('stg_housing_first__surveys') }}
    where csq8_total is not null
),

ranked as (
    select
        client_id,
        survey_date,
        wave,
        csq8_total,
        flat_satisfaction,
        team_satisfaction,
        row_number() over (partition by client_id order by survey_date desc, survey_id desc) as recency
    from surveys
)

select
    client_id,
    survey_date as csq8_survey_date,
    wave as csq8_wave,
    csq8_total,
    flat_satisfaction,
    team_satisfaction
from ranked
where recency = 1
