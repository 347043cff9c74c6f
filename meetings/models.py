"""Meetings, their question rounds, the panel, the speaking order and the answers."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.common.translation import Translated
from config.common.validators import validate_one_line
from mechanisms.models import Mechanism
from meetings.honorifics import Honorific, salutation, written

ANSWER_MAX_LENGTH = 20_000
# A round's question, in each language: what the projector display shows whole, at 1280x720
# too (static/js/fit-text.js scales it to its box; about 80 words).
QUESTION_MAX_LENGTH = 500
NOTES_MAX_LENGTH = 50_000
MESSAGE_MAX_LENGTH = 200  # the console's message to the speaker, one line on every display
DECLINE_REASON_MAX_LENGTH = 2_000
RESERVED_SLUGS = {"new"}  # paths under /meetings/ that are not meetings


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


def validate_meeting_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved; choose another."), params={"slug": slug})


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


class Meeting(models.Model):
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_meeting_slug])
    title_en = models.CharField(
        _("title (English)"), max_length=300, validators=[validate_one_line]
    )
    title_es = models.CharField(
        _("title (Spanish)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    title_pt = models.CharField(
        _("title (Portuguese)"), max_length=300, blank=True, validators=[validate_one_line]
    )
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
    venue_en = models.CharField(
        _("venue (English)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    venue_es = models.CharField(
        _("venue (Spanish)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    venue_fr = models.CharField(
        _("venue (French)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    venue_pt = models.CharField(
        _("venue (Portuguese)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    virtual_link = models.URLField(_("virtual meeting link"), blank=True)
    convening_body = models.ForeignKey(
        Mechanism,
        verbose_name=_("convening body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convened_meetings",
    )
    chair_en = models.CharField(
        _("chair (English)"),
        max_length=300,
        blank=True,
        help_text=_("Who chairs and moderates."),
        validators=[validate_one_line],
    )
    chair_es = models.CharField(
        _("chair (Spanish)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    chair_fr = models.CharField(
        _("chair (French)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    chair_pt = models.CharField(
        _("chair (Portuguese)"), max_length=300, blank=True, validators=[validate_one_line]
    )
    concept_note_en = models.TextField(_("concept note (English)"), blank=True)
    concept_note_es = models.TextField(_("concept note (Spanish)"), blank=True)
    concept_note_fr = models.TextField(_("concept note (French)"), blank=True)
    concept_note_pt = models.TextField(_("concept note (Portuguese)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    speaking_seconds = models.PositiveIntegerField(
        _("speaking time (seconds)"),
        default=420,
        validators=[MinValueValidator(30), MaxValueValidator(3600)],
    )
    warning_seconds = models.PositiveIntegerField(
        _("warning before the end (seconds)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(600)],
    )
    opening_minutes = models.PositiveIntegerField(
        _("opening (minutes)"), default=10, validators=[MaxValueValidator(240)]
    )
    closing_minutes = models.PositiveIntegerField(
        _("closing (minutes)"), default=10, validators=[MaxValueValidator(240)]
    )
    changeover_seconds = models.PositiveIntegerField(
        _("changeover between speakers (seconds)"),
        default=30,
        validators=[MaxValueValidator(600)],
        help_text=_("Time the chair needs to give the floor to the next speaker."),
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

    title = Translated()
    venue = Translated()
    chair = Translated()
    concept_note = Translated()

    objects = MeetingQuerySet.as_manager()

    # The console's own fields: only its actions write them (meetings.services.live_session,
    # in a locked row).
    LIVE_FIELDS = ("live_version", "message", "message_key")
    # What a calendar shows of the event: a change here must replace the imported event.
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
                condition=Q(speaking_seconds__gte=30) & Q(speaking_seconds__lte=3600),
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

    def save(self, *args, **kwargs):
        """A meeting saved whole (a form, the admin) writes everything but the console's
        fields, which it may hold from before a console action: saving them back would undo
        the action's message and lower the version the screens follow."""
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.LIVE_FIELDS
            ]
            self.raise_calendar_sequence_if_moved()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.slug])

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

    def rounds_follow_speaking_time(self, previous: int, *, keep: Iterable[int] = ()) -> None:
        """The meeting's speaking time changed from `previous`: the rounds that had it take
        the new one, except those (`keep`, by id) whose own time was just set by hand."""
        if previous != self.speaking_seconds:
            self.rounds.filter(speaking_seconds=previous).exclude(pk__in=list(keep)).update(
                speaking_seconds=self.speaking_seconds
            )

    def raise_calendar_sequence_if_moved(self) -> None:
        saved = (
            type(self)
            .objects.filter(pk=self.pk)
            .values("calendar_sequence", *self.CALENDAR_FIELDS)
            .first()
        )
        if saved and any(saved[name] != getattr(self, name) for name in self.CALENDAR_FIELDS):
            self.calendar_sequence = saved["calendar_sequence"] + 1

    def touch_live(self) -> None:
        """Something the screens show has changed (the panel, the order, a question): raise
        the live version, so that live.json's ETag changes and every screen reloads it."""
        from meetings.live.signals import raise_live_versions  # it sits above the models

        raise_live_versions([self.pk])


class Round(models.Model):
    """A round of questions: every panelist answers the same question in turn."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_one_line]
    )
    title_es = models.CharField(
        _("title (Spanish)"), max_length=200, blank=True, validators=[validate_one_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=200, blank=True, validators=[validate_one_line]
    )
    title_pt = models.CharField(
        _("title (Portuguese)"), max_length=200, blank=True, validators=[validate_one_line]
    )
    question_en = models.TextField(
        _("question (English)"),
        max_length=QUESTION_MAX_LENGTH,
        validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)],
    )
    question_es = models.TextField(
        _("question (Spanish)"),
        blank=True,
        max_length=QUESTION_MAX_LENGTH,
        validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)],
    )
    question_fr = models.TextField(
        _("question (French)"),
        blank=True,
        max_length=QUESTION_MAX_LENGTH,
        validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)],
    )
    question_pt = models.TextField(
        _("question (Portuguese)"),
        blank=True,
        max_length=QUESTION_MAX_LENGTH,
        validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)],
    )
    speaking_seconds = models.PositiveIntegerField(
        _("speaking time (seconds)"),
        default=420,
        validators=[MinValueValidator(30), MaxValueValidator(3600)],
    )

    title = Translated()
    question = Translated()

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
                condition=Q(speaking_seconds__gte=30) & Q(speaking_seconds__lte=3600),
                name="round_speaking_time_range",
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(number)d") % {"number": self.number}


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PanelistStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Panelist(models.Model):
    """A seat on the panel for one mechanism; the person may be "to be confirmed"."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="panelists"
    )
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="panelists"
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty while to be confirmed."),
        validators=[validate_one_line],
    )
    # A key of meetings.honorifics.Honorific, written in the reader's language; `other` is
    # the text of `honorific_other`, as typed.
    honorific = models.CharField(
        _("honorific"),
        max_length=20,
        blank=True,
        default="",
        choices=Honorific.choices,
        help_text=_("Written in each reader's language (Ms. is Sra. in Spanish, Mme in French)."),
    )
    honorific_other = models.CharField(
        _("other honorific"),
        max_length=60,
        blank=True,
        help_text=_("When the honorific is “Other”: as it is to be written, in every language."),
        validators=[validate_one_line],
    )
    position = models.CharField(
        _("position"), max_length=300, blank=True, validators=[validate_one_line]
    )
    organisation = models.CharField(
        _("organisation"), max_length=300, blank=True, validators=[validate_one_line]
    )
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("", _("Not set")), *settings.LANGUAGES],
        default="",
        blank=True,
        help_text=_(
            "The language of their emails and personal page. Not set: the page follows their "
            "browser, and emails are in English."
        ),
    )
    bio = models.TextField(_("short bio"), blank=True, validators=[MaxLengthValidator(5000)])
    status = models.CharField(
        _("status"), max_length=20, choices=PanelistStatus.choices, default=PanelistStatus.INVITED
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    decline_reason = models.TextField(
        _("reason for declining"),
        blank=True,
        validators=[MaxLengthValidator(DECLINE_REASON_MAX_LENGTH)],
        help_text=_("As the panelist gave it; for the secretariat only, never public."),
    )
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("substitute for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
        help_text=_("The panelist who declined and whose places this one takes."),
    )
    # The personal link: see meetings/services/links.py. Only a salt and a digest are stored.
    link_salt = models.CharField(max_length=32, blank=True, editable=False)
    # NULL, not "", when there is no link: unique must hold among real digests only.
    link_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Its meeting's row is locked before its own (config/common/conflicts.py: one order, no
    # deadlock).
    LOCKED_AFTER = ("meeting",)

    class Meta:
        ordering = ["meeting", "mechanism__position", "pk"]
        verbose_name = _("panelist")
        verbose_name_plural = _("panelists")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PanelistStatus.values), name="panelist_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(link_digest__isnull=True) | ~Q(link_salt=""),
                name="panelist_link_has_salt",
            ),
            models.CheckConstraint(
                condition=Q(honorific__in=Honorific.values), name="panelist_honorific_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.mechanism.acronym})"

    @property
    def is_to_be_confirmed(self) -> bool:
        return not self.name.strip()

    def clean(self) -> None:
        if self.honorific == Honorific.OTHER and not self.honorific_other.strip():
            raise ValidationError(
                {"honorific_other": _("Write the honorific, or choose one of the list.")}
            )
        if self.honorific != Honorific.OTHER:
            self.honorific_other = ""  # only "Other" is written as typed

    @property
    def honorific_text(self) -> str:
        """The honorific as the active language writes it ("Sra." in Spanish)."""
        return written(self.honorific, self.honorific_other)

    @property
    def display_name(self) -> str:
        if self.is_to_be_confirmed:
            return str(_("To be confirmed"))
        return f"{self.honorific_text} {self.name}".strip()

    @property
    def salutation(self) -> str:
        """The first line of their emails, in the active language, agreed with the
        honorific's gender where it tells one ("Estimada Sra. Ana Pérez:")."""
        if self.is_to_be_confirmed:
            return str(_("Dear panelist,"))
        return salutation(self.display_name, self.honorific)

    @property
    def has_declined(self) -> bool:
        return self.status == PanelistStatus.DECLINED

    @property
    def substitute(self) -> "Panelist | None":
        """Who holds the seat of this panelist, who declined: the substitute named for them
        who has not declined in turn (None when there is none)."""
        return next(
            (other for other in self.substitutes.all() if other.status != PanelistStatus.DECLINED),
            None,
        )

    @property
    def has_link(self) -> bool:
        return self.link_digest is not None

    @property
    def email_language(self) -> str:
        """The language of their emails: the one the secretariat set, else English."""
        return self.preferred_language or settings.LANGUAGE_CODE


class TurnStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    READY = "ready", _("Has the floor")
    RUNNING = "running", _("Speaking")
    PAUSED = "paused", _("Paused")
    FINISHED = "finished", _("Finished")
    SKIPPED = "skipped", _("Skipped")


CURRENT_TURN_STATUSES = [TurnStatus.READY, TurnStatus.RUNNING, TurnStatus.PAUSED]


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


class Revision(models.Model):
    """One saved state of a text several people may write (revisions.write): when it was
    saved, and whether it was saved over a newer text (kept, not applied), newest first."""

    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    conflicted = models.BooleanField(
        _("conflicting edit"),
        default=False,
        help_text=_("Saved while someone else had changed the text: kept, not applied."),
    )

    class Meta:
        abstract = True
        ordering = ["-saved_at", "-pk"]


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


class Answer(models.Model):
    """A panelist's written answer to a round's question.

    The panelist works on a draft (autosaved); submitting copies it to the
    submitted text, which is what the secretariat and the record see. Editing
    after submitting changes the draft only, until it is submitted again.
    """

    panelist = models.ForeignKey(
        Panelist, verbose_name=_("panelist"), on_delete=models.CASCADE, related_name="answers"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="answers"
    )
    draft_text = models.TextField(
        _("draft"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)]
    )
    submitted_text = models.TextField(
        _("submitted answer"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    saved_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Raised by every change of the draft: a save carries the version its page started from,
    # and one made over a newer version is refused (meetings/services/answers.py).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        ordering = ["round__number", "panelist"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["panelist", "round"], name="answer_once_per_round"),
            models.CheckConstraint(
                condition=Q(status__in=AnswerStatus.values), name="answer_status_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("draft_text"), ANSWER_MAX_LENGTH)
                & LessThanOrEqual(Length("submitted_text"), ANSWER_MAX_LENGTH),
                name="answer_text_length",
            ),
            models.CheckConstraint(
                condition=(Q(status=AnswerStatus.SUBMITTED) & Q(submitted_at__isnull=False))
                | (Q(status=AnswerStatus.DRAFT) & Q(submitted_at__isnull=True)),
                name="answer_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panelist} · {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.status == AnswerStatus.SUBMITTED

    @property
    def has_unsubmitted_changes(self) -> bool:
        return self.is_submitted and self.draft_text != self.submitted_text


class AnswerRevision(Revision):
    """Every text of an answer that was saved as a draft or submitted, conflicting saves
    included (kept, not applied): the staff read the answer's history, nothing is lost."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(
        _("saved as"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    text = models.TextField(_("text"), validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)])

    class Meta(Revision.Meta):
        verbose_name = _("answer revision")
        verbose_name_plural = _("answer revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AnswerStatus.values), name="answer_revision_kind_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), ANSWER_MAX_LENGTH),
                name="answer_revision_text_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer} · {self.get_kind_display()} · {self.saved_at:%H:%M:%S}"


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
