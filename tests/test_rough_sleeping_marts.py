"""Living rough seen by crisis services, on the shared pipeline run (issue 15, section 1).

The rule (dbt docs rough_sleeping_from_crisis_services): a no-address ambulance call or a
no-fixed-abode police contact is an ETHOS Light 1 night unless a service covers that night.
The hand-made cases are dbt unit tests (models/marts/_marts__unit_tests.yml); here the same rule
is checked on every row of a whole run.
"""

from __future__ import annotations

import duckdb
import pytest

CRISIS = "('ambulance_no_address', 'police_no_fixed_abode')"


@pytest.fixture(scope="module")
def con(national_run):
    with duckdb.connect(str(national_run.warehouse), read_only=True) as connection:
        yield connection


def test_crisis_contacts_give_category_1_nights(con):
    by_type = dict(
        con.execute(
            f"SELECT record_type, count(*) FROM marts.fct_service_days WHERE record_type IN {CRISIS} "
            "AND ethos_light_category = 1 GROUP BY 1"
        ).fetchall()
    )
    assert by_type.get("ambulance_no_address", 0) > 0 and by_type.get("police_no_fixed_abode", 0) > 0


def test_no_crisis_night_falls_on_a_shelter_night_or_in_a_ward_or_cell(con):
    on_shelter_night = con.execute(f"""
        SELECT count(*) FROM marts.fct_service_days AS days
        JOIN intermediate.int_person_episodes AS stays
          ON stays.person_id = days.person_id AND stays.record_type = 'shelter_stay'
         AND days.service_date BETWEEN stays.start_date AND stays.end_date
        WHERE days.record_type IN {CRISIS}""").fetchone()[0]
    assert on_shelter_night == 0
    in_institution = con.execute(f"""
        SELECT count(*) FROM marts.fct_service_days AS days
        JOIN intermediate.int_crisis_rough_sleeping_contacts AS contacts
          ON contacts.source_record_id = days.source_record_id AND contacts.record_type = days.record_type
        WHERE days.record_type IN {CRISIS} AND contacts.night_in_institution""").fetchone()[0]
    assert in_institution == 0
    # and some contacts were indeed on a shelter night, so the rule had something to decide
    covered = con.execute("""
        SELECT count(*) FROM intermediate.int_crisis_rough_sleeping_contacts AS contacts
        JOIN intermediate.int_person_episodes AS stays
          ON stays.person_id = contacts.person_id AND stays.record_type = 'shelter_stay'
         AND contacts.contact_date BETWEEN stays.start_date AND stays.end_date""").fetchone()[0]
    assert covered > 0


def test_category_1_flow_counts_persons_seen_only_by_crisis_services_once(con):
    for year, flow, persons in con.execute("""
        SELECT flow.year, flow.persons,
               (SELECT count(DISTINCT person_id) FROM marts.fct_service_days AS days
                 WHERE days.service_year = flow.year AND days.ethos_light_category = 1)
        FROM marts.mart_homeless_flow_yearly AS flow
        WHERE flow.geo_level = 'national' AND flow.ethos_light_category = '1'
          AND flow.sex = 'ALL' AND flow.age_group = 'ALL'""").fetchall():
        assert flow == persons, year
    seen_only_by_crisis = con.execute(f"""
        SELECT count(DISTINCT person_id) FROM marts.fct_service_days
        GROUP BY person_id HAVING bool_and(record_type IN {CRISIS})""").fetchall()
    assert len(seen_only_by_crisis) > 0
