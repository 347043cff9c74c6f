"""A meeting run through its whole agenda with the services, at fixed instants, so that every
second of its record is known (used by the record's, the exports', the archive's and the
browser's tests).

The agenda: 1 Opening remarks (the Chair of the CAM, Ana Pérez; 5 min), 2 Round 1 (two
panelists: Rosa Díaz for the RCM, Tomás Vera for the CSM; 7 min each), 3 Dialogue with
delegations (3 min each, 20 min planned), 4 Break (15 min), 5 Closing remarks (the Chair, 5
min). Delegations: Mexico (in the room), Spain (a permanent observer, online) and the IOM (an
organisation, not present, yet it speaks), and Canada (not present, silent: not in the
record). Spain raises a point of order during the round; in the dialogue Mexico, then the IOM
speak.
"""

import datetime as dt

from meetings.models import (
    AgendaItem,
    Attendance,
    Delegation,
    DelegationKind,
    Intervention,
    ItemKind,
    Meeting,
    PanelistStatus,
)
from meetings.models.agenda import make_room
from meetings.services import floor, live_session
from meetings.services.answers import submit_answer
from meetings.services.revisions import save_text
from tests.factories import (
    before_the_session,
    make_delegation,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_state,
)

T0 = dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)  # 10:00 in New York: the opening


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def z(seconds: float) -> str:
    return at(seconds).isoformat().replace("+00:00", "Z")


def act(meeting: Meeting, action: str, seconds: float, **arguments) -> None:
    live_session.perform(meeting, action, by=None, now=at(seconds), **arguments)


def build_agenda(meeting: Meeting) -> dict[str, AgendaItem]:
    """Opening remarks before the round, the dialogue, a break and the closing after it."""
    make_room(meeting.pk, 1)

    def item(position: int, kind: str, title_en: str, title_es: str, **fields) -> AgendaItem:
        return AgendaItem.objects.create(
            meeting=meeting, position=position, kind=kind, title_en=title_en,
            title_es=title_es, **fields,
        )  # fmt: skip

    items = {
        "opening": item(1, ItemKind.REMARKS, "Opening remarks", "Palabras de apertura",
                        speaking_seconds=300),
        "dialogue": item(3, ItemKind.DIALOGUE, "Dialogue with delegations",
                         "Diálogo con las delegaciones", speaking_seconds=180,
                         planned_minutes=20),
        "break": item(4, ItemKind.OTHER, "Break", "Pausa", planned_minutes=15),
        "closing": item(5, ItemKind.REMARKS, "Closing remarks", "Palabras de clausura",
                        speaking_seconds=300),
    }  # fmt: skip
    for remarks in (items["opening"], items["closing"]):
        Intervention.objects.create(
            meeting=meeting,
            item=remarks,
            position=1,
            speaker_en="Chair of the CAM",
            speaker_es="Presidencia de la CAM",
            speaker_name="Ana Pérez",
        )
    return items


def build_delegations(meeting: Meeting) -> dict[str, Delegation]:
    mexico = make_state(code="MX", alpha3="MEX", name_en="Mexico", name_es="México")
    canada = make_state(code="CA", alpha3="CAN", name_en="Canada", name_es="Canadá")
    return {
        "mexico": make_delegation(meeting, mexico, attendance=Attendance.IN_ROOM),
        "canada": make_delegation(meeting, canada),
        "spain": make_delegation(
            meeting,
            kind=DelegationKind.OBSERVER,
            code="ES",
            name_en="Spain",
            name_es="España",
            attendance=Attendance.ONLINE,
        ),
        "iom": make_delegation(
            meeting,
            kind=DelegationKind.ORGANISATION,
            code="IOM",
            name_en="International Organization for Migration",
            name_es="Organización Internacional para las Migraciones",
        ),
    }


def run_the_agenda(meeting: Meeting, delegations: dict[str, Delegation]) -> None:
    """Opening 280 s; Rosa 400 s; Spain's point of order 60 s; Tomás 430 s (10 s over);
    the dialogue: Mexico 170 s, the IOM 200 s (20 s over), then Next item; the break until
    Next item; the closing 290 s."""
    act(meeting, "start", 0)
    act(meeting, "next", 280)  # the opening is over
    act(meeting, "start", 300)  # Rosa
    floor.request_floor(delegations["spain"], point_of_order=True, now=at(350))
    act(meeting, "next", 700)  # the point of order goes first
    act(meeting, "start", 710)
    act(meeting, "next", 770)  # Tomás has the floor
    act(meeting, "start", 780)
    act(meeting, "next", 1210)  # the round is over: the dialogue
    floor.request_floor(delegations["mexico"], now=at(1220))
    floor.request_floor(delegations["iom"], now=at(1225))
    act(meeting, "start", 1230)  # Mexico
    act(meeting, "next", 1400)  # the IOM has the floor
    act(meeting, "start", 1410)
    act(meeting, "next", 1610)
    act(meeting, "next_item", 1700)  # the dialogue closes: the break
    act(meeting, "next_item", 2600)  # the break is over
    act(meeting, "start", 2610)  # the closing
    act(meeting, "next", 2900)


def whole_meeting(*, slug: str = "whole-record") -> dict:
    """The meeting of this module's docstring, run to the end, with summaries and notes."""
    meeting = make_meeting(
        rounds=1,
        slug=slug,
        title_en="Whole thematic meeting",
        title_es="Reunión temática completa",
        chair_en="Chair of the CAM",
    )
    rcm = make_mechanism(slug="rcm-w", acronym_en="RCM", acronym_es="CRM", name_en="RCM")
    csm = make_mechanism(slug="csm-w", acronym_en="CSM", acronym_es="CSM", name_en="CSM")
    rosa = make_panelist(meeting, rcm, name="Rosa Díaz", status=PanelistStatus.CONFIRMED)
    tomas = make_panelist(meeting, csm, name="Tomás Vera", status=PanelistStatus.CONFIRMED)
    items = build_agenda(meeting)
    delegations = build_delegations(meeting)
    submit_answer(rosa, meeting.rounds.get(), "RCM's answer.")
    before_the_session(meeting)
    run_the_agenda(meeting, delegations)

    opening = items["opening"].interventions.get()
    save_text(opening, "summary", "The Chair opened the meeting.", base_version=0, by=None)
    mexico = Intervention.objects.get(delegation=delegations["mexico"])
    save_text(mexico, "summary", "Mexico asked about returns.", base_version=0, by=None)
    save_text(mexico, "notes", "Internal: Mexico spoke fast.", base_version=0, by=None)
    return {
        "meeting": Meeting.objects.get(pk=meeting.pk),
        "rosa": rosa,
        "tomas": tomas,
        **items,
        **delegations,
    }
