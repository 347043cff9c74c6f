"""A meeting with two rounds and N panelists spread over the mechanisms, run to the end, with
answers, notes, summaries and proposed coordination: for demos and benchmarks.

With --observers it is a General Assembly's too: a delegation for every member state of the
reference table and that many observers, each with its floor link, and a dialogue with the
delegations after the rounds. With --dialogue the meeting stops there, in progress: the
rounds spoken, the dialogue under way with its list of speakers open, no request yet."""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mechanisms.models import Mechanism
from meetings.models import (
    AgendaItem,
    Answer,
    AnswerStatus,
    Attendance,
    Delegation,
    DelegationKind,
    ItemKind,
    Meeting,
    MeetingStatus,
    Panelist,
    PanelistStatus,
    Round,
    Turn,
    TurnStatus,
)
from meetings.services.floor import ensure_member_delegations
from meetings.services.links import issue_link
from meetings.services.panel import add_panelist

QUESTIONS = [
    (
        "What are the main challenges and good practices that the mechanism you represent has "
        "developed to respond to migration and forced displacement?",
        "¿Cuáles son los principales desafíos y buenas prácticas que ha desarrollado el "
        "mecanismo que usted representa para responder a la migración y al desplazamiento forzado?",
    ),
    (
        "What opportunities for coordination and cooperation do you see with the other "
        "mechanisms present today?",
        "¿Qué oportunidades de coordinación y cooperación ve con los demás mecanismos "
        "presentes hoy?",
    ),
]


class Command(BaseCommand):
    help = "Create a demo meeting, already run, with N panelists, answers, notes and summaries."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--panelists", type=int, default=8)
        parser.add_argument("--seed", type=int, default=17, help="Random seed (repeatable data).")
        parser.add_argument(
            "--observers",
            type=int,
            help="A General Assembly: a delegation for every member state of the reference "
            "table and this many observers (codes OB1, OB2...), and a dialogue with the "
            "delegations after the rounds.",
        )
        parser.add_argument(
            "--dialogue",
            action="store_true",
            help="Stop at the dialogue (delegations as with --observers, none by default): the "
            "rounds spoken, the dialogue under way with its list of speakers open.",
        )

    @transaction.atomic
    def handle(
        self,
        *args,
        slug: str,
        panelists: int,
        seed: int,
        observers: int | None,
        dialogue: bool,
        **options,
    ):
        if Meeting.objects.filter(slug=slug).exists():
            raise CommandError(f"A meeting with the slug {slug!r} exists already.")
        mechanisms = list(Mechanism.objects.all())
        if not mechanisms:
            raise CommandError("No mechanisms: run `python manage.py load_seeds` first.")
        if panelists < 1:
            raise CommandError("--panelists must be at least 1.")
        if observers is not None and observers < 0:
            raise CommandError("--observers cannot be negative.")
        assembly = observers is not None or dialogue
        rng = random.Random(seed)  # noqa: S311  (demo data, repeatable; not a secret)
        meeting = create_meeting(slug, panelists, in_dialogue=dialogue)
        rounds = [
            Round.objects.create(meeting=meeting, number=n, question_en=en, question_es=es)
            for n, (en, es) in enumerate(QUESTIONS, start=1)
        ]
        seats = seat_panel(meeting, mechanisms, panelists)
        run_to_the_end(meeting, rounds, mechanisms, rng)
        if not assembly:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {meeting.slug} with {len(seats)} panelists, run to the end."
                )
            )
            return
        if not ensure_member_delegations(meeting) and not meeting.delegations.exists():
            raise CommandError("No member states: run `python manage.py load_seeds` first.")
        add_observers(meeting, observers or 0)
        seat_delegations(meeting, rng)
        add_dialogue(meeting, closed=not dialogue)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {meeting.slug} with {len(seats)} panelists and "
                f"{meeting.delegations.count()} delegations, "
                + ("at its dialogue." if dialogue else "run to the end.")
            )
        )


def create_meeting(slug: str, panelists: int, *, in_dialogue: bool = False) -> Meeting:
    return Meeting.objects.create(
        slug=slug,
        title_en=f"Demo thematic meeting ({panelists} panelists)",
        title_es=f"Reunión temática de demostración ({panelists} panelistas)",
        date=dt.date(2026, 5, 17),
        start_time=dt.time(10, 0),
        end_time=dt.time(13, 0),
        status=MeetingStatus.IN_PROGRESS if in_dialogue else MeetingStatus.CONCLUDED,
        chair_en="Chair of the Committee on Migration Issues (CAM)",
        convening_body=Mechanism.objects.filter(slug="cam").first(),
    )


def seat_panel(meeting: Meeting, mechanisms: list[Mechanism], panelists: int) -> list[Panelist]:
    """`panelists` confirmed seats, the mechanisms taken in turn."""
    return [
        add_panelist(
            meeting,
            mechanism=mechanisms[index % len(mechanisms)],
            by=None,
            name=f"Panelist {index + 1}",
            email=f"panelist{index + 1}@example.org",
            status=PanelistStatus.CONFIRMED,
        )
        for index in range(panelists)
    ]


def run_to_the_end(
    meeting: Meeting, rounds: list[Round], mechanisms: list[Mechanism], rng: random.Random
) -> None:
    """Every turn spoken in order, 300 to 500 s each with 30 s between speakers, from ten
    minutes after the start: with its notes, summary, proposed coordination and the panelist's
    submitted answer."""
    clock = meeting.starts_at + dt.timedelta(minutes=10)
    for round_ in rounds:
        for turn in Turn.objects.filter(round=round_).select_related("panelist__mechanism"):
            others = rng.sample(mechanisms, k=min(2, len(mechanisms)))
            others = [m for m in others if m != turn.panelist.mechanism]
            names = ", ".join(m.acronym_en for m in others) or "the other mechanisms"
            used = rng.randint(300, 500)
            turn.status = TurnStatus.FINISHED
            turn.spent_seconds = used
            turn.started_at = clock
            turn.ended_at = clock + dt.timedelta(seconds=used)
            turn.notes = f"Stressed regional cooperation; proposed joint work with {names}."
            turn.summary = (
                f"The {turn.panelist.mechanism.name_en} described its work and proposed "
                f"to coordinate with {names}."
            )
            turn.save()
            turn.coordination.set(others)
            written = f"Written answer of {turn.panelist.name} to round {round_.number}."
            Answer.objects.create(
                panelist=turn.panelist,
                round=round_,
                draft_text=written,
                submitted_text=written,
                status=AnswerStatus.SUBMITTED,
                submitted_at=meeting.starts_at - dt.timedelta(days=2),
            )
            clock = turn.ended_at + dt.timedelta(seconds=30)


def add_observers(meeting: Meeting, count: int) -> list[Delegation]:
    """`count` permanent observers, OB1 to OB<count>, each with its floor link."""
    observers = []
    for number in range(1, count + 1):
        observer = Delegation.objects.create(
            meeting=meeting,
            kind=DelegationKind.OBSERVER,
            code=f"OB{number}",
            name_en=f"Observer {number}",
            name_es=f"Observador {number}",
            name_fr=f"Observateur {number}",
            name_pt=f"Observador {number}",
        )
        issue_link(observer, log=False)
        observers.append(observer)
    return observers


def seat_delegations(meeting: Meeting, rng: random.Random) -> None:
    """Every delegation present: most in the room, one in five online."""
    for delegation in meeting.delegations.all():
        online = rng.random() < 0.2
        delegation.attendance = Attendance.ONLINE if online else Attendance.IN_ROOM
        delegation.save(update_fields=["attendance", "updated_at"])


def add_dialogue(meeting: Meeting, *, closed: bool) -> AgendaItem:
    """The dialogue with the delegations after the rounds, three minutes per intervention:
    closed when the meeting was run to the end (nobody asked), else the item under way."""
    last = meeting.agenda.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        kind=ItemKind.DIALOGUE,
        title_en="Dialogue with delegations",
        title_es="Diálogo con las delegaciones",
        title_fr="Dialogue avec les délégations",
        title_pt="Diálogo com as delegações",
        speaking_seconds=180,
        planned_minutes=30,
        closed_at=meeting.ends_at if closed else None,
    )
