"""Research extracts and drill-down from a published release's restricted and analyst tiers.

- spec.py: the YAML spec a researcher's extract is made from (population, variables, coarsening).
- dictionary.py: column definitions taken from the dbt docs (the models' YAML).
- coarsen.py / kanon.py: coarsening, then k-anonymity (generalise, then suppress).
- take.py: one extract from spec to files (Parquet, CSV, data dictionary, manifest) and the register.
- register.py: the register of issued extracts and the drill-down access log (restricted area, 0600).
- drill.py: the person rows behind a mart cell.
"""
