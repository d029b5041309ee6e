"""Rate limits count attempts per key in the cache and refuse once the limit is reached."""

from django.core.cache import cache

from rathaus.core.ratelimit import Limit


def test_consume_allows_up_to_the_limit_and_then_refuses():
    cache.clear()
    limit = Limit("test-consume", 3, 60)
    assert [limit.consume("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert limit.consume("192.0.2.2") is True  # another key counts on its own


def test_keys_are_hashed_and_case_insensitive():
    cache.clear()
    limit = Limit("test-hash", 1, 60)
    limit.failure("Erika@Example.org")
    assert limit.exceeded("erika@example.org")
    assert "erika" not in limit._key("erika@example.org")
