{{ config(meta={'dagster': {'ref': {'name': 'mart_first_time_homeless'}}}) }}  -- shown in Dagster as a check on mart_first_time_homeless
-- Neighbouring indicators agree: first-time persons are among those entering; returns within 6 <=
-- 12 <= 24 months <= exits; long-term persons <= persons; national shelter persons (person level)
-- <= the sum of municipal person-level counts.
select 'first_time' as check_name, year
from {{ ref('mart_first_time_homeless') }}
where first_time_persons > persons_entering
union all
select 'returns', exit_year
from {{ ref('mart_returns_to_homelessness') }}
where not (returned_within_6_months <= returned_within_12_months
           and returned_within_12_months <= returned_within_24_months
           and returned_within_24_months <= persons_exited)
union all
select 'long_term', year
from {{ ref('mart_length_of_homelessness') }}
where long_term_persons > persons
union all
select 'shelter_reconciliation', year
from {{ ref('mart_shelter_counts_reconciliation') }}
where geo_level = 'national' and implied_double_count < 0
