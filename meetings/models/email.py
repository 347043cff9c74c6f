"""The outbox: every email the application sends, with what happened to it.

A row is written when an email is asked for (a click, a rule that schedules a reminder); the
worker composes and sends it at its time (meetings.services.outbox). The row keeps the message
as it was sent, so that staff read in the outbox what each recipient received.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.delegation import Delegation
from meetings.models.meeting import Meeting
from meetings.models.panelist import Panelist


class EmailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    UPDATE = "update", _("Updated slot")
    CONFIRMATION_REMINDER = "confirmation_reminder", _("Reminder to confirm")
    ANSWERS_REMINDER = "answers_reminder", _("Reminder of written answers")
    CONVOCATION = "convocation", _("Convocation")
    PASSWORD_RESET = "password_reset", _("Password reset")


class EmailStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# Still to be sent: the worker sends these, `cancel` stops them.
WAITING = (EmailStatus.SCHEDULED, EmailStatus.QUEUED)


class Email(models.Model):
    """One email to one address: to a panelist, a delegation or an account."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    panelist = models.ForeignKey(
        Panelist,
        verbose_name=_("panelist"),
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EmailKind.choices)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    # When the worker sends it: now for a click, the rule's day for a reminder; after a
    # failure, the next attempt.
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Says which email this is, for emails scheduled by a rule: the same reminder planned
    # twice is one row (meetings.services.outbox.queue).
    key = models.CharField(
        _("key"), max_length=200, unique=True, default=uuid.uuid4, editable=False
    )
    # The emails asked for in one click ("Invite everyone"): the page shows their progress.
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    # The message as sent (filled when the worker composes it).
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    calendar = models.TextField(_("calendar file"), blank=True)
    # What was sent (kind, address, subject and text), kept for emails composed when asked.
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
        ordering = ["-created_at", "-pk"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            models.Index(fields=["panelist", "digest"], name="email_panelist_digest"),
            models.Index(fields=["status", "send_after"], name="email_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to}"

    @property
    def composed(self) -> bool:
        return bool(self.subject)

    @property
    def when(self):
        """When it went out, or is to go out."""
        return self.sent_at or self.send_after or self.created_at

    @property
    def waiting(self) -> bool:
        return self.status in WAITING
