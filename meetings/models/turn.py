"""The speaking order: a panelist's turn in a round, its clock, and the notes and summary
kept of it."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from mechanisms.models import Mechanism
from meetings.domain import clock
from meetings.models.meeting import Meeting, Round
from meetings.models.panelist import Panelist, PanelistStatus
from meetings.models.revision import Revision

NOTES_MAX_LENGTH = 50_000


# The clock's turn statuses, each with the label the pages show (a status without a label
# stops the import).
TURN_STATUS_LABELS = {
    clock.TurnStatus.PENDING: _("Waiting"),
    clock.TurnStatus.READY: _("Has the floor"),
    clock.TurnStatus.RUNNING: _("Speaking"),
    clock.TurnStatus.PAUSED: _("Paused"),
    clock.TurnStatus.FINISHED: _("Finished"),
    clock.TurnStatus.SKIPPED: _("Skipped"),
}
TurnStatus = models.TextChoices(
    "TurnStatus",
    [(status.name, (status.value, TURN_STATUS_LABELS[status])) for status in clock.TurnStatus],
    module=__name__,
)

CURRENT_TURN_STATUSES = [TurnStatus(status) for status in clock.CURRENT]


class TurnQuerySet(models.QuerySet):
    def in_live_order(self) -> "TurnQuerySet":
        """The turns that are part of the meeting as it runs: those of panelists who declined
        are left out (their seat's substitute, if any, has turns of their own). The one
        query behind the clock, the console, the screens, live.json, the run of show and the
        record, so that a decline leaves all of them at once."""
        return self.exclude(panelist__status=PanelistStatus.DECLINED).order_by(
            "round__number", "position", "pk"
        )


class Turn(models.Model):
    """A panelist's turn in a round: their place in the speaking order, then their clock.

    The clock is stored as the seconds spent before the last start and the
    instant it last started (meetings/domain/clock.py derives everything else).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="turns"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="turns"
    )
    panelist = models.ForeignKey(
        Panelist, verbose_name=_("panelist"), on_delete=models.CASCADE, related_name="turns"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    status = models.CharField(
        _("status"), max_length=20, choices=TurnStatus.choices, default=TurnStatus.PENDING
    )
    added_seconds = models.PositiveIntegerField(_("time added (seconds)"), default=0)
    spent_seconds = models.FloatField(_("time spent before the last start (seconds)"), default=0)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)]
    )
    notes_version = models.PositiveIntegerField(_("notes version"), default=0)
    # The record: the secretariat's edited summary of what the panelist said.
    summary = models.TextField(
        _("summary"), blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)]
    )
    summary_version = models.PositiveIntegerField(_("summary version"), default=0)
    coordination = models.ManyToManyField(
        Mechanism,
        verbose_name=_("proposes to coordinate with"),
        blank=True,
        related_name="coordination_proposals",
    )

    # Its meeting's row is locked before its own (config/common/conflicts.py: one order, no
    # deadlock).
    LOCKED_AFTER = ("meeting",)

    objects = TurnQuerySet.as_manager()

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("turn")
        verbose_name_plural = _("turns")
        constraints = [
            models.UniqueConstraint(fields=["round", "panelist"], name="turn_once_per_round"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status__in=CURRENT_TURN_STATUSES),
                name="turn_one_current_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TurnStatus.values), name="turn_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(running_since__isnull=True) | Q(status=TurnStatus.RUNNING),
                name="turn_only_running_has_running_since",
            ),
            models.CheckConstraint(
                condition=Q(spent_seconds__gte=0), name="turn_spent_not_negative"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH)
                & LessThanOrEqual(Length("summary"), NOTES_MAX_LENGTH),
                name="turn_notes_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.position} · {self.panelist}"

    @property
    def allotted_seconds(self) -> int:
        return self.round.speaking_seconds + self.added_seconds


class RevisedText(models.TextChoices):
    NOTES = "notes", _("Notes")
    SUMMARY = "summary", _("Summary")


class TextRevision(Revision):
    """Every saved state of a turn's notes or summary: nothing is ever lost, conflicts
    included, and any earlier text can be compared and restored."""

    turn = models.ForeignKey(
        Turn, verbose_name=_("turn"), on_delete=models.CASCADE, related_name="revisions"
    )
    field = models.CharField(
        _("text"), max_length=10, choices=RevisedText.choices, default=RevisedText.NOTES
    )
    text = models.TextField(_("text"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(Revision.Meta):
        verbose_name = _("text revision")
        verbose_name_plural = _("text revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=RevisedText.values), name="revision_field_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.turn} · {self.get_field_display()} · {self.saved_at:%H:%M:%S}"
