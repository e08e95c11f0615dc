{#- The false-positive check of the crisis-service lists (docs: list_false_positive_check).

    One row per year, list (ambulance_no_address, police_no_fixed_abode) and linkable person flagged
    on it that year: how many flagged contacts, and whether another source recorded an address for the
    person within 30 days either side of a flagged contact:
      hospital: a hospital stay discharged home overlapping [contact - 30 days, contact + 30 days];
      prison:   a release to housing in that window;
      other_service: the other crisis service's contact in that window with the address known
                (an ambulance call with an address for the police list, and the other way round).
    discharged_home_from_that_days_admission: a hospital stay admitted on the day of a flagged contact
    (the crew took the person in) was discharged home. A person whose only record of homelessness in
    the year is one flagged contact with any of these addresses within the 30 days is set aside from the
    estimate's lists as a likely housed person (int_capture_list_members). -#}
{% macro false_positive_list_persons() -%}
    select
        flagged.year,
        flagged.list_name,
        flagged.person_id,
        count(distinct flagged.contact_key) as flagged_contacts,
        coalesce(bool_or(evidence.source = 'hospital'), false) as address_in_hospital,
        coalesce(bool_or(evidence.source = 'prison'), false) as address_in_prison,
        coalesce(bool_or(evidence.source = 'other_service'), false) as address_in_other_service,
        coalesce(bool_or(evidence.source = 'hospital' and evidence.first_day = flagged.contact_date), false)
            as discharged_home_from_that_days_admission
    from (
        select contact_year as year, record_type as list_name, person_id, contact_date, contact_key
        from {{ ref('int_crisis_rough_sleeping_contacts') }}
        where is_linkable
    ) as flagged
    left join (
        -- an open stay, or one whose discharge date was set to unknown (doc end_date_unknown): the admission day
        select person_id, 'hospital' as source, admission_date as first_day,
            coalesce(discharge_date, admission_date) as last_day, null as for_list
        from {{ ref('stg_nvd__hospital_stays') }}
        where discharge_destination = 'home'
            and person_id in (select person_id from {{ ref('int_crisis_rough_sleeping_contacts') }})
        union all
        select person_id, 'prison', release_date, release_date, null
        from {{ ref('stg_prisons__spells') }}
        where release_housing = 'housed' and release_date is not null
            and person_id in (select person_id from {{ ref('int_crisis_rough_sleeping_contacts') }})
        union all
        select person_id, 'other_service', call_date, call_date, 'police_no_fixed_abode'
        from {{ ref('stg_nmpd__ambulance_calls') }}
        where no_fixed_address = false
            and person_id in (select person_id from {{ ref('int_crisis_rough_sleeping_contacts') }})
        union all
        select person_id, 'other_service', contact_date, contact_date, 'ambulance_no_address'
        from {{ ref('stg_police__contacts') }}
        where no_fixed_abode = false
            and person_id in (select person_id from {{ ref('int_crisis_rough_sleeping_contacts') }})
    ) as evidence
        on evidence.person_id = flagged.person_id
        and (evidence.for_list is null or evidence.for_list = flagged.list_name)
        and evidence.first_day <= flagged.contact_date + 30
        and evidence.last_day >= flagged.contact_date - 30
    group by flagged.year, flagged.list_name, flagged.person_id
{%- endmacro %}
