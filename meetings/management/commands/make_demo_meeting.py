"""A meeting with two rounds and N panelists spread over the mechanisms, run to the end, with
answers, notes, summaries and proposed coordination: for demos and benchmarks."""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mechanisms.models import Mechanism
from meetings.models import (
    Answer,
    AnswerStatus,
    Meeting,
    MeetingStatus,
    Panelist,
    PanelistStatus,
    Round,
    Turn,
    TurnStatus,
)
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

    @transaction.atomic
    def handle(self, *args, slug: str, panelists: int, seed: int, **options):
        if Meeting.objects.filter(slug=slug).exists():
            raise CommandError(f"A meeting with the slug {slug!r} exists already.")
        mechanisms = list(Mechanism.objects.all())
        if not mechanisms:
            raise CommandError("No mechanisms: run `python manage.py load_seeds` first.")
        if panelists < 1:
            raise CommandError("--panelists must be at least 1.")
        rng = random.Random(seed)  # noqa: S311  (demo data, repeatable; not a secret)
        meeting = create_meeting(slug, panelists)
        rounds = [
            Round.objects.create(meeting=meeting, number=n, question_en=en, question_es=es)
            for n, (en, es) in enumerate(QUESTIONS, start=1)
        ]
        seats = seat_panel(meeting, mechanisms, panelists)
        run_to_the_end(meeting, rounds, mechanisms, rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {meeting.slug} with {len(seats)} panelists, run to the end."
            )
        )


def create_meeting(slug: str, panelists: int) -> Meeting:
    return Meeting.objects.create(
        slug=slug,
        title_en=f"Demo thematic meeting ({panelists} panelists)",
        title_es=f"Reunión temática de demostración ({panelists} panelistas)",
        date=dt.date(2026, 5, 17),
        start_time=dt.time(10, 0),
        end_time=dt.time(13, 0),
        status=MeetingStatus.CONCLUDED,
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
