"""The panel: one seat per mechanism, the person who holds it and their answer to the
invitation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.common.validators import validate_one_line
from mechanisms.models import Mechanism
from meetings.honorifics import Honorific, salutation, written
from meetings.models.delegation import Attendance
from meetings.models.meeting import Meeting

DECLINE_REASON_MAX_LENGTH = 2_000


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
    attendance = models.CharField(
        _("attendance"),
        max_length=10,
        choices=[(value, label) for value, label in Attendance.choices if value != "absent"],
        default=Attendance.IN_ROOM,
        help_text=_("Online: the technician unmutes them when they have the floor."),
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
