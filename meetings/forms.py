import datetime as dt
import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from config.common.conflicts import ConflictCheckedForm
from config.common.formatting import parse_id, parse_ids
from config.common.requests import PostedForm
from config.common.validators import validate_one_line
from meetings.models import (
    API_TOKEN_NAME_MAX_LENGTH,
    DECLINE_REASON_MAX_LENGTH,
    WEBHOOK_URL_MAX_LENGTH,
    AgendaItem,
    Attendance,
    ConfirmedAttendance,
    Delegation,
    Intervention,
    Meeting,
    MeetingFormat,
    Panelist,
    PanelistStatus,
    RevisedText,
    Round,
    validate_time_zone,
)
from meetings.models.meeting import parse_reminder_days
from meetings.services import live_session
from meetings.services.agenda import ADDED_KINDS as ADDED_ITEM_KINDS
from meetings.services.agenda import ITEM_FIELDS, SPEAKER_FIELDS
from meetings.services.answers import check_text
from meetings.services.convocation import MAX_REPRESENTATIVES
from meetings.services.delegations import ADDED_KINDS as ADDED_DELEGATION_KINDS
from meetings.services.webhooks import check_url as check_webhook_url


class JoinLinkRequired:
    """A meeting held online or hybrid needs the link to join it: its panelists and delegations
    get it on their personal pages and in their invitations. For any form of a meeting (the
    secretariat's, the admin's) with its format and virtual_link."""

    def clean(self):
        cleaned = super().clean()
        online = cleaned.get("format") in (MeetingFormat.VIRTUAL, MeetingFormat.HYBRID)
        if online and not cleaned.get("virtual_link") and "virtual_link" not in self.errors:
            self.add_error(
                "virtual_link",
                _(
                    "A virtual or hybrid meeting needs the link to join it online (an "
                    "address starting with https://), or choose In person as its format."
                ),
            )
        return cleaned


class MeetingDateTimeField(forms.DateTimeField):
    """A date and time as typed in the meeting's time zone (a datetime-local input), neither
    the server's nor the browser's. Cleaned to a naive value: the form places it in the zone
    it was typed in (in_zone), which may be changed by the same save. `zone` gives the zone
    the stored value is shown in."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, **kwargs):
        self.zone = lambda: dt.UTC
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, self.zone())
        return value

    def to_python(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, self.zone())
        with timezone.override(dt.UTC):  # read as typed, whatever zone is active
            moment = super().to_python(value)
        return None if moment is None else timezone.make_naive(moment, dt.UTC)

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


def in_zone(moment: dt.datetime | None, zone_name: str) -> dt.datetime | None:
    """A naive date and time, as typed, placed in the named zone."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def deadline_help(zone_name: str) -> str:
    return _("In the meeting's time zone (%(zone)s). Leave empty for no deadline.") % {
        "zone": zone_name
    }


class MeetingDeadlines(forms.ModelForm):
    """A meeting's deadline to confirm, typed in its time zone, and its rule of reminders
    written as it reads: for any form of a meeting (the secretariat's, the admin's)."""

    confirmation_deadline = MeetingDateTimeField(
        label=_("Confirm participation by"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "confirmation_deadline" in self.fields:
            deadline = self.fields["confirmation_deadline"]
            deadline.zone = lambda: self.instance.zone
            deadline.help_text = deadline_help(self.instance.time_zone)

    def clean(self):
        cleaned = super().clean()
        # Typed in the zone this save gives the meeting (the stored one when it is invalid).
        zone_name = cleaned.get("time_zone") or self.instance.time_zone
        if "confirmation_deadline" in cleaned:
            cleaned["confirmation_deadline"] = in_zone(cleaned["confirmation_deadline"], zone_name)
        return cleaned

    def clean_reminder_days(self) -> str:
        # Kept as the rule reads, earliest reminder first: " 2, 7" is saved as "7,2".
        days = parse_reminder_days(self.cleaned_data["reminder_days"])
        return ",".join(str(day) for day in days)


class MeetingForm(JoinLinkRequired, MeetingDeadlines, ConflictCheckedForm):
    # A text field with suggestions (a <datalist> of models.TIME_ZONES in the template): a
    # <select> of 600 zones is slow to render and slower to use.
    time_zone = forms.CharField(
        label=_("Time zone"),
        initial="America/New_York",
        validators=[validate_time_zone],
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )

    class Meta:
        model = Meeting
        fields = [
            "title_en",
            "title_es",
            "title_fr",
            "title_pt",
            "slug",
            "document_reference",
            "status",
            "date",
            "start_time",
            "end_time",
            "time_zone",
            "format",
            *get_translation_fields("venue"),
            "virtual_link",
            "convening_body",
            *get_translation_fields("chair"),
            "speaking_seconds",
            "warning_seconds",
            "opening_minutes",
            "closing_minutes",
            "changeover_seconds",
            "confirmation_deadline",
            "reminder_days",
            "concept_note_en",
            "concept_note_es",
            "concept_note_fr",
            "concept_note_pt",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "concept_note_en": forms.Textarea(attrs={"rows": 8}),
            "concept_note_es": forms.Textarea(attrs={"rows": 8}),
            "concept_note_fr": forms.Textarea(attrs={"rows": 8}),
            "concept_note_pt": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["virtual_link"].help_text = _(
            "Required for a virtual or hybrid meeting. Those taking part get it on their "
            "personal pages and in their invitations; the public page does not show it."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Meeting"),
                Row(Column("title_en"), Column("title_es")),
                Row(Column("title_fr"), Column("title_pt")),
                Row(Column("slug"), Column("document_reference"), Column("status")),
            ),
            Fieldset(
                _("When and where"),
                Row(Column("date"), Column("start_time"), Column("end_time"), Column("time_zone")),
                Row(Column("format"), Column("virtual_link"), Column("convening_body")),
                Row(Column("venue_en"), Column("venue_es")),
                Row(Column("venue_fr"), Column("venue_pt")),
                Row(Column("chair_en"), Column("chair_es")),
                Row(Column("chair_fr"), Column("chair_pt")),
            ),
            Fieldset(
                _("Timing"),
                Row(Column("speaking_seconds"), Column("warning_seconds")),
                Row(
                    Column("opening_minutes"),
                    Column("closing_minutes"),
                    Column("changeover_seconds"),
                ),
            ),
            Fieldset(
                _("Deadlines and reminders"),
                Row(Column("confirmation_deadline"), Column("reminder_days")),
            ),
            "loaded_version",
            Fieldset(
                _("Concept note"),
                "concept_note_en",
                "concept_note_es",
                "concept_note_fr",
                "concept_note_pt",
            ),
        )


class RoundForm(forms.ModelForm):
    answers_deadline = MeetingDateTimeField(label=_("Written answers due by"), required=False)

    class Meta:
        model = Round
        fields = [
            "number",
            "speaking_seconds",
            "answers_deadline",
            *get_translation_fields("title"),
            *get_translation_fields("question"),
        ]
        widgets = {
            column: forms.Textarea(attrs={"rows": 3})
            for column in get_translation_fields("question")
        }

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The meeting the rounds' formset edits, the same object its form cleans (a new
        # meeting's zone is the one this save gives it); a round edited alone reads its own.
        self.meeting = meeting
        deadline = self.fields["answers_deadline"]
        deadline.zone = self.meeting_zone
        deadline.help_text = deadline_help(self.meeting_zone().key)
        field = self.fields["speaking_seconds"]
        field.required = False
        field.help_text = _("Leave empty for the meeting's speaking time.")
        if not self.instance.pk:
            field.initial = None

    def meeting_zone(self) -> zoneinfo.ZoneInfo:
        if self.meeting is not None:
            return self.meeting.zone
        if self.instance.meeting_id is not None:
            return self.instance.meeting.zone
        return zoneinfo.ZoneInfo(Meeting._meta.get_field("time_zone").default)

    def clean(self):
        cleaned = super().clean()
        cleaned["answers_deadline"] = in_zone(
            cleaned.get("answers_deadline"), self.meeting_zone().key
        )
        return cleaned

    def save(self, commit=True):
        if self.instance.speaking_seconds is None:
            self.instance.speaking_seconds = self.instance.meeting.speaking_seconds
        return super().save(commit)


class BaseRoundFormSet(forms.BaseInlineFormSet):
    """Each round's form knows its meeting, even a new one (its deadline's zone)."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "meeting": self.instance}


RoundFormSet = forms.inlineformset_factory(
    Meeting,
    Round,
    form=RoundForm,
    formset=BaseRoundFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


class PanelistForm(ConflictCheckedForm):
    class Meta:
        model = Panelist
        fields = [
            "mechanism",
            "honorific",
            "honorific_other",
            "name",
            "position",
            "organisation",
            "email",
            "preferred_language",
            "status",
            "attendance",
            "bio",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_attendance_unless_sent(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("mechanism"), Column("name")),
            Row(Column("honorific"), Column("honorific_other")),
            Row(Column("position"), Column("organisation")),
            Row(Column("email"), Column("preferred_language")),
            Row(Column("status"), Column("attendance")),
            "bio",
            "loaded_version",
        )

    def clean_attendance(self) -> str:
        return self.cleaned_data["attendance"] or self.instance.attendance


def keep_attendance_unless_sent(form) -> None:
    """In the room or online: a form that does not send it (a client of an older page) keeps
    what the panelist has (a new one: in the room)."""
    field = form.fields["attendance"]
    field.required = False
    field.choices = [choice for choice in field.choices if choice[0]]  # no empty choice


class SubstituteForm(forms.ModelForm):
    """A substitute for a panelist who declined: the seat (mechanism) and the places are
    theirs already; the person is new, with an invitation sent at once unless unticked."""

    invite = forms.BooleanField(
        label=_("Send the invitation with their personal link now"), required=False, initial=True
    )

    class Meta:
        model = Panelist
        fields = [
            "honorific",
            "honorific_other",
            "name",
            "position",
            "organisation",
            "email",
            "preferred_language",
            "attendance",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_attendance_unless_sent(self)
        self.fields["name"].required = True
        self.fields["name"].help_text = ""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("honorific", css_class="col-md-3"),
                Column("honorific_other", css_class="col-md-2"),
                Column("name"),
            ),
            Row(Column("position"), Column("organisation")),
            Row(Column("email"), Column("preferred_language"), Column("attendance")),
            "invite",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("invite") and not cleaned.get("email"):
            self.add_error(
                "email", _("An invitation needs an email address (or untick sending it now).")
            )
        return cleaned

    def clean_attendance(self) -> str:
        return self.cleaned_data["attendance"] or self.instance.attendance

    def _post_clean(self):
        """The instance is checked by meetings.services.panel.name_substitute, with its seat."""


class DeclineForm(forms.Form):
    """A panelist's decline, confirmed, with a reason for the secretariat if they wish."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("Only the secretariat reads it; it is never published."),
        required=False,
        max_length=DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    """A panelist's answer to one round; the textarea is named by the question."""

    # No maxlength attribute: a browser would cut a long paste silently. The
    # counter warns, and the server refuses with a message, keeping the text.
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10}))
    # The answer's version the page started from: a save over a newer one is refused.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = question

    def show_current_version(self, version: int) -> None:
        """After a conflict the form carries the version now saved: the writer has been
        shown its text, and saving again keeps theirs (the other stays in the history)."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)

    def clean_text(self) -> str:
        return check_text(self.cleaned_data["text"])


# The values of each action's POST (config/requests.parsed: a missing or malformed one is a
# 400 that changes nothing; our pages always send them) ---------------------------------------


class TypedText(forms.CharField):
    """A text as typed: kept whole, empty allowed. NUL characters are left to the function
    that saves it (it drops them: no database holds them); Django's CharField would refuse
    the whole text."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]


def ints(*values: int) -> list[tuple[str, str]]:
    return [(str(value), str(value)) for value in values]


class ParticipationForm(PostedForm):
    participation = forms.ChoiceField(
        choices=[(PanelistStatus.CONFIRMED, ""), (PanelistStatus.DECLINED, "")]
    )


class AnswerActionForm(PostedForm):
    action = forms.ChoiceField(choices=[("draft", ""), ("submit", ""), ("autosave", "")])


class ConsoleActionForm(PostedForm):
    # turn or intervention, round or item: the actions on one speaker, one round or one agenda
    # item. version: the live version the console saw (our console always sends it); a client
    # that does not say is not checked, as a request without an ETag
    # (tests/meetings/test_processes.py's sixty presses).
    optional = frozenset({"turn", "intervention", "round", "item", "version", "confirmed"})
    action = forms.ChoiceField(
        choices=[
            (name, name)
            for name in [*live_session.ACTIONS, *live_session.ROUND_ACTIONS, "conclude"]
        ]
    )
    version = forms.IntegerField(min_value=0, required=False)
    turn = forms.IntegerField(min_value=1, required=False)
    intervention = forms.IntegerField(min_value=1, required=False)
    round = forms.IntegerField(min_value=1, required=False)
    item = forms.IntegerField(min_value=1, required=False)
    # Next item with speakers still waiting: sent by the confirmation's button only.
    confirmed = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if cleaned.get("turn") is not None and cleaned.get("intervention") is not None:
            self.add_error("intervention", "one speaker at a time")
        if action == "give_floor" and self.speaker_id(cleaned) is None:
            self.add_error("turn", "give_floor names the speaker")
        if action in live_session.ROUND_ACTIONS and cleaned.get("round") is None:
            self.add_error("round", f"{action} names the round")
        if action in live_session.ITEM_ACTIONS and cleaned.get("item") is None:
            self.add_error("item", f"{action} names the agenda item")
        return cleaned

    @staticmethod
    def speaker_id(cleaned: dict):
        """The speaker named, as the session names them (Intervention.clock_id), or None."""
        if cleaned.get("intervention") is not None:
            return f"intervention-{cleaned['intervention']}"
        return cleaned.get("turn")


class ConsoleMessageForm(PostedForm):
    optional = frozenset({"quick"})
    message = TypedText()  # empty: the message is cleared
    quick = forms.CharField(required=False)  # a quick button's key (live_session.set_quick_message)


class MoveForm(PostedForm):
    panelist = forms.IntegerField(min_value=1)
    offset = forms.TypedChoiceField(choices=ints(-1, 1), coerce=int)


class ConsoleMoveForm(MoveForm):
    round = forms.IntegerField(min_value=1)


class ConsoleFloorForm(PostedForm):
    """The chair's hand on the dialogue's list of speakers: a delegation added (a flag raised
    in the room), the list closed or reopened (the item named by its position)."""

    optional = frozenset({"delegation", "item"})
    action = forms.ChoiceField(choices=[(name, name) for name in ("add", "close", "reopen")])
    delegation = forms.IntegerField(min_value=1, required=False)
    item = forms.IntegerField(min_value=1, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "add" and cleaned.get("delegation") is None:
            self.add_error("delegation", "add names the delegation")
        if cleaned.get("action") in ("close", "reopen") and cleaned.get("item") is None:
            self.add_error("item", "the list of which item")
        return cleaned


class NotesForm(PostedForm):
    """Notes on a panelist's turn or on an intervention (one of the two named)."""

    optional = frozenset({"turn", "intervention"})
    turn = forms.IntegerField(min_value=1, required=False)
    intervention = forms.IntegerField(min_value=1, required=False)
    notes = TypedText()
    notes_version = forms.IntegerField(min_value=0)

    def clean(self):
        cleaned = super().clean()
        named = [cleaned.get(name) is not None for name in ("turn", "intervention")]
        if sum(named) != 1:
            self.add_error("turn", "notes on one turn or one intervention")
        return cleaned


class SpeakingOrderForm(PostedForm):
    order = forms.CharField()  # the panelists' ids, comma-separated


class CopyOrderForm(PostedForm):
    reverse = forms.TypedChoiceField(choices=ints(0, 1), coerce=lambda value: value == "1")


class LinkActionForm(PostedForm):
    action = forms.ChoiceField(choices=[("reissue", ""), ("revoke", "")])


class TickedIds(forms.Field):
    """The ids of the boxes ticked under one name (none ticked: none sent), those that are
    no id a page of ours could have sent left out."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> list[int]:
        return parse_ids(value or [])


class ShownIds(forms.CharField):
    """The ids a page says it showed, comma-separated; None when it does not say. Read as a
    text (stripped, a NUL refused), or raw: as sent, what is no id left out."""

    def __init__(self, *, raw: bool = False, **kwargs):
        super().__init__(required=False, strip=not raw, **kwargs)
        if raw:
            self.validators = [
                validator
                for validator in self.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
            ]

    def clean(self, value) -> set[int] | None:
        if value is None:
            return None
        return set(parse_ids(super().clean(value).split(",")))


class AnswerTicksForm(PostedForm):
    """The mechanisms a panelist ticks beside a round's answer, under the round's prefix
    (round-1-coordination), and those the page showed ticked (round-1-coordination-seen;
    without it the ticks are not compared)."""

    optional = frozenset({"coordination-seen"})
    coordination = TickedIds()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordination-seen"] = ShownIds(raw=True)  # the name the portal posts


class SentId(forms.Field):
    """An id a page of ours sent; None when it is missing or not one we could have sent."""

    def to_python(self, value) -> int | None:
        return parse_id(value)


ANSWER_HISTORY = "answer"  # the panelist's written answer, beside the notes and the summary


class HistoryQuery(forms.Form):
    """Which history of a turn's texts the page shows (an unknown one: there is no such page),
    and the two revisions it compares (an unknown id compares nothing)."""

    field = forms.ChoiceField(choices=[*RevisedText.choices, (ANSWER_HISTORY, "")])
    a = SentId(required=False)
    b = SentId(required=False)

    @classmethod
    def of(cls, query) -> "HistoryQuery":
        return cls({"field": RevisedText.SUMMARY} | query.dict())  # the summary's unless said


class SummaryForm(PostedForm):
    # Without coordination_seen the ticks are not checked (a client that does not say what
    # it saw, as a request without an ETag); our page always sends it.
    optional = frozenset({"coordination_seen", "then"})
    summary = TypedText()
    summary_version = forms.IntegerField(min_value=0)
    coordination = TickedIds()  # the mechanisms to coordinate with
    coordination_seen = ShownIds()
    then = forms.Field(required=False)  # the button pressed: "next" for Save and next


class InterventionSummaryForm(PostedForm):
    """The summary of an intervention (remarks, the dialogue's, a point of order), written on
    top of the version the page showed."""

    summary = TypedText()
    summary_version = forms.IntegerField(min_value=0)


class FloorActionForm(PostedForm):
    """A delegation's floor page: ask for the floor, raise a point of order, or withdraw."""

    action = forms.ChoiceField(
        choices=[
            ("request", ""),
            ("withdraw", ""),
            ("point_of_order", ""),
            ("withdraw_point_of_order", ""),
        ]
    )


# The agenda and the delegations (the secretariat's Agenda and Delegations pages) -------------


class AgendaItemForm(forms.ModelForm):
    """An item's kind (when added: never a round, added with its question on the meeting's
    page), its titles and times."""

    class Meta:
        model = AgendaItem
        fields = ["kind", *ITEM_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [(kind.value, kind.label) for kind in ADDED_ITEM_KINDS]
        self.fields["title_en"].required = True
        self.fields["speaking_seconds"].help_text = _(
            "In seconds: remarks and dialogue. Empty: the meeting's speaking time."
        )


class RemarksSpeakerForm(forms.ModelForm):
    """A named speaker of a remarks item: who they are in every language, their name, and
    whether they speak in the room or online."""

    class Meta:
        model = Intervention
        fields = list(SPEAKER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker_en"].required = True


class ObserverForm(forms.ModelForm):
    """An observer or invited organisation: its kind, short code and name in every language."""

    class Meta:
        model = Delegation
        fields = ["kind", "code", *get_translation_fields("name")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in ADDED_DELEGATION_KINDS]
        self.fields["name_en"].required = True


class ItemChoiceForm(PostedForm):
    item = forms.IntegerField(min_value=1)


class ItemMoveForm(ItemChoiceForm):
    offset = forms.TypedChoiceField(choices=ints(-1, 1), coerce=int)


class SpeakerChoiceForm(PostedForm):
    speaker = forms.IntegerField(min_value=1)


class SpeakerMoveForm(SpeakerChoiceForm):
    offset = forms.TypedChoiceField(choices=ints(-1, 1), coerce=int)


class AttendanceForm(PostedForm):
    delegation = forms.IntegerField(min_value=1)
    attendance = forms.ChoiceField(choices=Attendance.choices)


class DelegationLinkForm(LinkActionForm):
    delegation = forms.IntegerField(min_value=1)


# A delegation's answer to the convocation, on its floor page ---------------------------------


class RepresentativeForm(forms.Form):
    """One row of the representatives: a row left empty is left out."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        validators=[validate_one_line],
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    title = forms.CharField(
        label=_("Title or role"),
        max_length=200,
        required=False,
        validators=[validate_one_line],
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and (cleaned.get("title") or cleaned.get("email")):
            self.add_error("name", _("Give the name of each representative."))
        return cleaned


RepresentativeFormSet = forms.formset_factory(
    RepresentativeForm,
    extra=0,
    max_num=MAX_REPRESENTATIVES,
    absolute_max=MAX_REPRESENTATIVES,
    validate_max=True,
)


class ConfirmationForm(PostedForm):
    """Whether the delegation attends, which row is its head, and what the button asks: save
    the answer, add a row, or remove row N (the rows are a RepresentativeFormSet)."""

    optional = frozenset({"attendance", "head"})  # radio buttons: none may be chosen

    attendance = forms.ChoiceField(choices=ConfirmedAttendance.choices, required=False)
    head = forms.IntegerField(min_value=0, max_value=MAX_REPRESENTATIVES, required=False)
    action = forms.RegexField(regex=r"^(save|add|remove-\d{1,2})$")


# The AV desk's API tokens ---------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device"),
        max_length=API_TOKEN_NAME_MAX_LENGTH,
        help_text=_("Which device will hold it, e.g. “Stream Deck, AV desk”."),
        validators=[validate_one_line, ProhibitNullCharactersValidator()],
    )


class ApiTokenRevokeForm(PostedForm):
    token = forms.IntegerField(min_value=1)


# The AV desk's webhooks -----------------------------------------------------------------------


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=WEBHOOK_URL_MAX_LENGTH,
        assume_scheme="https",
        help_text=_(
            "Where to send each turn's start and end, e.g. "
            "“https://mixer.example.org/hooks/cam”; http:// only for 127.0.0.1 or localhost."
        ),
        validators=[ProhibitNullCharactersValidator(), check_webhook_url],
    )


class WebhookChoiceForm(PostedForm):
    webhook = forms.IntegerField(min_value=1)


class WebhookEnableForm(PostedForm):
    webhook = forms.IntegerField(min_value=1)
    enabled = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
