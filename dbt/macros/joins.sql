{#- `left.c = right.c and ...` for each column of `columns`: the join of two relations on the same
    cell key (year, geography, category, sex, age group), written once instead of a line per column. -#}
{% macro columns_match(left, right, columns) -%}
    {%- for column in columns %}{{ left }}.{{ column }} = {{ right }}.{{ column }}{% if not loop.last %} and {% endif %}{% endfor -%}
{%- endmacro %}
