"""The states of the Americas and the migration mechanisms they take part in."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from config.common.translation import TranslatedCharField, TranslatedTextField
from config.common.validators import email_lines, validate_email_lines, validate_one_line

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


def acronym_and_name(acronym: str, name: str) -> str:
    """ "CSM — South American Conference on Migration", but "Quito Process" once where a
    mechanism's acronym is its name (never "Proceso de Quito — Proceso de Quito")."""
    if " ".join(acronym.split()).casefold() == " ".join(name.split()).casefold():
        return name
    return f"{acronym} — {name}" if name else acronym


class Subregion(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    CENTRAL_AMERICA = "central_america", _("Central America")
    CARIBBEAN = "caribbean", _("Caribbean")
    SOUTH_AMERICA = "south_america", _("South America")


class OASStatus(models.TextChoices):
    MEMBER = "member", _("Member state")
    NOT_PARTICIPATING = "not_participating", _("Not participating")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONTESTED = "contested", _("Representation contested")


# Natural keys name a row the same way in every database (its code or slug, never its id):
# Django's serialisers and the meeting archive refer to the directory by them.
class ByCode(models.Manager):
    def get_by_natural_key(self, code: str) -> "MemberState":
        return self.get(code=code)


class BySlug(models.Manager):
    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


class MemberState(models.Model):
    """One of the 35 states of the Americas that signed the OAS Charter."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters (ISO 3166-1)."))],
    )
    alpha3 = models.CharField(
        _("ISO alpha-3 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters (ISO 3166-1)."))],
    )
    # A Translated… field is stored as one column per language, name_en, name_es... (labels
    # and languages in mechanisms/translation.py); `state.name` reads the reader's language.
    name = TranslatedCharField(max_length=100, validators=[validate_one_line])
    subregion = models.CharField(_("subregion"), max_length=20, choices=Subregion.choices)
    oas_status = models.CharField(
        _("OAS status"), max_length=20, choices=OASStatus.choices, default=OASStatus.MEMBER
    )
    status_note = TranslatedTextField(blank=True)
    # How its delegation is named in each language, with the article the language puts before
    # the state ("Délégation du Mexique", "Delegação dos Estados Unidos").
    delegation = TranslatedCharField(max_length=150, blank=True, validators=[validate_one_line])
    # Where its delegation is convened: the permanent mission's addresses, and the language
    # its emails are written in (a meeting's delegation may add addresses of its own).
    addresses = models.TextField(
        _("mission email addresses"),
        blank=True,
        validators=[validate_email_lines],
        help_text=_("The permanent mission's email addresses, one per line."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails to its delegation."),
    )

    objects = ByCode()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        constraints = [
            models.CheckConstraint(
                condition=Q(subregion__in=Subregion.values), name="member_state_subregion_valid"
            ),
            models.CheckConstraint(
                condition=Q(oas_status__in=OASStatus.values), name="member_state_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def email_addresses(self) -> list[str]:
        return email_lines(self.addresses)

    @property
    def is_plain_member(self) -> bool:
        return self.oas_status == OASStatus.MEMBER


class Organisation(models.Model):
    """An international organisation that hosts or leads a mechanism (OAS, UNHCR, IOM...)."""

    slug = models.SlugField(_("slug"), unique=True)
    acronym = TranslatedCharField(max_length=20, validators=[validate_one_line])
    name = TranslatedCharField(max_length=200, validators=[validate_one_line])

    objects = BySlug()

    class Meta:
        ordering = ["acronym_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def label(self) -> str:
        return acronym_and_name(self.acronym, self.name)


class MechanismKind(models.TextChoices):
    REGIONAL_CONSULTATIVE_PROCESS = (
        "regional_consultative_process",
        _("Regional consultative process"),
    )
    OAS_BODY = "oas_body", _("OAS body")
    REFUGEE_PROTECTION_FRAMEWORK = "refugee_protection_framework", _("Refugee protection framework")
    INTERGOVERNMENTAL_COOPERATION_PROCESS = (
        "intergovernmental_cooperation_process",
        _("Intergovernmental cooperation process"),
    )
    INTERAGENCY_COORDINATION_PLATFORM = (
        "interagency_coordination_platform",
        _("Inter-agency coordination platform"),
    )
    GLOBAL_COMPACT = "global_compact", _("Global compact")


class MechanismStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    NOT_IN_OPERATION = "not_in_operation", _("Not in operation")


class MechanismQuerySet(models.QuerySet):
    SEARCH_FIELDS = ("acronym", "name", "other_name", "description")

    def search(self, text: str) -> "MechanismQuerySet":
        """Mechanisms whose acronym, names or description contain the text, in any language."""
        text = text.strip()
        if not text:
            return self
        condition = Q()
        for field in self.SEARCH_FIELDS:
            for column in get_translation_fields(field):
                condition |= Q(**{f"{column}__icontains": text})
        return self.filter(condition)

    def get_by_natural_key(self, slug: str) -> "Mechanism":
        return self.get(slug=slug)

    def for_directory(self) -> "MechanismQuerySet":
        # Ordering is explicit: an aggregate query does not inherit Meta.ordering everywhere.
        return (
            self.select_related("parent_organisation")
            .annotate(member_count=Count("memberships"))
            .order_by("position", "acronym_en")
        )


class Mechanism(models.Model):
    """A regional or international process, platform or compact on migration."""

    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the directory (the concept note's order).")
    )
    acronym = TranslatedCharField(max_length=40, validators=[validate_one_line])
    name = TranslatedCharField(max_length=200, validators=[validate_one_line])
    other_name = TranslatedCharField(max_length=200, blank=True, validators=[validate_one_line])
    kind = models.CharField(_("kind"), max_length=40, choices=MechanismKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=MechanismStatus.choices, default=MechanismStatus.ACTIVE
    )
    year_established = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    founding_instrument = TranslatedCharField(
        max_length=300, blank=True, validators=[validate_one_line]
    )
    predecessor_name = TranslatedCharField(
        max_length=200, blank=True, validators=[validate_one_line]
    )
    predecessor_from = models.PositiveSmallIntegerField(
        _("predecessor from (year)"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    predecessor_until = models.PositiveSmallIntegerField(
        _("predecessor until (year)"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    parent_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_mechanisms",
    )
    lead_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("lead organisations"),
        blank=True,
        related_name="led_mechanisms",
    )
    stated_country_count = models.PositiveIntegerField(
        _("countries (as stated)"),
        null=True,
        blank=True,
        help_text=_("A number of countries the concept note gives without naming them."),
    )
    stated_partner_count = models.PositiveIntegerField(
        _("partner organisations (as stated)"), null=True, blank=True
    )
    membership_note = TranslatedTextField(blank=True)
    description = TranslatedTextField()
    member_states = models.ManyToManyField(
        MemberState,
        verbose_name=_("member states"),
        through="Membership",
        related_name="mechanisms",
        blank=True,
    )

    objects = MechanismQuerySet.as_manager()

    class Meta:
        ordering = ["position", "acronym_en"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MechanismKind.values), name="mechanism_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MechanismStatus.values), name="mechanism_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(predecessor_until__isnull=True)
                | Q(predecessor_from__isnull=True)
                | Q(predecessor_until__gte=models.F("predecessor_from")),
                name="mechanism_predecessor_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def label(self) -> str:
        return acronym_and_name(self.acronym, self.name)

    @property
    def is_in_operation(self) -> bool:
        return self.status == MechanismStatus.ACTIVE


class Membership(models.Model):
    """A state's membership of a mechanism, as the concept note lists it."""

    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.CASCADE, related_name="memberships"
    )
    state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        ordering = ["mechanism__position", "state__name_en"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "state"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.state} — {self.mechanism.acronym}"


class SeedRecord(models.Model):
    """What `load_seeds` last wrote to a record, so it can tell a user's edit from its own."""

    key = models.CharField(_("record"), max_length=200, unique=True)
    fingerprint = models.CharField(_("fingerprint of the seeded values"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("seeded record")
        verbose_name_plural = _("seeded records")

    def __str__(self) -> str:
        return self.key
