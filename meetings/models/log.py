"""The audit trail of a meeting."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.meeting import Meeting
from meetings.models.panelist import Panelist


class MeetingLog(models.Model):
    """Who did what to a meeting, and when: the audit trail of every action."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    panelist = models.ForeignKey(
        Panelist,
        verbose_name=_("panelist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The panelist who acted through their personal link, or who was acted on."),
    )
    action = models.CharField(_("action"), max_length=60)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"
