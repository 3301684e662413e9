from belong.lib.models import SharedCounter


class RateLimitCounter(SharedCounter):
    """The rate limits' and the sign-in lockout's counters without Redis (belong.lib.ratelimit):
    one row per key (and window), deleted by `runperiodic` once it has expired."""
