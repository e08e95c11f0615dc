-- Per year and crisis-service list of the multiple-systems estimate (ambulance calls with no known
-- address, police contacts with no fixed abode): the share of the list's linkable persons for whom
-- another source recorded an address within 30 days either side of a flagged contact, a sign that the
-- flag may be wrong (a housed person recorded with no home). Docs: list_false_positive_check.
with persons as (
    {{ false_positive_list_persons() }}
)

select
    year,
    case list_name when 'ambulance_no_address' then 'ambulance' else 'police' end as list_name,
    count(*) as list_persons,
    count(*) filter (where address_in_hospital or address_in_prison or address_in_other_service)
        as persons_with_address_nearby,
    {{ rounded_share(
        'count(*) filter (where address_in_hospital or address_in_prison or address_in_other_service)', 'count(*)'
    ) }} as share_with_address_nearby,
    count(*) filter (where address_in_hospital or address_in_prison) as persons_with_address_in_hospital_or_prison,
    count(*) filter (where address_in_other_service) as persons_with_address_in_other_service,
    count(*) filter (where flagged_contacts = 1 and (address_in_hospital or address_in_prison))
        as single_contact_persons_with_hospital_or_prison_address
from persons
group by year, list_name
