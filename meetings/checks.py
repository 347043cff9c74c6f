"""`check --deploy`: what a production deployment of the meetings needs beyond Django's own."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Mail backends that keep messages on this machine: right for development, never for a meeting.
MAIL_NOT_SENT = (
    "console.EmailBackend",
    "locmem.EmailBackend",
    "dummy.EmailBackend",
    "OutboxBackend",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Screens, the sign-in throttle and the token throttle keep their state in the cache.
    A per-process cache works with one process only: with several, a display served by
    another process than the console's learns of a change only when its entry expires
    (meetings.live.feed.CURRENT_SECONDS), and every process counts failed sign-ins apart."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is not shared between app processes.",
                hint="Set REDIS_URL: every app process must share one Redis (README, "
                "Running in production).",
                id="meetings.W001",
            )
        ]
    return []


@register(Tags.compatibility, deploy=True)
def mail_is_sent(app_configs, **kwargs):
    """Invitations and password resets must leave the machine: printed on the console or kept
    in a folder (`make run`'s outbox), nobody receives them."""
    backend = settings.MAILERS["default"]["BACKEND"]
    if backend.endswith(MAIL_NOT_SENT):
        return [
            Warning(
                "Email is not sent: it is printed or kept on this machine.",
                hint="Set EMAIL_URL to the mail server (README, Running in production).",
                id="meetings.W002",
            )
        ]
    return []
