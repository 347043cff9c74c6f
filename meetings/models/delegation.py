"""The delegations of a meeting: member states, permanent observers and invited
organisations, who ask for the floor in the dialogue from their own link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_language

from config.common.translation import TranslatedCharField
from config.common.validators import email_lines, validate_email_lines, validate_one_line
from mechanisms.models import MemberState
from meetings.models.meeting import Meeting


class DelegationKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member state")
    OBSERVER = "observer", _("Permanent observer")
    ORGANISATION = "organisation", _("Invited organisation")


class Attendance(models.TextChoices):
    """Where a speaker or a delegation follows the meeting: in the room, online (the
    technician unmutes them), or (delegations) not present."""

    ABSENT = "absent", _("Not present")
    IN_ROOM = "in_room", _("In the room")
    ONLINE = "online", _("Online")


class ConfirmedAttendance(models.TextChoices):
    """What a delegation answered to the convocation, from its floor link."""

    IN_ROOM = "in_room", _("In the room")
    ONLINE = "online", _("Online")
    NOT_ATTENDING = "not_attending", _("Will not attend")


class DelegationQuerySet(models.QuerySet):
    def get_by_natural_key(self, meeting_slug: str, code: str) -> "Delegation":
        return self.get(meeting__slug=meeting_slug, code=code)


class Delegation(models.Model):
    """A delegation at one meeting: a member state's (its name from the reference table, in
    every language), or an observer's or organisation's, named as the secretariat types it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="delegations"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DelegationKind.choices, default=DelegationKind.OBSERVER
    )
    state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
    )
    # A state's two-letter code; an observer's or organisation's short code (e.g. ES, IOM).
    code = models.CharField(
        _("code"),
        max_length=12,
        validators=[validate_one_line],
        help_text=_("A short code: the state's two letters, or the organisation's acronym."),
    )
    # Observers and organisations: their name in every language (a state's comes from the
    # reference table).
    name = TranslatedCharField(max_length=200, blank=True, validators=[validate_one_line])
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.ABSENT
    )
    # Whom the convocation goes to: an observer's or organisation's own addresses; a member
    # state's come from the directory (MemberState.addresses), these being this meeting's extra.
    addresses = models.TextField(
        _("email addresses"),
        blank=True,
        validators=[validate_email_lines],
        help_text=_(
            "One per line. A member state's mission addresses come from the directory: add "
            "here only those for this meeting."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("", _("Not set")), *settings.LANGUAGES],
        default="",
        blank=True,
        help_text=_("The language of its emails. Not set: its state's, else English."),
    )
    # Its answer to the convocation (the roll call, `attendance`, is the secretariat's).
    confirmed_attendance = models.CharField(
        _("confirmed attendance"),
        max_length=20,
        choices=ConfirmedAttendance.choices,
        default="",
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The floor link: see meetings/services/links.py. Only a salt and a digest are stored.
    link_salt = models.CharField(max_length=32, blank=True, editable=False)
    link_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DelegationQuerySet.as_manager()

    LOCKED_AFTER = ("meeting",)

    class Meta:
        ordering = ["meeting", "kind", "code"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="delegation_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=DelegationKind.values), name="delegation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=Attendance.values), name="delegation_attendance_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=DelegationKind.MEMBER_STATE, state__isnull=False)
                | (~Q(kind=DelegationKind.MEMBER_STATE) & ~Q(name_en="")),
                name="delegation_state_or_name",
            ),
            models.CheckConstraint(
                condition=Q(link_digest__isnull=True) | ~Q(link_salt=""),
                name="delegation_link_has_salt",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_attendance__in=["", *ConfirmedAttendance.values]),
                name="delegation_confirmed_attendance_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def natural_key(self) -> tuple[str, str]:
        return (*self.meeting.natural_key(), self.code)

    natural_key.dependencies = ["meetings.meeting", "mechanisms.memberstate"]

    @property
    def party(self) -> str:
        """Whom the delegation represents, in the active language (Mexico, Spain, IOM)."""
        if self.state_id is not None:
            return self.state.name
        return self.name

    @property
    def display_name(self) -> str:
        """As the screens and the record name it: "Delegation of Mexico"; an organisation by
        its own name."""
        if self.kind == DelegationKind.ORGANISATION:
            return self.name
        if self.state_id is not None:
            # the reference table's own wording in this language, article included
            named = getattr(self.state, build_localized_fieldname("delegation", get_language()), "")
            if named:
                return named
        return _("Delegation of %(party)s") % {"party": self.party}

    @property
    def is_present(self) -> bool:
        return self.attendance != Attendance.ABSENT

    @property
    def is_online(self) -> bool:
        return self.attendance == Attendance.ONLINE

    @property
    def has_link(self) -> bool:
        return self.link_digest is not None

    @property
    def email_addresses(self) -> list[str]:
        """Where its convocation goes: its state's mission addresses, then its own."""
        directory = self.state.addresses if self.state_id is not None else ""
        return email_lines(f"{directory}\n{self.addresses}")

    @property
    def email_language(self) -> str:
        """The language of its emails: its own, else its state's, else English."""
        if self.language:
            return self.language
        if self.state_id is not None and self.state.language:
            return self.state.language
        return settings.LANGUAGE_CODE

    @property
    def has_confirmed(self) -> bool:
        return bool(self.confirmed_attendance)


class Representative(models.Model):
    """A person a delegation names to represent it at the meeting, from its floor link."""

    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    title = models.CharField(
        _("title or role"), max_length=200, blank=True, validators=[validate_one_line]
    )
    email = models.EmailField(_("email"), blank=True)
    is_head = models.BooleanField(_("head of delegation"), default=False)

    LOCKED_AFTER = ("delegation",)

    class Meta:
        ordering = ["delegation", "position"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(is_head=True),
                name="representative_one_head",
            ),
        ]

    def __str__(self) -> str:
        return self.name
