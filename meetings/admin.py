import json

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline

from config.common.conflicts import ConflictCheckedAdmin, ConflictCheckedForm
from config.common.language_tabs import LanguageTabsAdmin
from config.common.spreadsheets import csv_response
from meetings.forms import PanelistForm, RoundForm
from meetings.models import (
    Answer,
    AnswerRevision,
    EmailKind,
    Meeting,
    MeetingLog,
    Panelist,
    PanelistEmail,
    PublishedRecord,
    Round,
    TextRevision,
    Turn,
)
from meetings.outputs.archive import export_meeting
from meetings.services import invitations, panel
from meetings.services.links import ensure_link, issue_link, link_path
from meetings.services.meetings import save_meeting, save_round


class RoundRowForm(ConflictCheckedForm, RoundForm):
    """A round on the meeting's page: an empty speaking time takes the meeting's, and a round
    someone else saved meanwhile is not overwritten."""


class PanelistRowForm(ConflictCheckedForm):
    """A panelist's row on the meeting's page, checked like the panelist's own page."""

    class Meta:
        model = Panelist
        # The short fields fit a row; the position, organisation and bio are on their page.
        fields = [
            name
            for name in PanelistForm.Meta.fields
            if name not in ("position", "organisation", "bio")
        ]


class RoundInline(TranslationStackedInline):
    model = Round
    form = RoundRowForm
    extra = 0
    fields = ["loaded_version", ("number", "speaking_seconds"), "title", "question"]


class PanelistInline(admin.TabularInline):
    model = Panelist
    form = PanelistRowForm
    extra = 0
    fields = ["loaded_version", *PanelistRowForm.Meta.fields]
    autocomplete_fields = ["mechanism"]
    show_change_link = True


def send_emails(modeladmin, request, queryset, panelists, kind: EmailKind):
    """Preview first, as on the secretariat's pages: the action shows who will receive what,
    with one email per language as it will read, and sends only when confirmed."""
    if request.POST.get("confirmed") != "yes":
        panelists = list(panelists.select_related("meeting", "mechanism"))
        with_address = [panelist for panelist in panelists if panelist.email]
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Send: %(kind)s") % {"kind": kind.label},
            "opts": modeladmin.model._meta,
            "kind": kind,
            "action": request.POST.get("action", ""),
            "selected": queryset.values_list("pk", flat=True),
            "panelists": panelists,
            "versions": invitations.versions(with_address, kind),  # one example per language
        }
        return TemplateResponse(request, "admin/meetings/send_emails.html", context)
    send_confirmed(modeladmin, request, panelists, kind)
    return None


def send_confirmed(modeladmin, request, panelists, kind: EmailKind) -> None:
    chosen = list(panelists.select_related("meeting", "mechanism"))
    with_address = [panelist for panelist in chosen if panelist.email]
    sending = invitations.send_each(with_address, kind, by=request.user)
    skipped = len(chosen) - len(with_address)
    modeladmin.message_user(
        request,
        _("Sent: %(sent)d. Failed (see Emails to panelists): %(failed)d. No address: %(skipped)d.")
        % {"sent": sending.sent, "failed": sending.failed, "skipped": skipped},
        messages.WARNING if sending.failed else messages.SUCCESS,
    )
    if sending.repeated:
        modeladmin.message_user(
            request, invitations.not_sent_again(sending.repeated), messages.INFO
        )


def links_csv(panelists, *, by):
    rows = [[_("Meeting"), _("Mechanism"), _("Panelist"), _("Email"), _("Personal link")]]
    for panelist in panelists.select_related("meeting", "mechanism"):
        ensure_link(panelist, by=by)
        path = link_path(panelist)
        rows.append(
            [
                panelist.meeting.slug,
                panelist.mechanism.acronym,
                panelist.display_name,
                panelist.email,
                path,
            ]
        )
    return csv_response("panelist-links.csv", rows)


def save_panel(request, meeting: Meeting, formset) -> None:
    """The panel inline saves through the panel's actions, as the secretariat's pages do:
    a newcomer gets their turns and personal link, a removal keeps what the record holds,
    the screens follow, and each change is logged with who made it."""
    formset.save(commit=False)  # sorts the forms into new, changed and deleted
    for panelist in formset.deleted_objects:
        try:
            panel.remove_panelist(panelist, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
    for form in formset.saved_forms:  # the rows changed, then the new ones
        panel.save_panelist(form, meeting=meeting, by=request.user)


@admin.register(Meeting)
class MeetingAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = ["title_en", "date", "start_time", "time_zone", "format", "status"]
    list_filter = ["status", "format", "convening_body"]
    search_fields = ["title_en", "title_es", "title_fr", "title_pt", "slug", "document_reference"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["convening_body"]
    inlines = [RoundInline, PanelistInline]
    actions = ["invite_not_yet_invited", "export_links", "download_archive"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    ("slug", "document_reference"),
                    "status",
                ]
            },
        ),
        (
            _("When and where"),
            {
                "fields": [
                    ("date", "start_time", "end_time", "time_zone"),
                    ("format", "virtual_link", "convening_body"),
                    "venue",
                    "chair",
                ]
            },
        ),
        (
            _("Timing"),
            {
                "fields": [
                    ("speaking_seconds", "warning_seconds"),
                    ("opening_minutes", "closing_minutes", "changeover_seconds"),
                ]
            },
        ),
        (
            _("Concept note"),
            {
                "classes": ["collapse"],
                "fields": ["concept_note"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        """Saved in save_related, with its rounds, as the secretariat's page saves it."""

    def save_related(self, request, form, formsets, change):
        """The meeting and its rounds through save_meeting, like the secretariat's page (the
        rounds follow its speaking time, every panelist speaks in every round, it is
        logged), then the panel through the panel's actions."""
        rounds = next((formset for formset in formsets if formset.model is Round), None)
        meeting = save_meeting(form, rounds=rounds, by=request.user, via="admin")
        for formset in formsets:
            if formset.model is Panelist:
                save_panel(request, meeting, formset)

    @admin.action(description=_("Send invitations to panelists not yet invited"))
    def invite_not_yet_invited(self, request, queryset):
        panelists = Panelist.objects.filter(meeting__in=queryset, invited_at__isnull=True)
        return send_emails(self, request, queryset, panelists, EmailKind.INVITATION)

    @admin.action(description=_("Export the panelists' personal links (CSV)"))
    def export_links(self, request, queryset):
        return links_csv(Panelist.objects.filter(meeting__in=queryset), by=request.user)

    @admin.action(description=_("Download the meeting's archive (JSON)"), permissions=["change"])
    def download_archive(self, request, queryset):
        """What `export_meeting` writes: `import_meeting` rebuilds the meeting from it."""
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one meeting to archive."), messages.WARNING
            )
            return None
        meeting = queryset.get()
        response = HttpResponse(
            json.dumps(export_meeting(meeting), indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-archive.json"'
        return response


class TurnInline(admin.TabularInline):
    """The speaking order, to read: it is set on the meeting's order page (drag and drop,
    same as round 1...) and the turns are played from the console, which keep the rules."""

    model = Turn
    extra = 0
    fields = ["position", "panelist", "status", "started_at", "ended_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = ["meeting", "number", "title_en", "speaking_seconds"]
    list_filter = ["meeting"]
    search_fields = ["question_en", "question_es", "meeting__title_en"]
    inlines = [TurnInline]

    def save_model(self, request, obj, form, change):
        """Through save_round: every panelist speaks in the round, and it is logged."""
        obj.pk = save_round(form, by=request.user, via="admin").pk


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    """Turns to read and search. They are made by the panel (every panelist speaks in every
    round), ordered on the order page, played from the console (the clock's rules, one
    current turn, the screens following), and their notes and summaries keep a history on
    the record's pages: editing them here would go around all of that."""

    list_display = ["round", "position", "panelist", "status", "started_at", "ended_at"]
    # Its place in the speaking order first, then its clock and its texts (declared in Turn's
    # abstract parts, which would otherwise come first).
    fields = [
        "meeting",
        "round",
        "panelist",
        "position",
        *Turn.CLOCK_FIELDS,
        "notes",
        "notes_version",
        "summary",
        "summary_version",
        "coordination",
    ]
    list_filter = ["round__meeting", "round__number", "status"]
    list_select_related = ["round__meeting", "panelist__mechanism"]
    search_fields = ["panelist__name", "notes", "summary"]
    actions = None  # no bulk deletion of turns: a turn goes with its panelist or round

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Panelist)
class PanelistAdmin(ConflictCheckedAdmin):
    list_display = [
        "display_name",
        "mechanism",
        "meeting",
        "email",
        "preferred_language",
        "status",
        "invited_at",
    ]
    list_filter = ["meeting", "status", "mechanism", "preferred_language"]
    search_fields = ["name", "email", "organisation", "mechanism__acronym_en"]
    list_select_related = ["meeting", "mechanism"]
    autocomplete_fields = ["mechanism"]
    readonly_fields = [
        "invited_at",
        "responded_at",
        "decline_reason",
        "substitute_for",
        "personal_link",
    ]
    actions = ["send_invitation", "send_reminder", "export_links", "issue_new_links"]

    def save_model(self, request, obj, form, change):
        """Through the panel's actions, like the secretariat's pages (see save_panel)."""
        obj.pk = panel.save_panelist(form, by=request.user).pk

    def get_readonly_fields(self, request, obj=None):
        # A seat belongs to its meeting: its turns and answers could not follow it elsewhere.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "meeting"] if obj else readonly

    def has_delete_permission(self, request, obj=None):
        # Who has spoken or answered stays: their record would go with them.
        if obj is not None and panel.reason_not_to_remove(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        panel.remove_panelist(obj, by=request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # One by one only: a seat that holds a record offers no Delete (above), where a bulk
        # deletion could only refuse the whole selection or miscount what it removed.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("personal link"))
    def personal_link(self, panelist):
        return link_path(panelist) or _("revoked")

    @admin.action(description=_("Send the invitation"))
    def send_invitation(self, request, queryset):
        return send_emails(self, request, queryset, queryset, EmailKind.INVITATION)

    @admin.action(description=_("Send a reminder"))
    def send_reminder(self, request, queryset):
        return send_emails(self, request, queryset, queryset, EmailKind.REMINDER)

    @admin.action(description=_("Export the personal links (CSV)"))
    def export_links(self, request, queryset):
        return links_csv(queryset, by=request.user)

    @admin.action(description=_("Issue new personal links (the old ones stop working)"))
    def issue_new_links(self, request, queryset):
        for panelist in queryset.select_related("meeting"):
            issue_link(panelist, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d new link issued.", "%(count)d new links issued.", count)
            % {"count": count},
        )


@admin.register(Answer)
class AnswerAdmin(ConflictCheckedAdmin):
    list_display = ["panelist", "round", "status", "saved_at", "submitted_at"]
    list_filter = ["status", "round__meeting", "round__number"]
    search_fields = ["submitted_text", "draft_text", "panelist__name"]
    list_select_related = ["panelist__mechanism", "round"]
    readonly_fields = ["created_at", "saved_at", "submitted_at"]


@admin.register(PanelistEmail)
class PanelistEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "panelist__meeting"]
    search_fields = ["to", "subject", "panelist__name"]
    readonly_fields = [field.name for field in PanelistEmail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry the selected emails"))
    def retry(self, request, queryset):
        for record in queryset.select_related("panelist__meeting"):
            invitations.retry(record, by=request.user)
        self.message_user(request, _("Retried; see each email's status."))


@admin.register(MeetingLog)
class MeetingLogAdmin(admin.ModelAdmin):
    """The audit trail: read-only."""

    list_display = ["at", "meeting", "action", "actor", "panelist"]
    list_filter = ["action", "meeting"]
    search_fields = ["action", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TextRevision)
class TextRevisionAdmin(admin.ModelAdmin):
    """Every saved state of the notes and summaries: read-only history."""

    list_display = ["turn", "field", "saved_at", "saved_by", "conflicted"]
    list_filter = ["field", "conflicted", "turn__meeting"]
    search_fields = ["text", "turn__panelist__name"]
    list_select_related = ["turn__round", "turn__panelist__mechanism", "saved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(admin.ModelAdmin):
    """Every text of the panelists' answers, saved, submitted or refused as a conflicting
    edit: read-only history."""

    list_display = ["answer", "kind", "saved_at", "conflicted"]
    list_filter = ["kind", "conflicted", "answer__round__meeting"]
    search_fields = ["text", "answer__panelist__name"]
    list_select_related = ["answer__round", "answer__panelist__mechanism"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublishedRecord)
class PublishedRecordAdmin(admin.ModelAdmin):
    list_display = ["meeting", "published_at", "published_by"]
    list_filter = ["meeting"]
    readonly_fields = ["meeting", "published_at", "published_by", "content"]

    def has_add_permission(self, request):
        return False  # publish from the record page, which builds the snapshot
