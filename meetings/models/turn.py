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


class SpeakingClock(models.Model):
    """A speaker's clock as stored: the seconds spent before the last start and the instant
    it last started. meetings.domain.clock derives everything else (the time left, overtime)
    and decides what each console action does; this model reads itself into that clock
    (`to_clock`) and stores what an action made of it (`save_clock`).

    A model with a clock tells how long its speaker is given (`planned_seconds`) and where it
    stands in the speaking order (`place_in_order`)."""

    status = models.CharField(
        _("status"), max_length=20, choices=TurnStatus.choices, default=TurnStatus.PENDING
    )
    added_seconds = models.PositiveIntegerField(_("time added (seconds)"), default=0)
    spent_seconds = models.FloatField(_("time spent before the last start (seconds)"), default=0)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    # The clock's columns: all that save_clock writes.
    CLOCK_FIELDS = (
        "status",
        "added_seconds",
        "spent_seconds",
        "running_since",
        "started_at",
        "ended_at",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TurnStatus.values), name="%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(running_since__isnull=True) | Q(status=TurnStatus.RUNNING),
                name="%(class)s_only_running_has_running_since",
            ),
            models.CheckConstraint(
                condition=Q(spent_seconds__gte=0), name="%(class)s_spent_not_negative"
            ),
        ]

    @property
    def planned_seconds(self) -> int:
        """The speaking time the speaker is given, before any minute the chair adds."""
        raise NotImplementedError

    @property
    def place_in_order(self) -> tuple[int, int]:
        """(agenda item's position, position in it): where the clock's rules find this turn in
        the session."""
        raise NotImplementedError

    @property
    def allotted_seconds(self) -> int:
        return self.planned_seconds + self.added_seconds

    @property
    def clock_id(self):
        """Its name in the session, unique among every kind of turn of the meeting."""
        return self.pk

    @property
    def takes_precedence(self) -> bool:
        """A point of order: waiting, it goes ahead of the item's other speakers."""
        return False

    def to_clock(self) -> clock.Turn:
        """This turn as the clock's rules read it."""
        item, position = self.place_in_order
        return clock.Turn(
            id=self.clock_id,
            item=item,
            position=position,
            allotted=float(self.allotted_seconds),
            added=float(self.added_seconds),
            status=clock.TurnStatus(self.status),
            spent_before=self.spent_seconds,
            running_since=self.running_since,
            started_at=self.started_at,
            ended_at=self.ended_at,
            point_of_order=self.takes_precedence,
        )

    def save_clock(self, new: clock.Turn, old: clock.Turn) -> None:
        """Store what an action made of the clock: `new`, read as `old` (the minutes the chair
        added are the difference of their allotted times). Writes the clock's columns only."""
        self.status = new.status.value
        self.added_seconds += round(new.allotted - old.allotted)
        self.spent_seconds = new.spent_before
        self.running_since = new.running_since
        self.started_at = new.started_at
        self.ended_at = new.ended_at
        self.save(update_fields=self.CLOCK_FIELDS)


class RevisedText(models.TextChoices):
    """The two texts kept of what a speaker said (NotesAndSummary)."""

    NOTES = "notes", _("Notes")
    SUMMARY = "summary", _("Summary")


class NotesAndSummary(models.Model):
    """What the secretariat keeps of what a speaker said: the notes taken live (internal) and
    the summary edited for the record. Each text has a version, raised by every save, so that
    a save written on top of an older version is kept aside instead of applied, and a history
    (meetings.services.revisions keeps that rule)."""

    notes = models.TextField(
        _("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)]
    )
    notes_version = models.PositiveIntegerField(_("notes version"), default=0)
    # The record: the secretariat's edited summary of what the speaker said.
    summary = models.TextField(
        _("summary"), blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)]
    )
    summary_version = models.PositiveIntegerField(_("summary version"), default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH)
                & LessThanOrEqual(Length("summary"), NOTES_MAX_LENGTH),
                name="%(class)s_notes_length",
            ),
        ]

    def text_and_version(self, which: RevisedText) -> tuple[str, int]:
        which = RevisedText(which)
        return getattr(self, which), getattr(self, f"{which}_version")

    def replace_text(self, which: RevisedText, text: str) -> None:
        """`text` becomes the current notes or summary, its version raised. Writes those two
        columns only."""
        which = RevisedText(which)
        setattr(self, which, text)
        setattr(self, f"{which}_version", self.text_and_version(which)[1] + 1)
        self.save(update_fields=[which, f"{which}_version"])


class TurnQuerySet(models.QuerySet):
    def in_live_order(self) -> "TurnQuerySet":
        """The turns that are part of the meeting as it runs: those of panelists who declined
        are left out (their seat's substitute, if any, has turns of their own). The one
        query behind the clock, the console, the screens, live.json, the run of show and the
        record, so that a decline leaves all of them at once."""
        return self.exclude(panelist__status=PanelistStatus.DECLINED).order_by(
            "round__number", "position", "pk"
        )


class Turn(SpeakingClock, NotesAndSummary):
    """A panelist's turn in a round: their place in the speaking order (round, position),
    their clock (SpeakingClock), what is kept of what they said (NotesAndSummary) and the
    mechanisms they propose to coordinate with."""

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
            *SpeakingClock.Meta.constraints,
            *NotesAndSummary.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.position} · {self.panelist}"

    @property
    def planned_seconds(self) -> int:
        return self.round.speaking_seconds

    @property
    def place_in_order(self) -> tuple[int, int]:
        return self.round.agenda_item.position, self.position


class TextRevision(Revision):
    """Every saved state of a turn's notes or summary (a panelist's turn, or an intervention:
    a remarks speaker's, a delegation's): nothing is ever lost, conflicts included, and any
    earlier text can be compared and restored."""

    turn = models.ForeignKey(
        Turn,
        verbose_name=_("turn"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    intervention = models.ForeignKey(
        "meetings.Intervention",
        verbose_name=_("intervention"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
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
            ),
            models.CheckConstraint(
                condition=Q(turn__isnull=False, intervention__isnull=True)
                | Q(turn__isnull=True, intervention__isnull=False),
                name="revision_of_one_speaker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} · {self.get_field_display()} · {self.saved_at:%H:%M:%S}"

    @property
    def speaker(self) -> "Turn | NotesAndSummary":
        """The turn or intervention whose text this is."""
        return self.turn if self.turn_id is not None else self.intervention
