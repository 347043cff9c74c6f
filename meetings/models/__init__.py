"""The meetings' models, one module per part of a meeting; every model and its
choices are imported from here (`from meetings.models import Turn`)."""

from meetings.models.agenda import PLANNED_MINUTES_MAX, TIMED_KINDS, AgendaItem, ItemKind
from meetings.models.answer import ANSWER_MAX_LENGTH, Answer, AnswerRevision, AnswerStatus
from meetings.models.api_token import API_TOKEN_NAME_MAX_LENGTH, ApiToken
from meetings.models.delegation import (
    Attendance,
    ConfirmedAttendance,
    Delegation,
    DelegationKind,
    Representative,
)
from meetings.models.email import Email, EmailKind, EmailStatus
from meetings.models.intervention import Intervention, RequestSource
from meetings.models.log import MeetingLog
from meetings.models.meeting import (
    KNOWN_TIME_ZONES,
    MESSAGE_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    RESERVED_SLUGS,
    SPEAKING_SECONDS_DEFAULT,
    SPEAKING_SECONDS_MAX,
    SPEAKING_SECONDS_MIN,
    TIME_ZONE_AREAS,
    TIME_ZONES,
    Meeting,
    MeetingConcluded,
    MeetingFormat,
    MeetingQuerySet,
    MeetingStatus,
    QuickMessage,
    Round,
    validate_meeting_date,
    validate_meeting_slug,
    validate_time_zone,
)
from meetings.models.panelist import DECLINE_REASON_MAX_LENGTH, Panelist, PanelistStatus
from meetings.models.publication import PublishedRecord
from meetings.models.revision import Revision
from meetings.models.turn import (
    CURRENT_TURN_STATUSES,
    NOTES_MAX_LENGTH,
    RevisedText,
    TextRevision,
    Turn,
    TurnQuerySet,
    TurnStatus,
)
from meetings.models.webhook import (
    WEBHOOK_URL_MAX_LENGTH,
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)

__all__ = [
    "ANSWER_MAX_LENGTH",
    "API_TOKEN_NAME_MAX_LENGTH",
    "CURRENT_TURN_STATUSES",
    "DECLINE_REASON_MAX_LENGTH",
    "KNOWN_TIME_ZONES",
    "MESSAGE_MAX_LENGTH",
    "NOTES_MAX_LENGTH",
    "PLANNED_MINUTES_MAX",
    "QUESTION_MAX_LENGTH",
    "RESERVED_SLUGS",
    "SPEAKING_SECONDS_DEFAULT",
    "SPEAKING_SECONDS_MAX",
    "SPEAKING_SECONDS_MIN",
    "TIMED_KINDS",
    "TIME_ZONES",
    "TIME_ZONE_AREAS",
    "WEBHOOK_URL_MAX_LENGTH",
    "AgendaItem",
    "Answer",
    "AnswerRevision",
    "AnswerStatus",
    "ApiToken",
    "Attendance",
    "ConfirmedAttendance",
    "Delegation",
    "DelegationKind",
    "DeliveryStatus",
    "Email",
    "EmailKind",
    "EmailStatus",
    "Intervention",
    "ItemKind",
    "Meeting",
    "MeetingConcluded",
    "MeetingFormat",
    "MeetingLog",
    "MeetingQuerySet",
    "MeetingStatus",
    "Panelist",
    "PanelistStatus",
    "PublishedRecord",
    "QuickMessage",
    "Representative",
    "RequestSource",
    "RevisedText",
    "Revision",
    "Round",
    "TextRevision",
    "Turn",
    "TurnQuerySet",
    "TurnStatus",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "validate_meeting_date",
    "validate_meeting_slug",
    "validate_time_zone",
]
