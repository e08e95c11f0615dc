{#- Staging helpers shared by every stg_ model (and by the Housing First engineer's, if useful). -#}

{#- Rows of a raw table, keeping only the latest delivery's row per primary key: a corrected
    re-delivery of a record replaces the earlier one. "Latest" is the load that finished last
    (ingest.receipts.loaded_at), then the load id, then the later line in the file. The rows carry
    one more column, _delivery_rank (always 1): the staging models select their columns by name.
    The large sources' staging models are incremental (config incremental_by_load): a yearly run
    then reads only the new loads. -#}
{% macro incremental_by_load(primary_key) -%}
    {{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=primary_key,
              on_schema_change='fail') }}
{%- endmacro %}

{% macro latest_delivery_rows(table_name, primary_key) -%}
    {#- Only keys delivered more than once (re-deliveries, corrections) are ranked: a window over every
        row sorted the whole table (4.6 M ambulance calls at scale 1) for the few keys that repeat.
        Same rows as ranking them all (checked with EXCEPT ALL both ways on the scale-1 warehouse). -#}
    {%- set same_key -%}
        {% for column in primary_key %}repeated_keys.{{ column }} is not distinct from delivered_rows.{{ column }}{{ " and " if not loop.last }}{% endfor %}
    {%- endset -%}
    with delivered_rows as (
        select raw_rows.*
        from {{ source('raw', table_name) }} as raw_rows
        {%- if this is not none and is_incremental() %}
        -- an incremental staging table reads only the loads it does not hold yet; delete+insert on
        -- the primary key then lets a re-delivered record replace the one it holds (the new load is
        -- the later one, as the ranking below would have it)
        where raw_rows._load_id not in (select distinct load_id from {{ this }})
        {%- endif %}
    ),

    repeated_keys as (
        select {{ primary_key | join(', ') }}
        from delivered_rows
        group by {{ primary_key | join(', ') }}
        having count(*) > 1
    ),

    deliveries as (
        select load_id, file_sha256, max(loaded_at) as loaded_at
        from {{ source('ingest', 'receipts') }}
        group by load_id, file_sha256
    ),

    -- of a key delivered more than once, the row of the latest delivery (then the later row of a file)
    latest_of_repeated as (
        select *
        from (
            select delivered_rows.*, row_number() over (
                partition by {% for column in primary_key %}delivered_rows.{{ column }}{{ ", " if not loop.last }}{% endfor %}
                order by deliveries.loaded_at desc nulls last, delivered_rows._load_id desc,
                    delivered_rows._source_row_number desc
            ) as _delivery_rank
            from delivered_rows
            left join deliveries
                on deliveries.load_id = delivered_rows._load_id
                and deliveries.file_sha256 = delivered_rows._file_sha256
            where exists (select 1 from repeated_keys where {{ same_key }})
        ) as ranked_rows
        where _delivery_rank = 1
    )

    select delivered_rows.*, 1 as _delivery_rank
    from delivered_rows
    where not exists (select 1 from repeated_keys where {{ same_key }})
    union all
    select * from latest_of_repeated
{%- endmacro %}

{#- Decoding a delivered (Latvian) code to its English contract code is a join to the contract's code
    list (ingest.contract_code_lists, refreshed from ingestion/contracts/*.yaml on every load), so the
    contract stays the one truth. Use decode_join() in FROM and decoded() in SELECT. Unknown values never
    reach raw (the loader quarantines them); a value missing from the list would decode to null and fail
    the staging model's accepted_values/not_null tests. -#}
{% macro decode_join(source_name, column_name, from_alias='delivered') -%}
    left join {{ source('ingest', 'contract_code_lists') }} as {{ column_name }}_codes
        on {{ column_name }}_codes.source = '{{ source_name }}'
        and {{ column_name }}_codes.column_name = '{{ column_name }}'
        and {{ column_name }}_codes.delivered_value = {{ from_alias }}.{{ column_name }}
{%- endmacro %}

{% macro decoded(column_name) -%}
    {{ column_name }}_codes.code
{%- endmacro %}

{#- The lineage columns every staging model keeps, so any figure can be traced to its file and line. -#}
{% macro lineage_columns(from_alias='delivered') -%}
    {{ from_alias }}._load_id as load_id,
    {{ from_alias }}._file_name as file_name,
    {{ from_alias }}._file_sha256 as file_sha256,
    {{ from_alias }}._source_row_number as source_row_number
{%- endmacro %}

{#- The pseudonym columns of a person-level source. is_linkable: the personal code validated, so the
    pseudonym links the person across sources ('P...'); 'L...' pseudonyms are source-local. -#}
{% macro person_columns(from_alias='delivered') -%}
    {{ from_alias }}.person_id,
    {{ from_alias }}.person_id_status,
    {{ from_alias }}.person_id like 'P%' as is_linkable,
    {{ from_alias }}.birth_year_from_code
{%- endmacro %}

{#- True when the loader set this delivered row's `column_name` to unknown for an invalid value (a field
    issue in ingest.field_issues: file, line, column, rule). Used for the end dates a contract marks
    `unknown_end`: an empty end date means "still open", a nulled broken one does not (doc end_date_unknown). -#}
{% macro field_set_to_unknown(column_name, from_alias='delivered') -%}
    exists(
        select 1 from {{ ref('stg_ingest__field_issues') }} as field_issues
        where field_issues.load_id = {{ from_alias }}._load_id
            and field_issues.source_row_number = {{ from_alias }}._source_row_number
            and field_issues.column_name = '{{ column_name }}'
    )
{%- endmacro %}

{#- The columns that place a rule a delivered row broke: the delivery (load, source, file), the row, the
    rule, the column and the reason. The loader writes ingest.quarantine (rows not loaded) and
    ingest.field_issues (optional fields set to null, the row loaded) with these same columns
    (ingestion/warehouse.py). -#}
{% macro row_issue_columns() -%}
    load_id,
    source,
    file_name,
    file_sha256,
    source_row_number,
    rule,
    column_name,
    reason
{%- endmacro %}
