"""Rate limits count attempts per key in the database, shared by every process, and refuse once the limit is
reached."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.core.models import RateCounter
from rathaus.core.ratelimit import Limit, counters_purge
from rathaus.testing.concurrency import run_at_once


@pytest.mark.django_db
def test_consume_allows_up_to_the_limit_and_then_refuses():
    limit = Limit("test-consume", 3, 60)
    assert [limit.consume("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert limit.count("192.0.2.1") == 3  # the refused attempt is not counted
    assert limit.consume("192.0.2.2") is True  # another key counts on its own


@pytest.mark.django_db
def test_failures_count_beyond_the_limit_and_reset_clears_them():
    limit = Limit("test-failure", 2, 60)
    for _ in range(3):
        limit.failure("erika@example.org")
    assert limit.count("erika@example.org") == 3 and limit.exceeded("erika@example.org")
    limit.reset("erika@example.org")
    assert not limit.exceeded("erika@example.org")


@pytest.mark.django_db
def test_keys_are_hashed_and_case_insensitive():
    limit = Limit("test-hash", 1, 60)
    limit.failure("Erika@Example.org")
    assert limit.exceeded("erika@example.org")
    assert "erika" not in RateCounter.objects.get().key


@pytest.mark.django_db
def test_a_window_ends_and_the_next_attempt_starts_a_new_one():
    limit = Limit("test-window", 1, 60)
    assert limit.consume("192.0.2.1")
    assert not limit.consume("192.0.2.1")
    RateCounter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert limit.count("192.0.2.1") == 0
    assert limit.consume("192.0.2.1")
    assert RateCounter.objects.get().count == 1


@pytest.mark.django_db
def test_ended_windows_are_purged():
    Limit("test-old", 5, 60).failure("a")
    Limit("test-new", 5, 60).failure("b")
    RateCounter.objects.filter(key__startswith="test-old").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert counters_purge() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == [Limit("test-new", 5, 60)._key("b")]


@pytest.mark.booking_race
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_from_many_connections_share_one_budget():
    """What several gunicorn workers or app servers do: each attempt on its own database connection, at once."""
    limit = Limit("test-race", 10, 60)

    def attempt(_number: int) -> str:
        return "allowed" if limit.consume("198.51.100.7") else "refused"

    assert run_at_once(threads=40, attempts_per_thread=2, attempt=attempt) == {"allowed": 10, "refused": 70}
    assert limit.count("198.51.100.7") == 10
