"""Resetting a forgotten password by email: links from the site's address, requests throttled.

The reset email's link is built from DJANGO_SITE_URL (links.site_url), never from the
request's Host header, which the client chooses: a forged Host would otherwise send the
account's owner a link to the forger's site, carrying a working reset token.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import get_language

from config.common.throttle import Refusal, Throttle, account_key
from meetings.models import EmailKind
from meetings.services import outbox
from meetings.services.links import site_url

EMAIL_LIMIT = 5  # reset requests for one email address in the window


class SiteURLPasswordResetForm(PasswordResetForm):
    def save(self, **kwargs):
        site = urlsplit(site_url())
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Through the outbox, like every email: the request answers at once and the worker
        sends (and retries) it. Written now, in the language of the page that asked."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        html = ""
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
        outbox.queue(
            EmailKind.PASSWORD_RESET,
            to=to_email,
            language=get_language() or settings.LANGUAGE_CODE,
            composed=outbox.Composed(subject, render_to_string(email_template_name, context), html),
        )


def reset_request_refusal(address: str, email: str) -> Refusal | None:
    """Why a request for a reset email is refused, or None. Every request counts (each one may
    send an email), per address and per email address typed, whether an account uses it or not
    (so a refusal tells nobody which addresses have accounts)."""
    for throttle, ident in ((REQUESTS_BY_ADDRESS, address), (REQUESTS_BY_EMAIL, email_key(email))):
        if seconds := throttle.blocked_for(ident):
            return Refusal("reset", seconds, throttle.window_minutes)
    return None


def record_reset_request(address: str, email: str) -> None:
    REQUESTS_BY_ADDRESS.record_failure(address)
    if email.strip():
        REQUESTS_BY_EMAIL.record_failure(email_key(email))


def email_key(email: str) -> str:
    return account_key(email)  # folded and keyed the same way as account names


REQUESTS_BY_ADDRESS = Throttle("password-reset", limit=settings.THROTTLE_ADDRESS_LIMIT)
REQUESTS_BY_EMAIL = Throttle("password-reset-email", limit=EMAIL_LIMIT)
