"""Every existing meeting gets its agenda (one item per round, in the rounds' order: no turn
is touched) and a delegation for each member state of the OAS."""

from django.db import migrations


def agenda_and_delegations(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Delegation = apps.get_model("meetings", "Delegation")
    MemberState = apps.get_model("mechanisms", "MemberState")
    states = list(MemberState.objects.filter(oas_status="member").order_by("code"))
    for meeting in Meeting.objects.all():
        for position, round_ in enumerate(meeting.rounds.order_by("number"), start=1):
            AgendaItem.objects.get_or_create(
                round=round_, defaults={"meeting": meeting, "position": position, "kind": "round"}
            )
        for state in states:
            Delegation.objects.get_or_create(
                meeting=meeting,
                code=state.code,
                defaults={"kind": "member_state", "state": state},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("mechanisms", "0003_one_line_fields"),
        ("meetings", "0021_agenda_delegations_interventions"),
    ]

    operations = [migrations.RunPython(agenda_and_delegations, migrations.RunPython.noop)]
