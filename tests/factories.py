"""Small builders of valid records; each test states only what it is about."""

from itertools import count

from mechanisms.models import Mechanism, MechanismKind, Membership, MemberState, Subregion

_numbers = count(1)

# Mail settings for tests of failures: nothing listens on the discard port.
UNREACHABLE_MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
    }
}
LOCMEM_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# ISO 3166-1 keeps these codes for private use, so they never clash with the seeds.
PRIVATE_CODES = [f"Q{letter}" for letter in "MNOPQRSTUVWXYZ"] + [
    f"X{chr(c)}" for c in range(65, 91)
]


def make_state(**fields) -> MemberState:
    number = next(_numbers)
    letters = PRIVATE_CODES[number % len(PRIVATE_CODES)]
    defaults = {
        "code": letters,
        "alpha3": f"{letters}X",
        "name_en": f"State {number}",
        "name_es": f"Estado {number}",
        "subregion": Subregion.CARIBBEAN,
    }
    return MemberState.objects.create(**{**defaults, **fields})


def make_mechanism(members=(), **fields) -> Mechanism:
    number = next(_numbers)
    defaults = {
        "slug": f"mechanism-{number}",
        "position": number,
        "acronym_en": f"M{number}",
        "acronym_es": f"M{number}",
        "name_en": f"Mechanism {number}",
        "name_es": f"Mecanismo {number}",
        "kind": MechanismKind.REGIONAL_CONSULTATIVE_PROCESS,
        "description_en": f"What mechanism {number} does.",
    }
    mechanism = Mechanism.objects.create(**{**defaults, **fields})
    for state in members:
        Membership.objects.create(mechanism=mechanism, state=state)
    return mechanism


def make_meeting(rounds: int = 2, **fields):
    """A scheduled meeting with its question rounds (10:00–13:00 in New York)."""
    import datetime as dt

    from meetings.models import Meeting, MeetingStatus, Round

    number = next(_numbers)
    defaults = {
        "slug": f"meeting-{number}",
        "title_en": f"Thematic meeting {number}",
        "title_es": f"Reunión temática {number}",
        "date": dt.date(2030, 5, 17),
        "start_time": dt.time(10, 0),
        "end_time": dt.time(13, 0),
        "time_zone": "America/New_York",
        "status": MeetingStatus.SCHEDULED,
    }
    meeting = Meeting.objects.create(**{**defaults, **fields})
    for round_number in range(1, rounds + 1):
        Round.objects.create(
            meeting=meeting,
            number=round_number,
            question_en=f"Question {round_number}?",
            question_es=f"¿Pregunta {round_number}?",
        )
    return meeting


def make_panelist(meeting, mechanism=None, **fields):
    """A panelist added the way the secretariat adds one: turns and a personal link."""
    from meetings.services.panel import add_panelist

    defaults = {"name": f"Panelist {next(_numbers)}", "email": "panelist@example.org"}
    return add_panelist(
        meeting, mechanism=mechanism or make_mechanism(), by=None, **{**defaults, **fields}
    )


def make_user(role: str | None = None, **fields):
    """A user in the role's group (Chair, Secretariat), or staff/superuser via fields."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=fields.pop("username", f"user{next(_numbers)}"),
        password=fields.pop("password", "a-long-test-password-1234"),
        **fields,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def before_the_session(meeting):
    """The meeting as the console first sees it: panel set up, live version back to 0.

    (Setting up the panel raises the version; tests of the session count from zero.)
    """
    from meetings.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(live_version=0)
    meeting.refresh_from_db()
    return meeting


def every_field(form_class, prefix: str = "") -> dict:
    """Each field a form's page sends, empty: what a browser posts for a form left blank."""
    return {f"{prefix}{name}": "" for name in form_class.base_fields}


def meeting_form(**overrides) -> dict:
    """What the meeting form posts for a valid new meeting with two rounds (every field its
    page sends, the optional ones empty); overrides win."""
    from meetings.forms import MeetingForm, RoundForm

    data = {
        **every_field(MeetingForm),
        "title_en": "Labour migration",
        "title_es": "Migración laboral",
        "slug": "labour-migration",
        "status": "scheduled",
        "date": "2031-03-10",
        "start_time": "10:00",
        "end_time": "12:30",
        "time_zone": "America/New_York",
        "format": "hybrid",
        "virtual_link": "https://meet.example.org/labour-migration",
        "speaking_seconds": "420",
        "warning_seconds": "60",
        "opening_minutes": "10",
        "closing_minutes": "10",
        "changeover_seconds": "30",
        "reminder_days": "7,2",
        "rounds-TOTAL_FORMS": "2",
        "rounds-INITIAL_FORMS": "0",
        "rounds-MIN_NUM_FORMS": "1",
        "rounds-MAX_NUM_FORMS": "1000",
        **every_field(RoundForm, "rounds-0-"),
        "rounds-0-id": "",
        "rounds-0-number": "1",
        "rounds-0-question_en": "What works?",
        "rounds-0-speaking_seconds": "420",
        **every_field(RoundForm, "rounds-1-"),
        "rounds-1-id": "",
        "rounds-1-number": "2",
        "rounds-1-question_en": "What next?",
        "rounds-1-speaking_seconds": "300",
    }
    return {**data, **overrides}


def panelist_form(**overrides) -> dict:
    """What the panelist form posts (every field its page sends, the optional ones empty)."""
    from meetings.forms import PanelistForm

    return {**every_field(PanelistForm), "status": "invited", **overrides}


def saved_rounds(meeting) -> dict:
    """What the meeting form posts, beside meeting_form's fields, to edit a meeting's two
    saved rounds rather than add new ones: their ids."""
    return {
        "rounds-INITIAL_FORMS": "2",
        "rounds-0-id": str(meeting.rounds.get(number=1).pk),
        "rounds-1-id": str(meeting.rounds.get(number=2).pk),
    }


def substitute_form(**overrides) -> dict:
    """What the substitute form posts (every field its page sends; the invitation box is
    ticked only when an override says so)."""
    from meetings.forms import SubstituteForm

    fields = every_field(SubstituteForm)
    del fields["invite"]  # a checkbox: absent when unticked
    return {**fields, **overrides}


def answer_post(panelist, text: str = "", action: str = "draft", *, number: int = 1, **more):
    """The portal's answer form as its page sends it: the text, the button and the version
    of the answer the page started from (the one saved now, as after a fresh load)."""
    from meetings.models import Answer

    answer = Answer.objects.filter(panelist=panelist, round__number=number).first()
    return {
        f"round-{number}-text": text,
        "action": action,
        f"round-{number}-version": answer.version if answer else 0,
        **more,
    }


def make_item(meeting, kind: str, **fields):
    """An agenda item at the end of the meeting's agenda (a dialogue: three minutes per
    intervention)."""
    from django.db.models import Max

    from meetings.models import AgendaItem, ItemKind

    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    defaults = {
        "position": last + 1,
        "title_en": {"remarks": "Remarks", "dialogue": "Dialogue"}.get(kind, "Break"),
        "speaking_seconds": 180 if kind in (ItemKind.DIALOGUE, ItemKind.REMARKS) else None,
    }
    return AgendaItem.objects.create(meeting=meeting, kind=kind, **{**defaults, **fields})


def make_remarks_speaker(item, speaker_en: str = "Chair of the CAM", **fields):
    from django.db.models import Max

    from meetings.models import Intervention

    last = item.interventions.aggregate(last=Max("position"))["last"] or 0
    return Intervention.objects.create(
        meeting=item.meeting, item=item, position=last + 1, speaker_en=speaker_en, **fields
    )


def make_delegation(meeting, state=None, **fields):
    """A member state's delegation (a new state unless given), with its floor link; an
    observer's or organisation's when `kind` and `name_en` are given."""
    from meetings.models import Delegation, DelegationKind
    from meetings.services.links import issue_link

    if fields.get("kind", DelegationKind.MEMBER_STATE) == DelegationKind.MEMBER_STATE:
        state = state or make_state()
        fields = {"kind": DelegationKind.MEMBER_STATE, "state": state, "code": state.code, **fields}
    delegation = Delegation.objects.create(meeting=meeting, **fields)
    issue_link(delegation, log=False)
    return delegation


def whole_agenda(meeting):
    """Opening remarks before the meeting's rounds, then a dialogue and closing remarks, as the
    seeded meeting has them: returns (opening, dialogue, closing)."""
    from meetings.models import AgendaItem, ItemKind
    from meetings.models.agenda import make_room

    make_room(meeting.pk, 1)
    opening = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        kind=ItemKind.REMARKS,
        title_en="Opening remarks",
        speaking_seconds=300,
    )
    make_remarks_speaker(opening)
    dialogue = make_item(meeting, ItemKind.DIALOGUE, title_en="Dialogue with delegations")
    closing = make_item(meeting, ItemKind.REMARKS, title_en="Closing remarks", speaking_seconds=300)
    make_remarks_speaker(closing)
    return opening, dialogue, closing


def state_delegation(meeting, code: str, name_en: str, name_es: str = ""):
    """A member state's delegation, the state named in English and Spanish."""
    state = make_state(code=code, alpha3=f"{code}X", name_en=name_en, name_es=name_es or name_en)
    return make_delegation(meeting, state)


def agenda_with_a_break(meeting) -> dict:
    """Opening remarks by the Chair of the CAM before the meeting's rounds, then the dialogue
    (3 minutes each) and a coffee break, each titled in English, Spanish and French. Returns
    the items by kind ("remarks", "dialogue", "other")."""
    from meetings.models import AgendaItem, ItemKind
    from meetings.models.agenda import make_room

    make_room(meeting.pk, 1)
    remarks = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        kind=ItemKind.REMARKS,
        title_en="Opening remarks",
        title_es="Palabras de apertura",
        title_fr="Allocution d'ouverture",
        speaking_seconds=300,
    )
    make_remarks_speaker(
        remarks, speaker_es="Presidencia de la CAM", speaker_fr="Présidence de la CAM"
    )
    dialogue = make_item(
        meeting,
        ItemKind.DIALOGUE,
        title_en="Dialogue with delegations",
        title_es="Diálogo con las delegaciones",
        title_fr="Dialogue avec les délégations",
        planned_minutes=30,
    )
    other = make_item(
        meeting,
        ItemKind.OTHER,
        title_en="Coffee break",
        title_es="Pausa para el café",
        title_fr="Pause café",
        planned_minutes=15,
    )
    return {"remarks": remarks, "dialogue": dialogue, "other": other}


def past_the_opening(meeting):
    """The seeded meeting's opening remarks given: the Chair has spoken, round 1 comes next."""
    from meetings.services import live_session

    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next", by=None)


def close_every_item(meeting):
    """Next item until the agenda is over (every speaker still waiting skipped)."""
    from meetings.domain.clock import NotAllowed
    from meetings.services import live_session

    while True:
        try:
            live_session.perform(meeting, "next_item", by=None)
        except NotAllowed:
            return
