"""Personal links, with no account: a panelist's /respond/<token>/ and a delegation's
/floor/<token>/.

The token is an HMAC of the holder's id and a random salt under the SECRET_KEY
(a key of its own for each kind of holder). The database keeps only the salt and
a SHA-256 digest of the token: a leaked database reveals no working link, yet the
application can show a link again at any time. Revoking clears both; reissuing
draws a new salt, so every earlier link stops working.
"""

import base64
import hashlib
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from meetings.models import Delegation, Panelist
from meetings.services.audit import log_action

KEY_SALT = "meetings.panelist-link"
# Each kind of holder: the key of its HMAC and the page its link opens.
KEY_SALTS = {Panelist: KEY_SALT, Delegation: "meetings.delegation-link"}
LINK_PAGES = {Panelist: "portal:respond", Delegation: "floor:page"}

Holder = Panelist | Delegation
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def site_url(path: str = "") -> str:
    """An absolute address on the public site, from `DJANGO_SITE_URL` (settings.SITE_URL).

    Every link that leaves the site (emails, calendar files) is made here, never from the
    request: its Host header is the client's to write."""
    return settings.SITE_URL.rstrip("/") + path


def compute_token(holder_id: int, salt: str, key_salt: str = KEY_SALT) -> str:
    digest = salted_hmac(key_salt, f"{holder_id}:{salt}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(holder: Holder) -> str | None:
    """The holder's current token, or None when they have no link that can be shown: none
    was issued, or the secret key changed (or an import could not keep the holder's id)
    since, so that the token computed now is not the one stored. Better no link than a
    broken one; issuing a new one mends it."""
    if not holder.has_link:
        return None
    token = compute_token(holder.pk, holder.link_salt, KEY_SALTS[type(holder)])
    return token if token_digest(token) == holder.link_digest else None


def link_path(holder: Holder) -> str | None:
    token = link_token(holder)
    return reverse(LINK_PAGES[type(holder)], args=[token]) if token else None


def log_link(holder: Holder, event: str, *, by) -> None:
    if isinstance(holder, Panelist):
        log_action(holder.meeting, f"link.{event}", actor=by, panelist=holder)
    else:
        log_action(holder.meeting, f"delegation_link.{event}", actor=by, delegation=holder.code)


def issue_link(holder: Holder, *, by=None, log: bool = True) -> str:
    """Give the panelist or delegation a new link; any earlier one stops working. Logged with
    who did it (nobody: a command), unless the caller logs the larger action it is part of."""
    holder.link_salt = secrets.token_hex(16)
    token = compute_token(holder.pk, holder.link_salt, KEY_SALTS[type(holder)])
    holder.link_digest = token_digest(token)
    holder.save(update_fields=["link_salt", "link_digest", "updated_at"])
    if log:
        log_link(holder, "issued", by=by)
    return token


def ensure_link(holder: Holder, *, by=None) -> str:
    """The holder's working link, issued (and logged) where they have none: revoked, or made
    under another secret key."""
    return link_token(holder) or issue_link(holder, by=by)


def revoke_link(holder: Holder, *, by=None) -> None:
    holder.link_salt = ""
    holder.link_digest = None
    holder.save(update_fields=["link_salt", "link_digest", "updated_at"])
    log_link(holder, "revoked", by=by)


def panelist_for_token(token: str) -> Panelist | None:
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return (
        Panelist.objects.select_related("meeting", "mechanism")
        .filter(link_digest=token_digest(token))
        .first()
    )


def delegation_for_token(token: str) -> Delegation | None:
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return (
        Delegation.objects.select_related("meeting", "state")
        .filter(link_digest=token_digest(token))
        .first()
    )
