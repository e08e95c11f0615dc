{#- Decode a delivered (Latvian) code to its English code, from the contract code lists the loader writes.
    Unknown values never reach staging: the loader quarantines them. -#}
{% macro decode(source_name, column_name, column_expr=none) -%}
    (select cl.code from {{ source('ingest', 'contract_code_lists') }} as cl
      where cl.source = '{{ source_name }}' and cl.column_name = '{{ column_name }}'
        and cl.delivered_value = {{ column_expr or column_name }})
{%- endmacro %}
