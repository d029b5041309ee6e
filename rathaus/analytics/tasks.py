"""Background work of analytics (django-tasks; `rathaus daily` queues it, `rathaus db_worker` runs it)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from rathaus.tenants.models import Municipality

from .rollup import pending_days, raw_events_purge, rollup_days


@task()
def analytics_rollup() -> str:
    """Roll up every day that is not rolled up yet (and yesterday and the day before again), then delete raw events
    past their retention period (RATHAUS_ANALYTICS_RAW_DAYS)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    days = 0
    for municipality in Municipality.objects.all():
        result = rollup_days(
            days=pending_days(municipality=municipality, until=yesterday), municipalities=[municipality]
        )
        days += result.days
    purged = raw_events_purge()
    return f"{days} days rolled up, {purged} raw events deleted"
