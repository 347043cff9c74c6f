"""The agenda: a meeting's items in order (remarks, question rounds, the dialogue with the
delegations, a break), each with its speaking time per speaker."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.common.translation import TranslatedCharField
from config.common.validators import validate_one_line
from meetings.domain import clock
from meetings.models.meeting import (
    SPEAKING_SECONDS_MAX,
    SPEAKING_SECONDS_MIN,
    Meeting,
    Round,
)

ITEM_KIND_LABELS = {
    clock.ItemKind.REMARKS: _("Remarks"),
    clock.ItemKind.ROUND: _("Question round"),
    clock.ItemKind.DIALOGUE: _("Dialogue with delegations"),
    clock.ItemKind.OTHER: _("Other (no speakers)"),
}
ItemKind = models.TextChoices(
    "ItemKind",
    [(kind.name, (kind.value, ITEM_KIND_LABELS[kind])) for kind in clock.ItemKind],
    module=__name__,
)
# The kinds whose speakers are given a speaking time of the item's own (a round's is the
# round's).
TIMED_KINDS = (ItemKind.REMARKS, ItemKind.DIALOGUE)
PLANNED_MINUTES_MAX = 600


class AgendaItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, meeting_slug: str, position: int) -> "AgendaItem":
        return self.get(meeting__slug=meeting_slug, position=position)


class AgendaItem(models.Model):
    """One item of a meeting's agenda, taken in the order of `position`.

    A question round is an item whose `round` holds the question and the speaking time; the
    other kinds carry their own title in every language. Remarks have named speakers and a
    dialogue the delegations' interventions (Intervention); a break or a video only its
    planned minutes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("position"), validators=[MinValueValidator(1)])
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    # A round's title is the round's own (Round.title); every other item has one here.
    title = TranslatedCharField(max_length=200, blank=True, validators=[validate_one_line])
    round = models.OneToOneField(
        Round,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_item",
    )
    speaking_seconds = models.PositiveIntegerField(
        _("speaking time per speaker (seconds)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(SPEAKING_SECONDS_MIN),
            MaxValueValidator(SPEAKING_SECONDS_MAX),
        ],
        help_text=_("Remarks and dialogue: the time each speaker is given."),
    )
    planned_minutes = models.PositiveSmallIntegerField(
        _("planned time (minutes)"),
        default=0,
        validators=[MaxValueValidator(PLANNED_MINUTES_MAX)],
        help_text=_(
            "The time the item takes in the run of show when it has no speakers to count "
            "(a break, a video), or the time set aside for the dialogue."
        ),
    )
    # The dialogue's list of speakers: requests for the floor are taken while it is open.
    accepts_requests = models.BooleanField(_("list of speakers open"), default=True)
    # Set by Next item: the item is over, whatever its turns say.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    LOCKED_AFTER = ("meeting",)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="agenda_item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.ROUND, round__isnull=False)
                | (~Q(kind=ItemKind.ROUND) & Q(round__isnull=True)),
                name="agenda_item_round_iff_kind_round",
            ),
            models.CheckConstraint(
                condition=Q(speaking_seconds__isnull=True)
                | Q(speaking_seconds__gte=SPEAKING_SECONDS_MIN)
                & Q(speaking_seconds__lte=SPEAKING_SECONDS_MAX),
                name="agenda_item_speaking_time_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.heading}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.meeting.natural_key(), self.position)

    natural_key.dependencies = ["meetings.meeting", "meetings.round"]

    @property
    def heading(self) -> str:
        """The item's title in the active language; a round's: "Round 1: its title"."""
        if self.round_id is not None:
            round_ = self.round
            if round_.title:
                return _("Round %(number)d: %(title)s") % {
                    "number": round_.number,
                    "title": round_.title,
                }
            return str(round_)
        return self.title or str(self.get_kind_display())

    @property
    def speaker_seconds(self) -> int:
        """The time each speaker of the item is given (a round's: the round's)."""
        if self.round_id is not None:
            return self.round.speaking_seconds
        return self.speaking_seconds or self.meeting.speaking_seconds

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def to_item(self) -> clock.Item:
        return clock.Item(
            self.position, clock.ItemKind(self.kind), self.is_closed, self.planned_minutes * 60.0
        )

    @classmethod
    @transaction.atomic
    def place_round(cls, round_: Round) -> "AgendaItem":
        """The agenda item of a new round: after the meeting's last round (the items after it
        move down one place), or at the end of an agenda without rounds."""
        items = list(cls.objects.filter(meeting=round_.meeting_id).order_by("position"))
        rounds = [item for item in items if item.kind == ItemKind.ROUND]
        position = (rounds[-1].position + 1) if rounds else (items[-1].position + 1 if items else 1)
        make_room(round_.meeting_id, position)
        return cls.objects.create(
            meeting_id=round_.meeting_id, position=position, kind=ItemKind.ROUND, round=round_
        )


def make_room(meeting_id: int, position: int) -> None:
    """Move the items at `position` and after down one place (the last first: positions are
    unique at every step)."""
    later = AgendaItem.objects.filter(meeting=meeting_id, position__gte=position)
    for item in later.order_by("-position"):
        AgendaItem.objects.filter(pk=item.pk).update(position=item.position + 1)
