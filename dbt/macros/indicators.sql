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

{#- Count persons over the stock-and-flow breakdowns (see breakdown_grouping_sets), one row per cell.
    input_cte: a CTE with one row per person and cell member, columns person_id, year,
    ethos_light_category (varchar), municipality_atvk, nuts3_code, sex, age_group.
    measures: list of 'expression as name' strings, aggregated per cell.
    Subtotals carry 'ALL'; geo_level is national, nuts3 or municipality. grouping_sets: other
    breakdowns than breakdown_grouping_sets (e.g. combined_category_grouping_sets). -#}
{% macro breakdown_counts(input_cte, measures, grouping_sets=none) -%}
    select
        year,
        case
            when grouping(nuts3_code) = 1 then 'national'
            when grouping(municipality_atvk) = 1 then 'nuts3'
            else 'municipality'
        end as geo_level,
        case when grouping(nuts3_code) = 1 then 'ALL' else nuts3_code end as nuts3_code,
        case when grouping(municipality_atvk) = 1 then 'ALL' else municipality_atvk end as municipality_atvk,
        case when grouping(ethos_light_category) = 1 then 'ALL' else ethos_light_category end as ethos_light_category,
        case when grouping(sex) = 1 then 'ALL' else sex end as sex,
        case when grouping(age_group) = 1 then 'ALL' else age_group end as age_group,
        {{ measures | join(',\n        ') }}
    from {{ input_cte }}
    group by year, {{ grouping_sets or breakdown_grouping_sets() }}
{%- endmacro %}

{#- The population of a breakdown cell (municipality, NUTS3 or national), joined from a CTE named
    `municipalities` (dim_municipality rows). Only where sex and age group are 'ALL': population by
    sex and age is not loaded. Use as: from counted {{ population_join('counted') }} -#}
{% macro population_join(counted) -%}
    left join (select atvk_code, year, population from municipalities) as population_municipal
        on {{ counted }}.geo_level = 'municipality'
        and population_municipal.atvk_code = {{ counted }}.municipality_atvk
        and population_municipal.year = {{ counted }}.year
    left join (select nuts3_code, year, sum(population) as population from municipalities group by nuts3_code, year) as population_nuts3
        on {{ counted }}.geo_level = 'nuts3'
        and population_nuts3.nuts3_code = {{ counted }}.nuts3_code
        and population_nuts3.year = {{ counted }}.year
    left join (select year, sum(population) as population from municipalities group by year) as population_national
        on {{ counted }}.geo_level = 'national'
        and population_national.year = {{ counted }}.year
    left join (select distinct nuts3_code, nuts3_name from municipalities) as nuts3_names
        on nuts3_names.nuts3_code = {{ counted }}.nuts3_code
    left join (select distinct atvk_code, name from municipalities) as municipality_names
        on municipality_names.atvk_code = {{ counted }}.municipality_atvk
{%- endmacro %}

{% macro cell_population(counted) -%}
    case when {{ counted }}.sex = 'ALL' and {{ counted }}.age_group = 'ALL' then
        case {{ counted }}.geo_level
            when 'national' then population_national.population
            when 'nuts3' then population_nuts3.population
            else population_municipal.population
        end
    end
{%- endmacro %}

{#- The columns that name a breakdown cell, in the order every breakdown mart publishes them:
    level, NUTS3 code and name, municipality code and name, category, sex, age group (names joined by
    population_join). Use in the select list after the year. -#}
{% macro cell_columns(counted) -%}
    {{ counted }}.geo_level,
    {{ counted }}.nuts3_code,
    case {{ counted }}.nuts3_code
        when 'ALL' then 'Latvija' when 'UNKNOWN' then 'unknown' else nuts3_names.nuts3_name
    end as nuts3_name,
    case {{ counted }}.municipality_atvk
        when 'ALL' then 'ALL' when 'UNKNOWN' then 'unknown' else municipality_names.name
    end as municipality_name,
    {{ counted }}.municipality_atvk,
    {{ counted }}.ethos_light_category,
    {{ counted }}.sex,
    {{ counted }}.age_group
{%- endmacro %}

{#- Describe person rows for breakdown_counts: the cell columns under the names it groups by, with
    geography from dim_municipality (CTE `municipalities`) and sex and age group in the year from
    dim_person (CTE `persons`). rows_cte has person_id, year, ethos_light_category and
    municipality_atvk; measure_columns names its other columns the measures use (listed, not `*`:
    PostgreSQL has no `* replace`). -#}
{% macro describe_person_rows(rows_cte, measure_columns=[]) -%}
    select
        {{ rows_cte }}.person_id,
        {{ rows_cte }}.year,
        cast({{ rows_cte }}.ethos_light_category as varchar) as ethos_light_category,
        coalesce({{ rows_cte }}.municipality_atvk, 'UNKNOWN') as municipality_atvk,
        {%- for column in measure_columns %}
        {{ rows_cte }}.{{ column }},
        {%- endfor %}
        coalesce(municipalities.nuts3_code, 'UNKNOWN') as nuts3_code,
        coalesce(persons.sex, 'unknown') as sex,
        {{ age_group('persons.birth_year', rows_cte ~ '.year') }} as age_group
    from {{ rows_cte }}
    left join persons
        on persons.person_id = {{ rows_cte }}.person_id
    left join municipalities
        on municipalities.atvk_code = {{ rows_cte }}.municipality_atvk
        and municipalities.year = {{ rows_cte }}.year
{%- endmacro %}
