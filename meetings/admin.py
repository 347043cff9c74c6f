import json

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from config.common.conflicts import ConflictCheckedAdmin, ConflictCheckedForm
from config.common.language_tabs import LanguageTabsAdmin
from config.common.spreadsheets import csv_response
from meetings.forms import BaseRoundFormSet, MeetingDeadlines, PanelistForm, RoundForm
from meetings.models import (
    AgendaItem,
    Answer,
    AnswerRevision,
    ApiToken,
    Delegation,
    DelegationKind,
    Email,
    EmailKind,
    Intervention,
    ItemKind,
    Meeting,
    MeetingLog,
    Panelist,
    PublishedRecord,
    Representative,
    Round,
    TextRevision,
    Turn,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from meetings.outputs.archive import export_meeting
from meetings.services import agenda, delegations, invitations, outbox, panel
from meetings.services.links import ensure_link, issue_link, link_path
from meetings.services.meetings import save_meeting, save_round


class RoundRowForm(ConflictCheckedForm, RoundForm):
    """A round on the meeting's page: an empty speaking time takes the meeting's, and a round
    someone else saved meanwhile is not overwritten."""


class MeetingAdminForm(MeetingDeadlines, ConflictCheckedForm):
    """The meeting's page: its deadline typed in its time zone, as on the secretariat's."""


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
    formset = BaseRoundFormSet
    extra = 0
    fields = [
        "loaded_version",
        ("number", "speaking_seconds", "answers_deadline"),
        "title",
        "question",
    ]


class TakesItsAgendaItems:
    """A meeting or a round deleted takes its agenda items with it: that an item may not be
    removed on its own (a round's, an item held) does not stop it."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {str(AgendaItem._meta.verbose_name)}, protected


class AgendaItemChecks:
    """What the agenda's actions would refuse, said beside the fields before any save."""

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        kind = cleaned.get("kind") or self.instance.kind
        if meeting is not None and meeting.is_concluded and self.has_changed():
            raise ValidationError(_("The meeting is concluded: its agenda can no longer change."))
        title = cleaned.get("title_en")
        if kind != ItemKind.ROUND and "title_en" in self.fields and not (title or "").strip():
            self.add_error("title_en", _("Give the item a title (in English at least)."))
        return cleaned


class AgendaItemRowForm(AgendaItemChecks, ConflictCheckedForm):
    """An agenda item on the meeting's page. A round's row is its round's, edited in the
    rounds above: only its place shows here. A new item is any kind but a round."""

    class Meta:
        model = AgendaItem
        fields = ["kind", *agenda.ITEM_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        if self.instance.pk:
            kind.disabled = True
        else:
            kind.choices = [(k.value, k.label) for k in agenda.ADDED_KINDS]
        if self.instance.kind == ItemKind.ROUND:
            for name in agenda.ITEM_FIELDS:
                self.fields[name].disabled = True


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    form = AgendaItemRowForm
    extra = 0
    fields = ["loaded_version", "position", "kind", "title", "speaking_seconds", "planned_minutes"]
    readonly_fields = ["position"]
    ordering = ["position"]
    show_change_link = True


def item_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in agenda.ITEM_FIELDS}


def save_agenda(request, meeting: Meeting, formset) -> None:
    """The agenda inline saves through the agenda's actions, as the Agenda page does: a new
    item at the end, a round's item left to its round, a removal refused for an item held."""
    formset.save(commit=False)
    for item in formset.deleted_objects:
        refusal = agenda.removal_refused(item)
        if refusal:
            messages.error(request, refusal)
        else:
            agenda.remove_item(item, by=request.user)
    for form in formset.saved_forms:
        if form.instance.pk is None:
            kind = form.cleaned_data["kind"]
            agenda.add_item(meeting, by=request.user, kind=kind, **item_fields(form))
        elif form.instance.kind != ItemKind.ROUND:
            agenda.update_item(form.instance, by=request.user, **item_fields(form))


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
        _("Queued: %(queued)d (the outbox shows each as it goes out). No address: %(skipped)d.")
        % {"queued": sending.queued, "skipped": skipped},
        messages.WARNING if skipped else messages.SUCCESS,
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
class MeetingAdmin(TakesItsAgendaItems, ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = ["title_en", "date", "start_time", "time_zone", "format", "status"]
    list_filter = ["status", "format", "convening_body"]
    search_fields = ["title_en", "title_es", "title_fr", "title_pt", "slug", "document_reference"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["convening_body"]
    inlines = [RoundInline, AgendaItemInline, PanelistInline]
    form = MeetingAdminForm
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
            _("Deadlines and reminders"),
            {"fields": [("confirmation_deadline", "reminder_days")]},
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
            if formset.model is AgendaItem:
                save_agenda(request, meeting, formset)
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
class RoundAdmin(TakesItsAgendaItems, ConflictCheckedAdmin, LanguageTabsAdmin):
    list_display = ["meeting", "number", "title_en", "speaking_seconds"]
    list_filter = ["meeting"]
    search_fields = ["question_en", "question_es", "meeting__title_en"]
    inlines = [TurnInline]
    # Typed in the meeting's time zone on the meeting's page (its rounds), not here in the
    # server's.
    exclude = ["answers_deadline"]

    def save_model(self, request, obj, form, change):
        """Through save_round: every panelist speaks in the round, and it is logged."""
        obj.pk = save_round(form, by=request.user, via="admin").pk

    def delete_model(self, request, obj):
        """The round's agenda item goes with it; the items after it move up."""
        meeting = obj.meeting
        super().delete_model(request, obj)
        agenda.close_gaps(meeting)

    def delete_queryset(self, request, queryset):
        meetings = {round_.meeting for round_ in queryset.select_related("meeting")}
        super().delete_queryset(request, queryset)
        for meeting in meetings:
            agenda.close_gaps(meeting)


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


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["to", "kind", "status", "attempts", "send_after", "sent_at"]
    list_filter = ["status", "kind", "meeting"]
    search_fields = ["to", "subject", "panelist__name"]
    readonly_fields = [field.name for field in Email._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected emails again"))
    def resend(self, request, queryset):
        for email in queryset:
            outbox.resend(email, by=request.user)
        self.message_user(request, _("Queued again; the outbox shows each as it goes out."))


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Seen and revoked only: a token is created on the meeting's AV desk API page, the one
    place that can show it (once)."""

    list_display = ["name", "meeting", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["name", "meeting__title_en"]
    fields = ["meeting", "name", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["meeting", "name", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Seen and switched on or off only: an endpoint is added on the meeting's AV desk API
    page, the one place that shows its secret (once)."""

    list_display = ["url", "meeting", "enabled", "created_at"]
    list_filter = ["meeting", "enabled"]
    list_select_related = ["meeting"]
    search_fields = ["url", "meeting__title_en"]
    fields = ["meeting", "url", "enabled", "created_by", "created_at"]
    readonly_fields = ["meeting", "url", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["number", "at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """What the worker sent, as it sent it: read only."""

    list_display = ["delivery_id", "event", "webhook", "status", "attempts", "created_at"]
    list_filter = ["status", "event", "webhook__meeting"]
    list_select_related = ["webhook"]
    search_fields = ["webhook__url"]
    fields = ["webhook", "delivery_id", "event", "status", "attempts", "send_after", "body"]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    list_display = ["delivery", "number", "at", "status_code", "duration_ms"]
    list_select_related = ["delivery"]
    search_fields = ["error", "delivery__webhook__url"]
    readonly_fields = ["delivery", "number", "at", "status_code", "error", "duration_ms"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgendaItemForm(AgendaItemChecks, ConflictCheckedForm):
    class Meta:
        model = AgendaItem
        fields = ["meeting", "kind", *agenda.ITEM_FIELDS]


@admin.register(AgendaItem)
class AgendaItemAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    """An item's titles and times, saved through the agenda's actions (the Agenda page's):
    its place is changed there (Up, Down), and a round's item goes with its round."""

    form = AgendaItemForm
    list_display = ["meeting", "position", "heading", "kind", "speaking_seconds", "planned_minutes"]
    list_display_links = ["heading"]
    list_filter = ["meeting", "kind"]
    list_select_related = ["meeting", "round"]
    search_fields = ["title_en", "title_es", "title_fr", "title_pt", "meeting__title_en"]
    fields = ["meeting", "kind", "title", "speaking_seconds", "planned_minutes", "position"]
    readonly_fields = ["position"]
    actions = None  # a removal goes one by one, each with its reason to refuse

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        fields = [*self.readonly_fields, "meeting", "kind"]
        if obj.kind == ItemKind.ROUND:  # its round's, on the meeting's page
            fields += [*agenda.ITEM_FIELDS]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(kind.value, kind.label) for kind in agenda.ADDED_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in agenda.ITEM_FIELDS if name in form.fields
        }
        if change:
            obj.pk = agenda.update_item(obj, by=request.user, **fields).pk
        else:
            kind = form.cleaned_data["kind"]
            obj.pk = agenda.add_item(obj.meeting, by=request.user, kind=kind, **fields).pk

    def has_delete_permission(self, request, obj=None):
        if obj is not None and agenda.removal_refused(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        agenda.remove_item(obj, by=request.user)


class NamedSpeakers(admin.SimpleListFilter):
    title = _("agenda item")
    parameter_name = "item"

    def lookups(self, request, model_admin):
        items = AgendaItem.objects.filter(kind=ItemKind.REMARKS).select_related("meeting")
        return [(item.pk, f"{item.meeting} · {item}") for item in items]

    def queryset(self, request, queryset):
        return queryset.filter(item=self.value()) if self.value() else queryset


class RemarksSpeakerForm(ConflictCheckedForm):
    class Meta:
        model = Intervention
        fields = ["item", *agenda.SPEAKER_FIELDS]

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("item") or getattr(self.instance, "item", None)
        if item is not None and item.meeting.is_concluded:
            raise ValidationError(_("The meeting is concluded: its agenda can no longer change."))
        if "speaker_en" in self.fields and not (cleaned.get("speaker_en") or "").strip():
            self.add_error("speaker_en", _("Say who speaks (in English at least)."))
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            self.fields["item"].queryset = AgendaItem.objects.filter(
                kind=ItemKind.REMARKS
            ).select_related("meeting")


@admin.register(Intervention)
class RemarksSpeakerAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    """The named speakers of remarks items (the Chair's opening...). A delegation's
    interventions come from the floor and the console, and stay as they happened."""

    form = RemarksSpeakerForm
    list_display = ["speaker_label", "item", "meeting", "position", "attendance", "status"]
    list_filter = ["meeting", NamedSpeakers, "attendance"]
    list_select_related = ["item__meeting", "item__round", "meeting"]
    search_fields = ["speaker_en", "speaker_es", "speaker_name"]
    fields = ["item", "speaker", "speaker_name", "attendance", "position", "status"]
    readonly_fields = ["position", "status"]
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(delegation__isnull=True)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "item"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in agenda.SPEAKER_FIELDS}
        if change:
            obj.pk = agenda.update_speaker(obj, by=request.user, **fields).pk
        else:
            obj.pk = agenda.add_speaker(form.cleaned_data["item"], by=request.user, **fields).pk

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != "pending":  # who has spoken stays in the record
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        agenda.remove_speaker(obj, by=request.user)


def delegation_links_csv(queryset, *, by):
    rows = [[_("Code"), _("Delegation"), _("Floor link")]]
    rows += delegations.link_rows(queryset, by=by)
    return csv_response("delegation-links.csv", rows)


class DelegationForm(ConflictCheckedForm):
    class Meta:
        model = Delegation
        fields = [
            "meeting",
            "kind",
            "code",
            *delegations.NAME_FIELDS,
            "attendance",
            "addresses",
            "language",
        ]

    def clean(self):
        """What the delegations' actions would refuse, said beside the fields."""
        cleaned = super().clean()
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        if "code" in self.fields and cleaned.get("code") and meeting is not None:
            code = delegations.clean_code(cleaned["code"])
            if delegations.code_taken(meeting, code, other_than=self.instance.pk):
                self.add_error("code", delegations.code_taken_message(code))
        if "name_en" in self.fields and not (cleaned.get("name_en") or "").strip():
            self.add_error("name_en", _("Give its name (in English at least)."))
        return cleaned


class RepresentativeInline(admin.TabularInline):
    """Whom the delegation named from its floor link: read here, changed there."""

    model = Representative
    extra = 0
    fields = ["position", "name", "title", "email", "is_head"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    """The representatives the delegations named from their floor links: read-only here."""

    list_display = ["name", "title", "delegation", "is_head"]
    list_filter = ["delegation__meeting", "is_head"]
    search_fields = ["name", "title", "email", "delegation__code"]
    list_select_related = ["delegation__meeting", "delegation__state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(ConflictCheckedAdmin, LanguageTabsAdmin):
    """The delegations of each meeting: who is present (editable in the list, for the roll
    call), observers and organisations added, their floor links."""

    form = DelegationForm
    list_display = ["code", "display_name", "meeting", "kind", "attendance", "has_link"]
    list_display_links = ["code"]
    list_editable = ["attendance"]
    list_filter = ["meeting", "kind", "attendance"]
    list_select_related = ["meeting", "state"]
    search_fields = ["code", "name_en", "name_es", "name_fr", "name_pt", "state__name_en"]
    fields = [
        "meeting",
        "kind",
        "code",
        "name",
        "attendance",
        "addresses",
        "language",
        "confirmed_attendance",
        "confirmed_at",
        "floor_link",
    ]
    readonly_fields = ["floor_link", "confirmed_attendance", "confirmed_at"]
    inlines = [RepresentativeInline]
    actions = ["issue_new_links", "revoke_links", "export_links"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        fields = [*self.readonly_fields, "meeting", "kind"]
        if obj.kind == DelegationKind.MEMBER_STATE:  # named by its state
            fields += ["state", "code"]
        return fields

    def get_fields(self, request, obj=None):
        if obj is not None and obj.kind == DelegationKind.MEMBER_STATE:
            return [
                "meeting",
                "kind",
                "state",
                "code",
                "attendance",
                "addresses",
                "language",
                "confirmed_attendance",
                "confirmed_at",
                "floor_link",
            ]
        return super().get_fields(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(kind.value, kind.label) for kind in delegations.ADDED_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Through the delegations' actions, like the Delegations page."""
        names = {
            name: form.cleaned_data[name] for name in delegations.NAME_FIELDS if name in form.fields
        }
        if not change:
            obj.pk = delegations.add_delegation(
                obj.meeting,
                by=request.user,
                kind=form.cleaned_data["kind"],
                code=form.cleaned_data["code"],
                **names,
            ).pk
            return
        fields = {
            name: form.cleaned_data[name]
            for name in ("code", *delegations.NAME_FIELDS, "attendance", "addresses", "language")
            if name in form.fields and name in form.changed_data
        }
        if set(fields) == {"attendance"}:
            delegations.set_attendance(obj, fields["attendance"], by=request.user)
        elif fields:
            delegations.update_delegation(obj, by=request.user, **fields)

    @admin.display(description=_("floor link"))
    def floor_link(self, delegation):
        return link_path(delegation) or _("revoked")

    @admin.display(description=_("link"), boolean=True)
    def has_link(self, delegation):
        return delegation.has_link

    @admin.action(description=_("Issue new floor links (the old ones stop working)"))
    def issue_new_links(self, request, queryset):
        for delegation in queryset:
            delegations.new_link(delegation, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d new link issued.", "%(count)d new links issued.", count)
            % {"count": count},
        )

    @admin.action(description=_("Revoke the floor links"))
    def revoke_links(self, request, queryset):
        for delegation in queryset:
            delegations.revoke_link(delegation, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
        )

    @admin.action(description=_("Export the floor links (CSV)"))
    def export_links(self, request, queryset):
        return delegation_links_csv(queryset, by=request.user)
