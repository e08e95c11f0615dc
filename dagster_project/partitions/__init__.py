"""Reporting years: the monitoring report and its release are yearly (calendar year, Riga time)."""

from dagster import TimeWindowPartitionsDefinition

FIRST_REPORTING_YEAR = "2015"

#: One partition per completed calendar year; the newest partition is the previous year.
reporting_years = TimeWindowPartitionsDefinition(
    start=FIRST_REPORTING_YEAR, fmt="%Y", cron_schedule="0 0 1 1 *", timezone="Europe/Riga"
)
