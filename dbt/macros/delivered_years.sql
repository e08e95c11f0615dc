{#- The years the deliveries cover, so that no mart shows a year the data do not cover.

    The first delivered year is the first year in which a delivered record (a shelter stay, a Housing
    First wait, a crisis-service contact) has its last night. A reported prior situation ("slept rough the
    night before check-in") is not a delivered record: a stay checked in on 1 January 2022 puts a night
    on 31 December 2021, and without this rule a lone 2021 row appeared (first-time share 100 %).
    Nor is a night after a release from prison or a discharge from hospital: the first prison and
    hospital files carry spells that ended before their year (at scale 1, releases in December 2014 in
    the 2015 files), which made 2014 a year of every mart and an estimate of 8.5 billion.
    A record that runs into the first delivered year from the one before is counted in that year only. -#}
{% macro first_delivered_year() -%}
    (select min(service_year) from {{ ref('fct_service_days') }}
     where coalesce(record_type, '') not in ('prior_situation', 'prison_release', 'hospital_discharge')
         and coalesce(is_last_night_of_record, true))
{%- endmacro %}

{#- True when at least 730 days of delivered history lie before 1 January of the year: the look-back
    first-time homelessness needs. Earlier years' first-time figures overstate (everybody looks new). -#}
{% macro history_complete(year_expr) -%}
    (make_date({{ year_expr }}, 1, 1) - make_date({{ first_delivered_year() }}, 1, 1) >= 730)
{%- endmacro %}

{#- True when the 7 years of delivered history that spell lengths look back on lie before the year
    (mart_length_of_homelessness): earlier, a spell running since before the data is cut at their start. -#}
{% macro spell_history_complete(year_expr) -%}
    ({{ year_expr }} - {{ first_delivered_year() }} >= 7)
{%- endmacro %}

{#- The combined ETHOS Light coverages (as in OECD HC3.1), published as rows of the flow and
    point-in-time marts with ethos_light_category '2+3' or '1+2+3': each person once, however many of
    the categories they were in. Summing the category rows instead double-counts. -#}
{% macro combined_categories() -%}
    (values ('2+3', '2'), ('2+3', '3'), ('1+2+3', '1'), ('1+2+3', '2'), ('1+2+3', '3'))
        as combined (ethos_light_coverage, ethos_light_category)
{%- endmacro %}

{#- The breakdowns of the combined-coverage rows: the coverage is always kept (never rolled up into
    'ALL', which the single categories give), with every sex, age group and geography subtotal. A macro
    so that unit tests can narrow it. -#}
{% macro combined_category_grouping_sets() -%}
    ethos_light_category, cube(sex, age_group), rollup(nuts3_code, municipality_atvk)
{%- endmacro %}

{#- Rows of described_cte (breakdown_counts' input) relabelled by combined coverage. -#}
{% macro combined_category_rows(described_cte) -%}
    select
        {{ described_cte }}.person_id,
        {{ described_cte }}.year,
        combined.ethos_light_coverage as ethos_light_category,
        {{ described_cte }}.municipality_atvk,
        {{ described_cte }}.nuts3_code,
        {{ described_cte }}.sex,
        {{ described_cte }}.age_group
    from {{ described_cte }}
    inner join {{ combined_categories() }}
        on combined.ethos_light_category = {{ described_cte }}.ethos_light_category
{%- endmacro %}
