"""Durations as histograms with logarithmic buckets: medians and percentiles without keeping single values.

A duration of d seconds falls into bucket floor(log(d + 1) / log(BASE)). With BASE 1.1 a bucket spans 10 %, so a
median or percentile read back from the histogram is within about 5 % of the exact one, whatever the number of
events; a year of durations of one service and day is at most ~200 small rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

BASE = 1.1
_LOG_BASE = math.log(BASE)
MAX_BUCKET = 32_000  # PositiveSmallIntegerField


def bucket_of(seconds: int | float) -> int:
    return min(MAX_BUCKET, int(math.log(max(0.0, float(seconds)) + 1) / _LOG_BASE))


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """The durations (seconds) bucket `bucket` holds: [low, high)."""
    return BASE**bucket - 1, BASE ** (bucket + 1) - 1


def merge(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for bucket, count in histogram.items():
            merged[bucket] = merged.get(bucket, 0) + count
    return merged


def total(histogram: Mapping[int, int]) -> int:
    return sum(histogram.values())


def quantile(histogram: Mapping[int, int], q: float) -> float | None:
    """The q-quantile (0..1) in seconds, interpolated geometrically inside its bucket; None without values."""
    n = total(histogram)
    if n == 0:
        return None
    rank = q * n
    seen = 0
    for bucket in sorted(histogram):
        count = histogram[bucket]
        if count and seen + count >= rank:
            fraction = (rank - seen) / count
            low, high = bucket_bounds(bucket)
            return (low + 1) * ((high + 1) / (low + 1)) ** fraction - 1
        seen += count
    return bucket_bounds(max(histogram))[1]
