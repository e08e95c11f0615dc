{# Key fields per person-level source, and the date of the event (for timeliness). Raw rows, not
    de-duplicated: quality is measured on what each delivery brought. #}
{% set person_sources = {
    'shelter_stays': {'event_date': 'coalesce(raw_rows.check_out_date, raw_rows.check_in_date)',
                      'key_fields': ['person_id', 'sex', 'birth_year', 'provider_id', 'municipality_atvk', 'check_in_date', 'check_out_date', 'prior_situation', 'exit_destination']},
    'ambulance_calls': {'event_date': 'raw_rows.call_date', 'key_fields': ['person_id', 'call_date', 'municipality_atvk', 'urgency', 'outcome']},
    'hospital_stays': {'event_date': 'coalesce(raw_rows.discharge_date, raw_rows.admission_date)', 'key_fields': ['person_id', 'admission_date', 'discharge_date', 'municipality_atvk', 'diagnosis_chapter', 'discharge_destination']},
    'police_contacts': {'event_date': 'raw_rows.contact_date', 'key_fields': ['person_id', 'contact_date', 'municipality_atvk', 'contact_type']},
    'prison_spells': {'event_date': 'coalesce(raw_rows.release_date, raw_rows.admission_date)', 'key_fields': ['person_id', 'admission_date', 'release_date', 'release_housing']},
    'hf_clients': {'event_date': 'null', 'key_fields': ['person_id', 'sex', 'birth_year', 'years_homeless', 'last_residence']},
} %}
-- Data quality per source and delivery (file), published with every release, in long format: one row
-- per delivery, metric and dimension (rule or column). Metrics: rows_received, rows_loaded,
-- rows_quarantined, quarantined_by_rule (dimension = rule), completeness (dimension = key column; share
-- of loaded rows with a value), linkage_rate (share of loaded rows with a validated personal code),
-- timeliness_median_days (median days from the event date to the file's receipt: half the period the
-- file covers plus the delivery lag), timeliness_days (days from the file's latest event, the end of the
-- period it covers, to its receipt: the delivery lag), field_issues_by_rule (dimension = rule: optional
-- fields set to null, the row loaded), field_issues_by_column (dimension = column; share of loaded rows),
-- overlapping_stays
-- (shelter stays of the delivery starting before an earlier stay of the same person ended; merged in
-- fct_service_days), volume_change (rows loaded / previous loaded delivery of the source - 1).
with receipts as (
    select * from {{ ref('stg_ingest__receipts') }}
),

-- the columns counted (the quarantined row's text and the issue's value are not needed here)
quarantine as (
    select load_id, source, file_name, file_sha256, rule
    from {{ ref('stg_ingest__quarantine') }}
),

field_issues as (
    select load_id, source, file_name, file_sha256, rule, column_name
    from {{ ref('stg_ingest__field_issues') }}
),

shelter_stay_episodes as (
    select load_id, file_name, overlaps_earlier_record
    from {{ ref('int_person_episodes') }}
    where record_type = 'shelter_stay'
),

deliveries as (
    select
        load_id,
        coalesce(source, 'unmatched') as source,
        file_name,
        file_sha256,
        status,
        coalesce(received_at, loaded_at) as received_at,
        loaded_at,
        rows_read,
        rows_loaded,
        rows_quarantined
    from receipts
),

{%- for source_name, spec in person_sources.items() %}

    profile_{{ source_name }} as (
        select
            deliveries.load_id,
            deliveries.source,
            deliveries.file_name,
            deliveries.file_sha256,
            {%- for column in spec.key_fields %}
                count(raw_rows.{{ column }}) as filled_{{ column }},
            {%- endfor %}
            count(*) as rows_in_raw,
            count(*) filter (where raw_rows.person_id_status = 'valid') as linkable_rows
        from {{ source('raw', source_name) }} as raw_rows
        inner join deliveries
            on deliveries.load_id = raw_rows._load_id
                and deliveries.file_sha256 = raw_rows._file_sha256
        group by deliveries.load_id, deliveries.source, deliveries.file_name, deliveries.file_sha256
    ),
    {%- if spec.event_date != 'null' %}

        -- days from event to receipt as a histogram per file (a few hundred distinct values), the median read
        -- from its running total: the same value as median() over every row, without holding every row of a
        -- file in memory (median() does not spill: at scale 10 it ran out of memory under a 4 GB bound)
        days_to_receipt_{{ source_name }} as (
            select
                deliveries.load_id,
                deliveries.file_sha256,
                cast(deliveries.received_at as date) - cast({{ spec.event_date }} as date) as days,
                count(*) as rows_with_days
            from {{ source('raw', source_name) }} as raw_rows
            inner join deliveries
                on deliveries.load_id = raw_rows._load_id
                    and deliveries.file_sha256 = raw_rows._file_sha256
            where {{ spec.event_date }} is not null
            group by 1, 2, 3
        ),

        median_days_{{ source_name }} as (
            {{ median_from_histogram(
                'days_to_receipt_' ~ source_name, ['load_id', 'file_sha256'], 'days', 'rows_with_days'
            ) }}
        ),
    {%- endif %}

{% endfor -%}
metrics as (
    select
        load_id, source, file_name, file_sha256, 'rows_received' as metric, 'all' as dimension,
        cast(rows_read as double precision) as value, rows_read as numerator, cast(null as bigint) as denominator
    from deliveries
    union all
    select load_id, source, file_name, file_sha256, 'rows_loaded', 'all', rows_loaded, rows_loaded, rows_read
    from deliveries
    union all
    select
        load_id,
        source,
        file_name,
        file_sha256,
        'rows_quarantined',
        'all',
        rows_quarantined,
        rows_quarantined,
        rows_read
    from deliveries
    union all
    select
        quarantine.load_id, quarantine.source, quarantine.file_name, quarantine.file_sha256,
        'quarantined_by_rule', quarantine.rule, count(*), count(*), null
    from quarantine
    group by quarantine.load_id, quarantine.source, quarantine.file_name, quarantine.file_sha256, quarantine.rule
    union all
    select
        field_issues.load_id, field_issues.source, field_issues.file_name, field_issues.file_sha256,
        'field_issues_by_rule', field_issues.rule, count(*), count(*), null
    from field_issues
    group by
        field_issues.load_id, field_issues.source, field_issues.file_name, field_issues.file_sha256, field_issues.rule
    union all
    select
        field_issues.load_id, field_issues.source, field_issues.file_name, field_issues.file_sha256,
        'field_issues_by_column', field_issues.column_name,
        {{ rounded_share('count(*)', 'max(deliveries.rows_loaded)') }}, count(*), max(deliveries.rows_loaded)
    from field_issues
    inner join deliveries
        on deliveries.load_id = field_issues.load_id and deliveries.file_sha256 = field_issues.file_sha256
    group by
        field_issues.load_id, field_issues.source, field_issues.file_name, field_issues.file_sha256,
        field_issues.column_name
    {%- for source_name, spec in person_sources.items() %}
        union all
        select
            load_id, source, file_name, file_sha256, 'linkage_rate', 'person_id',
            {{ rounded_share('linkable_rows', 'rows_in_raw') }}, linkable_rows, rows_in_raw
        from profile_{{ source_name }}
        {%- for column in spec.key_fields %}
            union all
            select
                load_id, source, file_name, file_sha256, 'completeness', '{{ column }}',
                {{ rounded_share('filled_' ~ column, 'rows_in_raw') }}, filled_{{ column }}, rows_in_raw
            from profile_{{ source_name }}
        {%- endfor %}
        {%- if spec.event_date != 'null' %}
            union all
            select
                profile.load_id, profile.source, profile.file_name, profile.file_sha256,
                'timeliness_median_days', 'event_to_receipt', median_days.median_value, null, profile.rows_in_raw
            from profile_{{ source_name }} as profile
            left join median_days_{{ source_name }} as median_days
                on median_days.load_id = profile.load_id and median_days.file_sha256 = profile.file_sha256
            union all
            -- days from the end of the period the delivery covers (its latest event) to its receipt: the
            -- delivery lag (issue 23); the median above also counts the length of the period itself
            select
                profile.load_id, profile.source, profile.file_name, profile.file_sha256,
                'timeliness_days', 'period_end_to_receipt', lag_days.days, null, profile.rows_in_raw
            from profile_{{ source_name }} as profile
            left join (
                select load_id, file_sha256, min(days) as days
                from days_to_receipt_{{ source_name }}
                group by load_id, file_sha256
            ) as lag_days
                on lag_days.load_id = profile.load_id and lag_days.file_sha256 = profile.file_sha256
        {%- endif %}
    {%- endfor %}
    union all
    select
        deliveries.load_id, deliveries.source, deliveries.file_name, deliveries.file_sha256,
        'overlapping_stays', 'shelter_stay',
        count(*) filter (where shelter_stay_episodes.overlaps_earlier_record),
        count(*) filter (where shelter_stay_episodes.overlaps_earlier_record), count(*)
    from deliveries
    inner join shelter_stay_episodes
        on shelter_stay_episodes.load_id = deliveries.load_id
            and shelter_stay_episodes.file_name = deliveries.file_name
    group by deliveries.load_id, deliveries.source, deliveries.file_name, deliveries.file_sha256
),

volume as (
    select
        load_id, source, file_name, file_sha256, rows_loaded,
        lag(rows_loaded) over (partition by source order by loaded_at, file_name) as previous_rows_loaded
    from deliveries
    where status = 'loaded'
),

all_metrics as (
    select * from metrics
    union all
    select
        load_id, source, file_name, file_sha256, 'volume_change', 'previous_delivery',
        {{ round_double('cast(rows_loaded as double precision) / nullif(previous_rows_loaded, 0) - 1', 4) }},
        rows_loaded,
        previous_rows_loaded
    from volume
    where previous_rows_loaded is not null
)

select
    all_metrics.source,
    all_metrics.load_id,
    all_metrics.file_name,
    all_metrics.file_sha256,
    deliveries.status,
    deliveries.loaded_at,
    all_metrics.metric,
    all_metrics.dimension,
    all_metrics.value,
    all_metrics.numerator,
    all_metrics.denominator
from all_metrics
left join deliveries
    on deliveries.load_id = all_metrics.load_id
        and deliveries.file_sha256 = all_metrics.file_sha256
