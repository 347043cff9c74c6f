"""The delegations of a meeting: member states, permanent observers and invited
organisations, who ask for the floor in the dialogue from their own link."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_language

from config.common.translation import TranslatedCharField
from config.common.validators import validate_one_line
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
