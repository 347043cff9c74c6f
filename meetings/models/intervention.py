"""Interventions: the turns that are not a panelist's in a round. A named speaker's remarks
(the Chair's opening), and a delegation's time on the floor in the dialogue, from its request
(or a point of order) to the end of its clock."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.common.translation import TranslatedCharField
from config.common.validators import validate_one_line
from meetings.models.agenda import AgendaItem
from meetings.models.delegation import Attendance, Delegation
from meetings.models.meeting import Meeting
from meetings.models.turn import CURRENT_TURN_STATUSES, NotesAndSummary, SpeakingClock, TurnStatus


class RequestSource(models.TextChoices):
    PLANNED = "planned", _("On the agenda")
    FLOOR_PAGE = "floor_page", _("Asked from the floor page")
    CHAIR = "chair", _("Added by the chair")


class InterventionQuerySet(models.QuerySet):
    def waiting_requests(self) -> "InterventionQuerySet":
        """Delegations waiting for the floor, points of order first, then in the order asked."""
        return self.filter(delegation__isnull=False, status=TurnStatus.PENDING).order_by(
            "-point_of_order", "position", "pk"
        )


class Intervention(SpeakingClock, NotesAndSummary):
    """A speaker's time on the floor in a remarks or dialogue item (or a point of order in any
    item): who speaks, their place in the item's order, their clock and what is kept of what
    they said. A delegation's request for the floor is an intervention waiting its turn."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="interventions"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="interventions",
    )
    position = models.PositiveIntegerField(_("position"))
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interventions",
    )
    # A named speaker (remarks): who they are, in every language ("Chair of the CAM"), and
    # their name when known.
    speaker = TranslatedCharField(max_length=200, blank=True, validators=[validate_one_line])
    speaker_name = models.CharField(
        _("speaker's name"), max_length=200, blank=True, validators=[validate_one_line]
    )
    attendance = models.CharField(
        _("attendance"),
        max_length=10,
        choices=[(value, label) for value, label in Attendance.choices if value != "absent"],
        default=Attendance.IN_ROOM,
        help_text=_("A delegation's intervention follows the delegation's attendance."),
    )
    point_of_order = models.BooleanField(_("point of order"), default=False)
    source = models.CharField(
        _("source"), max_length=20, choices=RequestSource.choices, default=RequestSource.PLANNED
    )
    requested_at = models.DateTimeField(_("asked at"), null=True, blank=True)

    objects = InterventionQuerySet.as_manager()

    LOCKED_AFTER = ("meeting",)

    class Meta:
        ordering = ["item__position", "position", "pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status__in=CURRENT_TURN_STATUSES),
                name="intervention_one_current_per_meeting",
            ),
            # One waiting request per delegation, and one waiting point of order: a double
            # click or a second device of the delegation adds nothing.
            models.UniqueConstraint(
                fields=["delegation", "point_of_order"],
                condition=Q(status=TurnStatus.PENDING, delegation__isnull=False),
                name="intervention_one_waiting_request",
            ),
            models.UniqueConstraint(
                fields=["item", "position"], name="intervention_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(delegation__isnull=False) | ~Q(speaker_en=""),
                name="intervention_has_a_speaker",
            ),
            *SpeakingClock.Meta.constraints,
            *NotesAndSummary.Meta.constraints,
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.position} · {self.speaker_label}"

    @property
    def speaker_label(self) -> str:
        """Who speaks, as the screens say it: "Delegation of Mexico"; "Chair of the CAM, Ana
        Pérez"."""
        if self.delegation_id is not None:
            return self.delegation.display_name
        if self.speaker_name:
            return f"{self.speaker}, {self.speaker_name}"
        return self.speaker

    @property
    def is_online(self) -> bool:
        if self.delegation_id is not None:
            return self.delegation.is_online
        return self.attendance == Attendance.ONLINE

    @property
    def planned_seconds(self) -> int:
        return self.item.speaker_seconds

    @property
    def place_in_order(self) -> tuple[int, int]:
        return self.item.position, self.position

    @property
    def clock_id(self) -> str:
        return f"intervention-{self.pk}"

    @property
    def takes_precedence(self) -> bool:
        return self.point_of_order
