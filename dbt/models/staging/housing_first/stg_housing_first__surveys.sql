-- One row per survey a client answered (entry, ~2 months, 6-10 months). CSQ-8 total only when all 8 items are answered.
with delivered as (
    {{ latest_delivery_rows('hf_surveys', ['survey_id']) }}
),

decoded as (
    select
        delivered.survey_id,
        delivered.client_id,
        delivered.survey_date,
        {{ decoded('wave') }} as wave,
        delivered.quality_of_life_improved,
        delivered.living_conditions_improved,
        delivered.belonging_improved,
        {{ decoded('health_change') }} as health_change,
        delivered.addiction_control_improved,
        delivered.rehabilitation_started,
        cast(delivered.monthly_income_eur as double precision) as monthly_income_eur,
        delivered.works,
        delivered.learned_skills,
        delivered.volunteered,
        delivered.attended_public_event,
        delivered.ambulance_called_last_year,
        {{ decoded('police_contacts_band') }} as police_contacts_band,
        delivered.csq8_1,
        delivered.csq8_2,
        delivered.csq8_3,
        delivered.csq8_4,
        delivered.csq8_5,
        delivered.csq8_6,
        delivered.csq8_7,
        delivered.csq8_8,
        delivered.csq8_1 + delivered.csq8_2 + delivered.csq8_3 + delivered.csq8_4
        + delivered.csq8_5 + delivered.csq8_6 + delivered.csq8_7 + delivered.csq8_8 as csq8_total,
        delivered.flat_satisfaction,
        delivered.team_satisfaction,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_surveys', 'wave') }}
    {{ decode_join('hf_surveys', 'health_change') }}
    {{ decode_join('hf_surveys', 'police_contacts_band') }}
)

select * from decoded
