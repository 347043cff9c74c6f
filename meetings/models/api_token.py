"""The AV desk's keys to a meeting's clock: a token per device, for the HTTP API."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.common.validators import validate_one_line
from meetings.models.meeting import Meeting

API_TOKEN_NAME_MAX_LENGTH = 100


class ApiToken(models.Model):
    """One device's key to one meeting's clock (a Stream Deck on the AV desk...).

    Only the SHA-256 digest of the token is kept: the token itself is shown once, when it is
    created, and a leaked database opens nothing. Revoked, it opens nothing either; the row
    stays, for the log's sake."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=API_TOKEN_NAME_MAX_LENGTH, validators=[validate_one_line]
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
