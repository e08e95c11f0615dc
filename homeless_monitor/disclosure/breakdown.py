"""The four breakdown marts (flow, point-in-time, first-time, length): their row key, and the table
design before issue 22 that scripts/compare_disclosure_methods.py measures the redesign against.

The rows each mart publishes (data minimisation) and the relations among them (geography, ETHOS Light
category, sex and age; `cover` for the yearly flow, which counts a person in every town and category
of the year, `sum` for the marts that count a person once) are its dbt meta `rows` and `relations`
(dbt/models/marts/_marts__models.yml), read by disclosure/tables.py like every other public mart's.
"""

from __future__ import annotations

KEY = ("year", "geo_level", "nuts3_code", "municipality_atvk", "ethos_light_category", "sex", "age_group")
#: the design before issue 22 (every category per municipality), kept to measure the redesign against
MINIMISED_BEFORE_ISSUE_22 = (
    "((sex = 'ALL' AND age_group = 'ALL') OR (geo_level = 'national' AND ethos_light_category = 'ALL'))"
)
