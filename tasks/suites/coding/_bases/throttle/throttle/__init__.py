"""throttle: rate limiting with token buckets, leaky buckets, fixed and sliding windows."""

from .base import Decision, Limiter, RateLimitExceeded
from .policy import Policy, parse_policy
from .registry import ALGORITHMS, limiter_for

__all__ = ["ALGORITHMS", "Decision", "Limiter", "Policy", "RateLimitExceeded", "limiter_for", "parse_policy"]
__version__ = "2.1.0"
