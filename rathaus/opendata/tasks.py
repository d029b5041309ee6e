"""Background work of the open data portal (django-tasks; `rathaus daily` enqueues the refresh)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django_tasks import task

from rathaus.tenants.models import Municipality

from . import services
from .generators import generators

logger = logging.getLogger(__name__)


def refresh_all(*, keys: Iterable[str] | None = None) -> dict[str, int]:
    """Every registered generator (or those of `keys`) for every municipality; counts of created / changed /
    unchanged / nothing."""
    counts = {"created": 0, "changed": 0, "unchanged": 0, "nothing": 0}
    chosen = sorted(generators() if keys is None else keys)
    for municipality in Municipality.objects.order_by("slug"):
        for key in chosen:
            outcome = services.generated_dataset_refresh(municipality=municipality, generator_key=key)
            counts[outcome] += 1
            logger.info("open data %s/%s: %s", municipality.slug, key, outcome)
    return counts


@task()
def generated_datasets_refresh() -> dict[str, int]:
    """Regenerate the datasets Rathaus publishes from its own data (daily)."""
    return refresh_all()
