"""Yearly: on 15 January, 06:00 Riga time, the monitoring release for the year that just ended.

A plain cron schedule rather than `build_schedule_from_partitioned_job`: offsets (day 15, 06:00)
are not supported on a custom-cron yearly partitions definition, and the partition to request is
simply the previous calendar year. Running by default: `homeless-monitor ui` (the daemon of
`dagster dev`) starts it; stop it in the UI under Automation.
"""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from dagster_project.jobs import yearly_release_job
from dagster_project.partitions import reporting_years

YEARLY_CRON = "0 6 15 1 *"
TIMEZONE = "Europe/Riga"


def previous_year_partition(context: ScheduleEvaluationContext) -> str:
    year = str(context.scheduled_execution_time.year - 1)
    if year not in reporting_years.get_partition_keys(current_time=context.scheduled_execution_time):
        raise ValueError(f"reporting year {year} is not a partition of {reporting_years}")
    return year


@schedule(
    job=yearly_release_job,
    cron_schedule=YEARLY_CRON,
    execution_timezone=TIMEZONE,
    name="yearly_monitoring_release",
    default_status=DefaultScheduleStatus.RUNNING,
    description="15 January 06:00 Riga time: build, check and publish the previous reporting year's release.",
)
def yearly_release_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    year = previous_year_partition(context)
    return RunRequest(run_key=f"release-{year}", partition_key=year)
