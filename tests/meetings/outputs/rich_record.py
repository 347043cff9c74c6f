"""A record as build_record writes it, with every part a document can show filled in and
every kind of markup typed where users type: the exports of this record are pinned to the
byte (tests/meetings/outputs/expected/)."""

TYPED = (
    "**bold** <b>tag</b> & &amp; `code` _under_ snake_case | pipe ~~struck~~ [a](b) ![i](x)\n"
    "# not a heading\n"
    "  - not a list\n"
    "1. not numbered\n"
    "2) nor this\n"
    "> not a quote\n"
    "===\n"
    "+ plus\n"
    "\"double\" and 'single' quotes, 3 < 4 > 2, \\ backslash"
)


def rich_record(*, internal: bool = True) -> dict:
    """A published record of three rounds: a round with a title, a turn still running, one
    given on another day, a substitute, a declined seat, coordination with a mechanism not on
    the panel, notes (when `internal`)."""

    def entry(turn, panelist, mechanism, position, status, **values):
        base = {
            "turn": turn,
            "panelist": panelist,
            "mechanism": mechanism,
            "position": position,
            "status": status,
            "answer": "",
            "answer_submitted_at": None,
            "summary": "",
            "coordination": [],
            "allotted_seconds": 420,
            "used_seconds": 0,
            "overtime_seconds": 0,
            "planned_start": None,
            "planned_end": None,
            "started_at": None,
            "ended_at": None,
        }
        base.update(values)
        if internal:
            base.setdefault("notes", "")
        else:
            base.pop("notes", None)
        return base

    panel = [
        {
            "id": 2,
            "mechanism": "rcm",
            "name": "Ana *Pérez* <i>",
            "honorific": "Dr.",
            "position": "Director | General",
            "organisation": "Ministry of [Foreign] Affairs",
            "status": "confirmed",
            "spoke": True,
        },
        {
            "id": 1,
            "mechanism": "c_s_m",
            "name": "# Luis Gómez",
            "honorific": "",
            "position": "",
            "organisation": "",
            "status": "confirmed",
            "spoke": True,
        },
        {
            "id": 3,
            "mechanism": "c_s_m",
            "name": "Eva Ruiz",
            "honorific": "",
            "position": "",
            "organisation": "",
            "status": "declined",
            "spoke": False,
        },
        {
            "id": 4,
            "mechanism": "c_s_m",
            "name": "1. Sub & Stitute",
            "honorific": "",
            "position": "Adviser",
            "organisation": "",
            "status": "invited",
            "spoke": True,
        },
    ]
    if internal:
        for person in panel:
            person["decline_reason"] = "Away <travelling>" if person["id"] == 3 else ""
            person["substitute_for"] = 3 if person["id"] == 4 else None
    return {
        "schema": "cam-meetings/record/1",
        "language": "en",
        "generated_at": "2030-05-18T15:30:05Z",
        "internal": internal,
        "published_at": "2030-05-18T15:30:05Z",
        "published_by": "Sam <Clerk> & *Co*",
        "meeting": {
            "slug": "rich-record",
            "title": "A *rich* <meeting> & [record] of `R4V` | 1. #2",
            "document_reference": "CIDRP/00001 | E_01_",
            "date": "2030-05-17",
            "start": "10:00",
            "end": "13:00",
            "time_zone": "America/New_York",
            "scheduled_start": "2030-05-17T14:00:00Z",
            "scheduled_end": "2030-05-17T17:00:00Z",
            "format": "Hybrid",
            "venue": "OAS <headquarters>",
            "chair": "Chair *of* the CAM",
            "convening_body": "Committee on Migration Issues & <Co>",
        },
        "mechanisms": [
            {"slug": "rcm", "acronym": "R*C*M", "name": "Regional <Conference>", "on_panel": True},
            {
                "slug": "c_s_m",
                "acronym": "C_S_M \"q\" 'a'",
                "name": "South American | Conference",
                "on_panel": True,
            },
            {"slug": "gcm", "acronym": "<GCM>", "name": "Global Compact", "on_panel": False},
        ],
        "panel": panel,
        "rounds": [
            {
                "number": 1,
                "title": "Challenges & *priorities*",
                "question": "What are the *challenges*?\n# Second line",
                "speaking_seconds": 420,
                "entries": [
                    entry(
                        3,
                        2,
                        "rcm",
                        1,
                        "finished",
                        answer=TYPED,
                        answer_submitted_at="2030-05-16T12:00:00Z",
                        summary="Ana: *regional* work.\n\nSecond paragraph.",
                        coordination=["c_s_m", "gcm"],
                        allotted_seconds=420,
                        used_seconds=400,
                        planned_start="2030-05-17T14:10:00Z",
                        planned_end="2030-05-17T14:17:00Z",
                        started_at="2030-05-17T14:10:00Z",
                        ended_at="2030-05-17T14:16:40Z",
                        notes="Internal: **fast**\n- aside",
                    ),
                    entry(
                        1,
                        1,
                        "c_s_m",
                        2,
                        "finished",
                        answer="CSM answer.\nSecond line.",
                        summary=TYPED,
                        coordination=["rcm"],
                        allotted_seconds=480,
                        used_seconds=500,
                        overtime_seconds=20,
                        planned_start="2030-05-17T14:17:30Z",
                        planned_end="2030-05-17T14:24:30Z",
                        started_at="2030-05-17T14:17:10Z",
                        ended_at="2030-05-17T14:25:30Z",
                    ),
                ],
            },
            {
                "number": 2,
                "title": "",
                "question": "Question 2 | [x]?",
                "speaking_seconds": 420,
                "entries": [
                    entry(
                        4,
                        2,
                        "rcm",
                        1,
                        "running",
                        answer="",
                        summary="",
                        coordination=["c_s_m"],
                        used_seconds=450,
                        overtime_seconds=30,
                        planned_start="2030-05-17T14:24:30Z",
                        planned_end="2030-05-17T14:31:30Z",
                        started_at="2030-05-17T14:26:40Z",
                        notes=TYPED,
                    ),
                    entry(
                        2,
                        1,
                        "c_s_m",
                        2,
                        "skipped",
                        planned_start="2030-05-17T14:32:00Z",
                        planned_end="2030-05-17T14:39:00Z",
                    ),
                    entry(
                        5,
                        4,
                        "c_s_m",
                        3,
                        "finished",
                        answer="Substitute's answer",
                        summary="- a list?",
                        used_seconds=3725,
                        overtime_seconds=3305,
                        planned_start="2030-05-17T14:39:30Z",
                        started_at="2030-12-04T15:10:00Z",
                        ended_at="2030-12-04T16:12:05Z",
                    ),
                ],
            },
            {
                "number": 3,
                "title": "Nobody",
                "question": "",
                "speaking_seconds": 300,
                "entries": [],
            },
        ],
    }
