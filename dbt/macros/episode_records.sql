{#- The columns of an int_person_episodes record of one night (a night before a shelter entry, a
    release or discharge with no housing, a crisis contact with no fixed abode): it starts and ends on
    `night`, is never open and has no provider and no exit destination; the ETHOS Light category and
    code from the CTE `ethos` joined to it; the lineage columns from `rel`. The arguments are SQL
    expressions (a literal record type is quoted: "'prison_release'"). -#}
{% macro one_night_record(rel, record_type, source_record_id, situation, municipality_atvk, night) -%}
    {{ rel }}.person_id,
        {{ record_type }} as record_type,
        {{ source_record_id }} as source_record_id,
        {{ situation }} as situation,
        ethos.ethos_light_category,
        ethos.ethos_code,
        {{ municipality_atvk }} as municipality_atvk,
        cast(null as varchar) as provider_id,
        {{ night }} as start_date,
        {{ night }} as end_date,
        false as is_open,
        false as end_date_unknown,
        cast(null as varchar) as exit_destination,
        {{ rel }}.load_id,
        {{ rel }}.file_name,
        {{ rel }}.source_row_number
{%- endmacro %}
