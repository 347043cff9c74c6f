from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.common.conflicts import ConflictCheckedAdmin
from config.common.language_tabs import LanguageTabsAdmin
from mechanisms.models import (
    Mechanism,
    MechanismStatus,
    Membership,
    MemberState,
    Organisation,
    SeedRecord,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["state"]
    verbose_name = _("member state")
    verbose_name_plural = _("member states (as the concept note lists them)")


class MechanismMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["mechanism"]
    verbose_name = _("mechanism")
    verbose_name_plural = _("mechanisms this state belongs to")


@admin.register(MemberState)
class MemberStateAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = ["name_en", "name_es", "code", "alpha3", "subregion", "oas_status"]
    list_filter = ["subregion", "oas_status"]
    search_fields = ["name_en", "name_es", "name_fr", "name_pt", "code", "alpha3"]
    inlines = [MechanismMembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "alpha3",
                    "name",
                    "subregion",
                ]
            },
        ),
        (
            _("OAS status"),
            {
                "fields": [
                    "oas_status",
                    "status_note",
                ]
            },
        ),
        (_("Convocations"), {"fields": ["addresses", "language"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = ["acronym_en", "name_en", "acronym_es", "name_es"]
    search_fields = ["acronym_en", "acronym_es", "acronym_fr", "acronym_pt", "name_en", "name_es"]
    prepopulated_fields = {"slug": ["acronym_en"]}


@admin.register(Mechanism)
class MechanismAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = [
        "acronym_en",
        "name_en",
        "kind",
        "status",
        "year_established",
        "listed_members",
        "position",
    ]
    list_display_links = ["acronym_en", "name_en"]
    list_editable = ["position"]
    list_filter = ["kind", "status", "lead_organisations"]
    search_fields = ["acronym_en", "acronym_es", "name_en", "name_es", "other_name_en"]
    prepopulated_fields = {"slug": ["acronym_en"]}
    autocomplete_fields = ["parent_organisation"]
    filter_horizontal = ["lead_organisations"]
    inlines = [MembershipInline]
    actions = ["mark_active", "mark_not_in_operation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "position",
                    "acronym",
                    "name",
                ]
            },
        ),
        (
            _("Other names"),
            {"fields": ["other_name"]},
        ),
        (
            _("Facts"),
            {
                "fields": [
                    "kind",
                    "status",
                    "year_established",
                    "founding_instrument",
                    "parent_organisation",
                    "lead_organisations",
                ]
            },
        ),
        (
            _("Predecessor"),
            {
                "classes": ["collapse"],
                "fields": ["predecessor_name", ("predecessor_from", "predecessor_until")],
            },
        ),
        (
            _("Membership"),
            {
                "fields": [
                    ("stated_country_count", "stated_partner_count"),
                    "membership_note",
                ]
            },
        ),
        (
            _("Description"),
            {"fields": ["description"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description=_("listed members"), ordering="member_total")
    def listed_members(self, mechanism):
        return mechanism.member_total

    @admin.action(description=_("Mark selected mechanisms as active"))
    def mark_active(self, request, queryset):
        self.set_status(request, queryset, MechanismStatus.ACTIVE)

    @admin.action(description=_("Mark selected mechanisms as not in operation"))
    def mark_not_in_operation(self, request, queryset):
        self.set_status(request, queryset, MechanismStatus.NOT_IN_OPERATION)

    def set_status(self, request, queryset, status):
        count = queryset.update(status=status)
        message = ngettext(
            "%(count)d mechanism is now “%(status)s”.",
            "%(count)d mechanisms are now “%(status)s”.",
            count,
        ) % {"count": count, "status": MechanismStatus(status).label}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["mechanism", "state"]
    list_filter = ["mechanism", "state__subregion"]
    search_fields = ["state__name_en", "state__name_es", "mechanism__acronym_en"]
    autocomplete_fields = ["mechanism", "state"]
    list_select_related = ["mechanism", "state"]


@admin.register(SeedRecord)
class SeedRecordAdmin(admin.ModelAdmin):
    """Read-only: what load_seeds wrote, so staff can see why it keeps their edits."""

    list_display = ["key", "loaded_at"]
    search_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
