{#- The select of int_person_episodes records of one night each (a night before a shelter entry, a
    release or discharge with no housing, a crisis contact with no fixed abode) from the CTE `rel`: each
    starts and ends on `night`, is never open and has no provider and no exit destination; its ETHOS
    Light category and code come from the CTE `ethos` (the row of `ethos_mapping_type` and `ethos_code`);
    its lineage columns from `rel`. The model adds its own where clause. The arguments are SQL
    expressions (a literal is quoted: "'prison_release'"). -#}
{% macro one_night_records(
    rel, record_type, source_record_id, situation, municipality_atvk, night, ethos_mapping_type, ethos_code
) -%}
    select
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
    from {{ rel }}
    inner join ethos
        on ethos.mapping_type = {{ ethos_mapping_type }}
            and ethos.code = {{ ethos_code }}
{%- endmacro %}
