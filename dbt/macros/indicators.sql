{#- Shared definitions of the indicator marts, so every mart means the same thing by them. -#}

{#- Age group at a reference year, in the bands of the municipal shelter report. -#}
{% macro age_group(birth_year_expr, year_expr) -%}
    case
        when {{ birth_year_expr }} is null then 'unknown'
        when {{ year_expr }} - {{ birth_year_expr }} < 18 then '0-17'
        when {{ year_expr }} - {{ birth_year_expr }} < 25 then '18-24'
        when {{ year_expr }} - {{ birth_year_expr }} < 40 then '25-39'
        when {{ year_expr }} - {{ birth_year_expr }} < 65 then '40-64'
        else '65+'
    end
{%- endmacro %}

{#- Rate per 10,000 inhabitants; null when the population is unknown or zero. -#}
{% macro rate_per_10k(persons_expr, population_expr) -%}
    round({{ persons_expr }} * 10000.0 / nullif({{ population_expr }}, 0), 4)
{%- endmacro %}

{#- Destinations that count as an exit to permanent housing (HUD's "permanent destinations"): a
    tenancy, own home, municipal flat, or a Housing First flat (move-in). -#}
{% macro housing_destinations() -%}
    ('rented_home', 'own_home', 'municipal_flat', 'housing_first_move_in')
{%- endmacro %}

{#- The breakdowns of the stock and flow marts: every combination of category, sex and age group
    (each or 'ALL'), at municipality, NUTS3 and national level. A macro so that unit tests can narrow
    it (overrides: macros) and check the counts on a handful of rows. -#}
{% macro breakdown_grouping_sets() -%}
    cube(ethos_light_category, sex, age_group), rollup(nuts3_code, municipality_atvk)
{%- endmacro %}
