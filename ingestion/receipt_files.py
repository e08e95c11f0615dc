"""The names of the receipts written beside a delivery, in one place: the writers use them, and the inbox
reader skips every one of them, so a receipt is never taken for a delivery on the next run."""

JSON_SUFFIX = ".receipt.json"  # the receipt itself (machine-readable), written by the loader
TEXT_SUFFIX = ".receipt.md"  # the plain receipt for the provider
HTML_SUFFIX = ".receipt.html"  # the receipt page
PDF_SUFFIX = ".receipt.pdf"  # the page as PDF
ALL_SUFFIXES = (JSON_SUFFIX, TEXT_SUFFIX, HTML_SUFFIX, PDF_SUFFIX)
