"""Personal links for panelists: /respond/<token>/, with no account.

The token is an HMAC of the panelist's id and a random salt under the
SECRET_KEY. The database keeps only the salt and a SHA-256 digest of the
token: a leaked database reveals no working link, yet the application can show
a panelist's link again at any time. Revoking clears both; reissuing draws a
new salt, so every earlier link stops working.
"""

import base64
import hashlib
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from meetings.models import Panelist
from meetings.services.audit import log_action

KEY_SALT = "meetings.panelist-link"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def site_url(path: str = "") -> str:
    """An absolute address on the public site, from `DJANGO_SITE_URL` (settings.SITE_URL).

    Every link that leaves the site (emails, calendar files) is made here, never from the
    request: its Host header is the client's to write."""
    return settings.SITE_URL.rstrip("/") + path


def compute_token(panelist_id: int, salt: str) -> str:
    digest = salted_hmac(KEY_SALT, f"{panelist_id}:{salt}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(panelist: Panelist) -> str | None:
    """The panelist's current token, or None when they have no link that can be shown: none
    was issued, or the secret key changed (or an import could not keep the panelist's id)
    since, so that the token computed now is not the one stored. Better no link than a
    broken one; issuing a new one mends it."""
    if not panelist.has_link:
        return None
    token = compute_token(panelist.pk, panelist.link_salt)
    return token if token_digest(token) == panelist.link_digest else None


def link_path(panelist: Panelist) -> str | None:
    token = link_token(panelist)
    return reverse("portal:respond", args=[token]) if token else None


def issue_link(panelist: Panelist, *, by=None, log: bool = True) -> str:
    """Give the panelist a new link; any earlier one stops working. Logged with who did it
    (nobody: a command), unless the caller logs the larger action it is part of."""
    panelist.link_salt = secrets.token_hex(16)
    token = compute_token(panelist.pk, panelist.link_salt)
    panelist.link_digest = token_digest(token)
    panelist.save(update_fields=["link_salt", "link_digest", "updated_at"])
    if log:
        log_action(panelist.meeting, "link.issued", actor=by, panelist=panelist)
    return token


def ensure_link(panelist: Panelist, *, by=None) -> str:
    """The panelist's working link, issued (and logged) where they have none: revoked, or
    made under another secret key."""
    return link_token(panelist) or issue_link(panelist, by=by)


def revoke_link(panelist: Panelist, *, by=None) -> None:
    panelist.link_salt = ""
    panelist.link_digest = None
    panelist.save(update_fields=["link_salt", "link_digest", "updated_at"])
    log_action(panelist.meeting, "link.revoked", actor=by, panelist=panelist)


def panelist_for_token(token: str) -> Panelist | None:
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return (
        Panelist.objects.select_related("meeting", "mechanism")
        .filter(link_digest=token_digest(token))
        .first()
    )
