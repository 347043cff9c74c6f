"""A meeting: when and where it is held, its console's message and live version, and
its question rounds."""

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.common.translation import TranslatedCharField, TranslatedTextField
from config.common.validators import validate_one_line
from mechanisms.models import Mechanism

# A round's question, in each language: what the projector display shows whole, at 1280x720
# too (static/js/fit-text.js scales it to its box; about 80 words).
QUESTION_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 200  # the console's message to the speaker, one line on every display
RESERVED_SLUGS = {"new"}  # paths under /meetings/ that are not meetings
# A speaking time, the meeting's and each round's: seven minutes unless set, from half a
# minute to an hour (checked by the forms and held by the database).
SPEAKING_SECONDS_DEFAULT = 420
SPEAKING_SECONDS_MIN = 30
SPEAKING_SECONDS_MAX = 3600


# The regions of the IANA time zone database ("Area/Location"). The names outside them are
# aliases kept for old systems (US/Eastern, Etc/GMT+5 whose sign is the reverse of what it
# reads, EST), or no place at all: "localtime" is the server's own zone, "Factory" a zone
# whose abbreviation says "time zone not set".
TIME_ZONE_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)
TIME_ZONES = (
    *sorted(
        name for name in zoneinfo.available_timezones() if name.split("/")[0] in TIME_ZONE_AREAS
    ),
    "UTC",
)
KNOWN_TIME_ZONES = frozenset(TIME_ZONES)


def validate_time_zone(name: str) -> None:
    """A real region of the IANA database (e.g. America/New_York), or UTC."""
    if name not in KNOWN_TIME_ZONES:
        raise ValidationError(
            _("“%(name)s” is not a known time zone: choose a region such as America/New_York."),
            params={"name": name},
        )


def validate_meeting_date(date: dt.date) -> None:
    # Far dates cannot even be converted to UTC; no meeting of ours is held there.
    if not 1900 <= date.year <= 2200:
        raise ValidationError(_("Choose a date between the years 1900 and 2200."))


# The days before each deadline when panelists who have not yet confirmed or submitted are
# reminded: each from one day to two months before, a few of them at most.
REMINDER_DAYS_DEFAULT = "7,2"
REMINDER_DAYS_MAX = 60
REMINDER_DAYS_PATTERN = re.compile(r"[ ]*[0-9]{1,2}[ ]*")


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """The days a rule such as "7,2" names, from the earliest reminder to the latest (7, 2);
    () for an empty rule. Raises ValidationError for anything else: a stray comma, a word,
    0, more than 60 days, a day named twice."""
    if not text.strip():
        return ()
    parts = text.split(",")
    if not all(REMINDER_DAYS_PATTERN.fullmatch(part) for part in parts):
        raise ValidationError(
            _("Write whole numbers of days separated by commas, e.g. 7,2."), code="format"
        )
    days = [int(part) for part in parts]
    if not all(1 <= day <= REMINDER_DAYS_MAX for day in days):
        raise ValidationError(
            _("Each day must be from 1 to %(max)d days before the deadline."),
            params={"max": REMINDER_DAYS_MAX},
            code="range",
        )
    if len(set(days)) != len(days):
        raise ValidationError(_("Name each day once."), code="repeated")
    return tuple(sorted(days, reverse=True))


def validate_reminder_days(text: str) -> None:
    parse_reminder_days(text)


def validate_meeting_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved; choose another."), params={"slug": slug})


def speaking_seconds_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        _("speaking time (seconds)"),
        default=SPEAKING_SECONDS_DEFAULT,
        validators=[
            MinValueValidator(SPEAKING_SECONDS_MIN),
            MaxValueValidator(SPEAKING_SECONDS_MAX),
        ],
    )


SPEAKING_SECONDS_IN_RANGE = Q(speaking_seconds__gte=SPEAKING_SECONDS_MIN) & Q(
    speaking_seconds__lte=SPEAKING_SECONDS_MAX
)


class MeetingConcluded(Exception):
    """The meeting is concluded: the panel's answers and replies are part of the record."""


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    CONCLUDED = "concluded", _("Concluded")


class QuickMessage(models.TextChoices):
    """The console's quick messages to the speaker: stored as their key, so that every screen
    shows them in its own language (a message typed by the chair is shown as typed)."""

    CONCLUDE = "conclude", _("Please conclude")
    ONE_MINUTE = "one_minute", _("One minute left")
    TIME_UP = "time_up", _("Your time is up")


class MeetingQuerySet(models.QuerySet):
    def public(self) -> "MeetingQuerySet":
        """Meetings the public may see: everything but drafts."""
        return self.exclude(status=MeetingStatus.DRAFT)

    def get_by_natural_key(self, slug: str) -> "Meeting":
        return self.get(slug=slug)


class Meeting(models.Model):
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_meeting_slug])
    # A Translated… field is stored as one column per language, title_en, title_es... (labels
    # and languages in meetings/translation.py); `meeting.title` reads the reader's language.
    title = TranslatedCharField(max_length=300, validators=[validate_one_line])
    document_reference = models.CharField(
        _("document reference"),
        max_length=60,
        blank=True,
        help_text=_("E.g. CIDRP03521E04."),
        validators=[validate_one_line],
    )
    date = models.DateField(_("date"), validators=[validate_meeting_date])
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("The time zone of the venue, e.g. America/New_York (OAS headquarters)."),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.HYBRID
    )
    venue = TranslatedCharField(max_length=300, blank=True, validators=[validate_one_line])
    virtual_link = models.URLField(_("virtual meeting link"), blank=True)
    convening_body = models.ForeignKey(
        Mechanism,
        verbose_name=_("convening body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convened_meetings",
    )
    chair = TranslatedCharField(max_length=300, blank=True, validators=[validate_one_line])
    concept_note = TranslatedTextField(blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    speaking_seconds = speaking_seconds_field()
    warning_seconds = models.PositiveIntegerField(
        _("warning before the end (seconds)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(600)],
    )
    # The run of show and the forecast count these around the agenda: remarks on the agenda
    # (the chair's opening remarks) are an item of their own, not counted here again.
    opening_minutes = models.PositiveIntegerField(
        _("opening (minutes)"),
        default=10,
        validators=[MaxValueValidator(240)],
        help_text=_(
            "Time before the first agenda item. Opening remarks on the agenda are counted "
            "with the agenda, not here."
        ),
    )
    closing_minutes = models.PositiveIntegerField(
        _("closing (minutes)"),
        default=10,
        validators=[MaxValueValidator(240)],
        help_text=_(
            "Time after the last agenda item. Closing remarks on the agenda are counted "
            "with the agenda, not here."
        ),
    )
    changeover_seconds = models.PositiveIntegerField(
        _("changeover between speakers (seconds)"),
        default=30,
        validators=[MaxValueValidator(600)],
        help_text=_("Time the chair needs to give the floor to the next speaker."),
    )
    # The deadlines panelists are reminded of (meetings/services/reminders.py): this one to
    # confirm their participation, each round's own for its written answer.
    confirmation_deadline = models.DateTimeField(
        _("confirm participation by"),
        null=True,
        blank=True,
        help_text=_("In the meeting's time zone. Leave empty for no deadline."),
    )
    reminder_days = models.CharField(
        _("reminders (days before each deadline)"),
        max_length=100,
        blank=True,
        default=REMINDER_DAYS_DEFAULT,
        validators=[validate_reminder_days],
        help_text=_(
            "Panelists who have not yet confirmed or submitted their answers are reminded "
            "this many days before each deadline, at the deadline's time of day: whole "
            "numbers from 1 to 60 separated by commas, e.g. 7,2. Leave empty to send no "
            "reminders."
        ),
    )
    # The live session: every change of its state raises the version (live.json's ETag).
    live_version = models.PositiveIntegerField(_("live version"), default=0, editable=False)
    # Raised whenever the meeting moves (date, times, time zone, place), so that calendars that
    # imported its event replace it (iCalendar SEQUENCE).
    calendar_sequence = models.PositiveIntegerField(
        _("calendar sequence"), default=0, editable=False
    )
    message = models.CharField(
        _("message to the speaker"),
        max_length=MESSAGE_MAX_LENGTH,
        blank=True,
        editable=False,
        validators=[validate_one_line],
    )
    # A quick message (QuickMessage) instead of a typed one: shown in each screen's language.
    message_key = models.CharField(
        _("quick message to the speaker"),
        max_length=20,
        choices=QuickMessage.choices,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    # The console's own fields: only its actions write them (meetings.services.live_session,
    # in a locked row); a whole save leaves them as they are stored (save).
    LIVE_FIELDS = ("live_version", "message", "message_key")
    # What a calendar shows of the event: a whole save that changes one raises
    # calendar_sequence, so that calendars replace the event they imported (save).
    CALENDAR_FIELDS = (
        "date",
        "start_time",
        "end_time",
        "time_zone",
        "venue_en",
        "venue_es",
        "venue_fr",
        "venue_pt",
        "virtual_link",
    )

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=SPEAKING_SECONDS_IN_RANGE,
                name="meeting_speaking_time_range",
            ),
            models.CheckConstraint(
                condition=Q(warning_seconds__lt=models.F("speaking_seconds")),
                name="meeting_warning_before_the_end",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(message_key__in=["", *QuickMessage.values]),
                name="meeting_message_key_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *, update_fields=None, **options) -> None:
        """Save the meeting, by one of two rules that `update_fields` tells apart.

        A save that names its fields writes exactly those, as Django's does: the console's
        actions (meetings.services.live_session) save so, in a locked row.

        A whole save of a stored meeting (no update_fields: a form, the admin, the archive's
        import, a script) writes every field but the console's (LIVE_FIELDS): this copy may
        have read them before a console action, and writing them back would undo the action's
        message and lower the version the screens follow. And when the meeting moved (a
        CALENDAR_FIELDS value differs from the stored one), it raises calendar_sequence, so
        that calendars replace the event they imported.

        A new meeting is written whole."""
        if update_fields is None and self.pk is not None and not self._state.adding:
            update_fields = self.fields_of_a_whole_save()
            self.raise_calendar_sequence_if_moved()
        super().save(update_fields=update_fields, **options)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})
        if (
            self.warning_seconds is not None
            and self.speaking_seconds is not None
            and self.warning_seconds >= self.speaking_seconds
        ):
            raise ValidationError(
                {"warning_seconds": _("The warning must come before the speaking time ends.")}
            )

    @property
    def join_link(self) -> str:
        """The link to join online, for those taking part (never the public): none for a
        meeting held in person, whatever the field still holds."""
        return "" if self.format == MeetingFormat.IN_PERSON else self.virtual_link

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=self.zone)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=self.zone)

    @property
    def message_text(self) -> str:
        """The message to the speaker as the active language says it: a quick message
        translated, a typed one as typed; "" when there is none."""
        if self.message_key in QuickMessage.values:
            return str(QuickMessage(self.message_key).label)
        return self.message

    @property
    def is_concluded(self) -> bool:
        return self.status == MeetingStatus.CONCLUDED

    @property
    def reminder_rule(self) -> tuple[int, ...]:
        """The days before each deadline when reminders go out, earliest first (7, 2)."""
        try:
            return parse_reminder_days(self.reminder_days)
        except ValidationError:  # saved around the validators (a script): no reminders
            return ()

    def rounds_follow_speaking_time(self, previous: int, *, keep: Iterable[int] = ()) -> None:
        """The meeting's speaking time changed from `previous`: the rounds that had it take
        the new one, except those (`keep`, by id) whose own time was just set by hand."""
        if previous != self.speaking_seconds:
            self.rounds.filter(speaking_seconds=previous).exclude(pk__in=list(keep)).update(
                speaking_seconds=self.speaking_seconds
            )

    def fields_of_a_whole_save(self) -> list[str]:
        return [
            field.name
            for field in self._meta.concrete_fields
            if not field.primary_key and field.name not in self.LIVE_FIELDS
        ]

    def raise_calendar_sequence_if_moved(self) -> None:
        """One more than the stored calendar_sequence when a CALENDAR_FIELDS value differs
        from the stored one (a whole save calls it)."""
        saved = (
            type(self)
            .objects.filter(pk=self.pk)
            .values("calendar_sequence", *self.CALENDAR_FIELDS)
            .first()
        )
        if saved and any(saved[name] != getattr(self, name) for name in self.CALENDAR_FIELDS):
            self.calendar_sequence = saved["calendar_sequence"] + 1

    def raise_live_version(self, *fields: str) -> None:
        """Raise the live version in this row, which the caller has locked, and save it with
        `fields`: live.json's ETag changes and every screen reloads it. For the actions that
        change turns (the console's, the speaking order), which no signal sees; a meeting,
        round, panelist or mechanism saved anywhere raises it through meetings.live.signals."""
        self.live_version += 1
        self.save(update_fields=["live_version", *fields])


class RoundManager(models.Manager):
    def get_by_natural_key(self, meeting_slug: str, number: int) -> "Round":
        return self.get(meeting__slug=meeting_slug, number=number)


class Round(models.Model):
    """A round of questions: every panelist answers the same question in turn."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = TranslatedCharField(max_length=200, blank=True, validators=[validate_one_line])
    question = TranslatedTextField(
        max_length=QUESTION_MAX_LENGTH, validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)]
    )
    speaking_seconds = speaking_seconds_field()
    answers_deadline = models.DateTimeField(
        _("written answers due by"),
        null=True,
        blank=True,
        help_text=_("In the meeting's time zone. Leave empty for no deadline."),
    )

    objects = RoundManager()

    # Its meeting's row is locked before its own (config/common/conflicts.py: one order, no
    # deadlock).
    LOCKED_AFTER = ("meeting",)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
            models.CheckConstraint(
                condition=SPEAKING_SECONDS_IN_RANGE,
                name="round_speaking_time_range",
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(number)d") % {"number": self.number}

    def save(self, *args, **kwargs) -> None:
        """A new round takes its place on the agenda (AgendaItem.place_round)."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            from meetings.models.agenda import AgendaItem  # the agenda module imports this one

            AgendaItem.place_round(self)

    def natural_key(self) -> tuple[str, int]:
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["meetings.meeting"]
