"""Every 429 says when to try again (the database-away 503s: test_database_unavailable.py)."""

from django.http import HttpResponse

from config.middleware import RetryAfterMiddleware


def test_a_429_without_retry_after_gets_one():
    middleware = RetryAfterMiddleware(lambda request: HttpResponse(status=429))

    assert middleware(None)["Retry-After"] == "60"


def test_a_throttle_s_own_retry_after_is_kept():
    def throttled(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = "42"
        return response

    assert RetryAfterMiddleware(throttled)(None)["Retry-After"] == "42"


def test_other_responses_are_left_alone():
    middleware = RetryAfterMiddleware(lambda request: HttpResponse(status=200))

    assert not middleware(None).has_header("Retry-After")


def test_the_middleware_is_installed(settings):
    assert "config.middleware.RetryAfterMiddleware" in settings.MIDDLEWARE
