"""The AV desk's tokens: each opens one meeting's clock to the HTTP API (meetings.views.api).

A token is 32 random bytes, shown once when it is created; the database keeps only its
SHA-256 digest (as for the personal links, meetings.services.links), so a leaked database
opens nothing. A token is found by its digest, through the unique index: no comparison of
secrets in Python whose time could tell how much of a guess was right. A random token needs
no salt: nothing about it can be guessed to precompute digests.
"""

import hashlib
import re
import secrets

from django.db import transaction
from django.utils import timezone

from meetings.models import ApiToken, Meeting
from meetings.services.audit import log_action

# What secrets.token_urlsafe(32) gives; anything else is refused before any query.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(meeting: Meeting, name: str, *, by) -> tuple[ApiToken, str]:
    """A new token for the meeting's clock: the row, and the token, which only this caller
    ever sees (to show once)."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        meeting=meeting, name=name.strip(), digest=token_digest(token), created_by=by
    )
    log_action(meeting, "api_token.created", actor=by, token=row.pk, name=row.name)
    return row, token


@transaction.atomic
def revoke_token(row: ApiToken, *, by) -> ApiToken:
    """The token opens nothing from now on; revoking it again changes nothing."""
    row = ApiToken.objects.select_for_update().get(pk=row.pk)
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        log_action(row.meeting, "api_token.revoked", actor=by, token=row.pk, name=row.name)
    return row


def token_for(token: str) -> ApiToken | None:
    """The live (not revoked) token row this token is, with its meeting; None for any other."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return (
        ApiToken.objects.select_related("meeting__convening_body")
        .filter(digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )


def meeting_for_token(token: str) -> Meeting | None:
    row = token_for(token)
    return row.meeting if row else None


def mark_used(row: ApiToken) -> None:
    """When the token last opened the API, for the secretariat's list (one UPDATE)."""
    row.last_used_at = timezone.now()
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=row.last_used_at)
