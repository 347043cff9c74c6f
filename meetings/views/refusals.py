"""The page that refuses a throttled request: 429, with Retry-After."""

from django.shortcuts import render


def too_many_attempts(request, seconds: int, **context):
    """`seconds` until the next try is evaluated; the context says why (see throttled.html)."""
    response = render(request, "throttled.html", context, status=429)
    response["Retry-After"] = str(max(1, seconds))
    return response
