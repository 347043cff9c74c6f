"""The record as it was published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.meeting import Meeting


class PublishedRecord(models.Model):
    """The meeting's record as the secretariat published it: what the public sees, as it was
    at that moment (later edits reach the public only when published again)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="publications"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("published record")
        verbose_name_plural = _("published records")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.published_at:%Y-%m-%d %H:%M}"
