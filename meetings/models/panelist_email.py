"""The emails sent to panelists: invitations, reminders and updated slots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.panelist import Panelist


class EmailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    UPDATE = "update", _("Updated slot")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class PanelistEmail(models.Model):
    """An invitation or reminder sent to a panelist, with what happened to it."""

    panelist = models.ForeignKey(
        Panelist, verbose_name=_("panelist"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind.choices)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # What was sent (kind, address, subject and text): the same email is not sent twice within
    # a few minutes (meetings.services.invitations.send), whoever clicks twice.
    digest = models.CharField(_("digest"), max_length=64, blank=True, editable=False)
    # The slot the email stated (meetings.services.slots.slot_of): the panel page compares it
    # with the panelist's slot today. Null for emails sent before slots were kept.
    slot = models.JSONField(_("slot stated"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email to a panelist")
        verbose_name_plural = _("emails to panelists")
        indexes = [models.Index(fields=["panelist", "digest"], name="email_panelist_digest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to}"
