"""Synthetic deliveries for the warehouse, written exactly as Latvian institutions send them.

`generate_national` writes the national set; `writer.DeliveryWriter` is the reusable part
that formats typed columns by their contract, injects documented faults and keeps the
`_faults.json` manifest (used also by the Housing First pilot generator).
"""

from .national import GenerationSummary, generate_national
from .writer import MANIFEST_NAME, DeliveryWriter

__all__ = ["DeliveryWriter", "GenerationSummary", "MANIFEST_NAME", "generate_national"]
