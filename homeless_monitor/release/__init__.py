"""The publication gate: a release is the work file, copied atomically, only when nothing blocks."""
