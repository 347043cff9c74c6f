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


def rich_record(*, internal: bool = True, agenda: bool = True) -> dict:
    """A published record of three rounds: a round with a title, a turn still running, one
    given on another day, a substitute, a declined seat, coordination with a mechanism not on
    the panel, notes (when `internal`); and around the rounds (unless `agenda` is False: a
    record of schema 1, published before agendas) opening remarks, a point of order in round 1,
    the dialogue with two delegations and a break, and the delegations that took part."""

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
    record = {
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
    if agenda:
        record.update(schema="cam-meetings/record/2", **whole_agenda(internal=internal))
    return record


def intervention(number, speaker, **values):
    base = {
        "intervention": number,
        "position": 1,
        "speaker": speaker,
        "delegation": None,
        "point_of_order": False,
        "source": "planned",
        "attendance": "in_room",
        "status": "finished",
        "summary": "",
        "allotted_seconds": 180,
        "used_seconds": 0,
        "overtime_seconds": 0,
        "requested_at": None,
        "started_at": None,
        "ended_at": None,
        "notes": "",
    }
    return base | values


def item(position, kind, title, **values):
    base = {
        "position": position,
        "kind": kind,
        "title": title,
        "round": None,
        "speaking_seconds": 180,
        "planned_seconds": 0,
        "actual_seconds": None,
        "used_seconds": 0,
        "planned_start": None,
        "planned_end": None,
        "started_at": None,
        "ended_at": None,
        "interventions": [],
    }
    return base | values


def whole_agenda(*, internal: bool) -> dict:
    """The agenda around the three rounds, and the delegations."""
    agenda = [
        item(
            1,
            "remarks",
            "Opening *remarks*",
            speaking_seconds=300,
            planned_seconds=300,
            actual_seconds=290,
            used_seconds=290,
            started_at="2030-05-17T14:00:00Z",
            ended_at="2030-05-17T14:04:50Z",
            interventions=[
                intervention(
                    11,
                    "Chair of the CAM, # Ana <Chair>",
                    allotted_seconds=300,
                    used_seconds=290,
                    summary=TYPED,
                    started_at="2030-05-17T14:00:00Z",
                    ended_at="2030-05-17T14:04:50Z",
                    notes="Internal: *opening*",
                )
            ],
        ),
        item(
            2,
            "round",
            "Round 1: Challenges & *priorities*",
            round=1,
            speaking_seconds=420,
            planned_seconds=840,
            actual_seconds=990,
            used_seconds=960,
            planned_start="2030-05-17T14:10:00Z",
            planned_end="2030-05-17T14:24:30Z",
            started_at="2030-05-17T14:10:00Z",
            ended_at="2030-05-17T14:26:30Z",
            interventions=[
                intervention(
                    12,
                    "Delegation of [Spain]",
                    delegation="ES",
                    point_of_order=True,
                    source="floor_page",
                    attendance="online",
                    allotted_seconds=420,
                    used_seconds=60,
                    requested_at="2030-05-17T14:12:00Z",
                    started_at="2030-05-17T14:25:30Z",
                    ended_at="2030-05-17T14:26:30Z",
                )
            ],
        ),
        item(3, "round", "Round 2", round=2, speaking_seconds=420, planned_seconds=1260),
        item(4, "round", "Round 3: Nobody", round=3, speaking_seconds=300),
        item(
            5,
            "dialogue",
            "Dialogue | with *delegations*",
            planned_seconds=1200,
            actual_seconds=600,
            used_seconds=400,
            started_at="2030-12-04T16:12:05Z",
            ended_at="2030-12-04T16:22:05Z",
            interventions=[
                intervention(
                    13,
                    "Delegation of <Mexico>",
                    delegation="MX",
                    source="floor_page",
                    summary="- asked about *returns*",
                    used_seconds=200,
                    overtime_seconds=20,
                    requested_at="2030-12-04T16:12:30Z",
                    started_at="2030-12-04T16:13:00Z",
                    ended_at="2030-12-04T16:16:20Z",
                    notes=TYPED,
                ),
                intervention(
                    14,
                    "1. IOM",
                    delegation="IOM",
                    position=2,
                    source="chair",
                    used_seconds=200,
                    overtime_seconds=20,
                    started_at="2030-12-04T16:17:00Z",
                    ended_at="2030-12-04T16:20:20Z",
                ),
                intervention(
                    15,
                    "Delegation of Canada",
                    delegation="CA",
                    position=3,
                    status="pending",
                    source="floor_page",
                    requested_at="2030-12-04T16:18:00Z",
                ),
            ],
        ),
        item(
            6,
            "other",
            "Break > coffee",
            speaking_seconds=None,
            planned_seconds=900,
            actual_seconds=None,
        ),
    ]
    if not internal:
        for agenda_item in agenda:
            for spoken in agenda_item["interventions"]:
                del spoken["notes"]
    delegations = [
        {
            "code": "MX",
            "name": "Delegation of <Mexico>",
            "kind": "member_state",
            "attendance": "in_room",
            "interventions": 1,
            "points_of_order": 0,
            "used_seconds": 200,
            "spoke": True,
        },
        {
            "code": "US",
            "name": "Delegation of the *United States*",
            "kind": "member_state",
            "attendance": "online",
            "interventions": 0,
            "points_of_order": 0,
            "used_seconds": 0,
            "spoke": False,
        },
        {
            "code": "ES",
            "name": "Delegation of [Spain]",
            "kind": "observer",
            "attendance": "online",
            "interventions": 1,
            "points_of_order": 1,
            "used_seconds": 60,
            "spoke": True,
        },
        {
            "code": "IOM",
            "name": "1. IOM",
            "kind": "organisation",
            "attendance": "absent",
            "interventions": 1,
            "points_of_order": 0,
            "used_seconds": 200,
            "spoke": True,
        },
    ]
    return {"agenda": agenda, "delegations": delegations}
