"""The audit trail: every action on a meeting says who did it and when."""

from meetings.models import Meeting, MeetingLog, Panelist


def log_action(
    meeting: Meeting,
    action: str,
    *,
    actor=None,
    panelist: Panelist | None = None,
    **detail: object,
) -> MeetingLog:
    user = actor if actor is not None and actor.is_authenticated else None
    return MeetingLog.objects.create(
        meeting=meeting, action=action, actor=user, panelist=panelist, detail=detail
    )
