import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from meetings.honorifics import Honorific
from meetings.models import Email, EmailKind, EmailStatus, MeetingLog
from meetings.services import invitations, outbox
from meetings.services.links import link_path, revoke_link
from meetings.services.panel import update_panelist
from tests.factories import (
    LOCMEM_MAILERS,
    UNREACHABLE_MAILERS,
    make_meeting,
    make_panelist,
    make_user,
)
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db

BASE = "https://cam.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = BASE + "/"


@pytest.fixture
def panelist():
    meeting = make_meeting(title_en="Migration governance", title_es="Gobernanza migratoria")
    make_panelist(meeting)  # speaks first
    return make_panelist(
        meeting,
        name="Ana Pérez",
        honorific="dr_f",
        email="ana@example.org",
        preferred_language="en",
    )


def send(panelist, kind=EmailKind.INVITATION):
    """Ask for the email, then let the worker send it."""
    email = invitations.send(panelist, kind, by=make_user())
    run_worker()
    email.refresh_from_db()
    return email


def test_the_invitation_carries_the_meeting_the_slot_and_the_personal_link(panelist):
    record = send(panelist)

    assert record.status == EmailStatus.SENT
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Invitation: Migration governance (May 17, 2030)"
    assert "Dear Dr. Ana Pérez," in message.body
    assert "10:00–13:00 (America/New_York)" in message.body
    assert "Round 1: you speak in position 2, planned at 10:17" in message.body
    assert BASE + link_path(panelist) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{BASE}{link_path(panelist)}"' in html


def test_the_invitation_is_in_the_panelists_language(panelist):
    panelist.preferred_language = "es"
    panelist.save()
    send(panelist)
    [message] = mail.outbox
    assert message.subject.startswith("Invitación: Gobernanza migratoria")
    assert "Estimada Dra. Ana Pérez:" in message.body
    assert "¿Pregunta 1?" in message.body


def test_the_invitation_attaches_a_valid_calendar_file(panelist):
    send(panelist)
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert filename == "meeting.ics"
    assert mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Migration governance"
    assert "position 2" in str(event["DESCRIPTION"])


def test_a_reminder_says_it_is_one(panelist):
    send(panelist, EmailKind.REMINDER)
    assert mail.outbox[0].subject.startswith("Reminder: ")


def test_user_text_in_the_html_email_is_escaped(panelist):
    panelist.name = "<script>alert(1)</script>"
    panelist.save()
    send(panelist)
    html, _ = mail.outbox[0].alternatives[0]
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_the_first_invitation_marks_the_panelist_invited(panelist):
    assert panelist.invited_at is None
    send(panelist)
    panelist.refresh_from_db()
    assert panelist.invited_at is not None
    assert MeetingLog.objects.filter(action="email.sent", panelist=panelist).exists()


def test_a_failed_send_is_recorded_and_can_be_retried(panelist, settings):
    settings.MAILERS = UNREACHABLE_MAILERS
    record = send(panelist)
    assert (record.status, record.attempts) == (EmailStatus.QUEUED, 1)  # tried again soon
    assert "Connection refused" in record.error
    settle()
    record.refresh_from_db()
    assert (record.status, record.attempts) == (EmailStatus.FAILED, outbox.ATTEMPTS)
    panelist.refresh_from_db()
    assert panelist.invited_at is None

    settings.MAILERS = LOCMEM_MAILERS
    again = outbox.resend(record, by=None)
    run_worker()
    again.refresh_from_db()
    assert (again.status, again.attempts, again.error) == (EmailStatus.SENT, 1, "")
    assert len(mail.outbox) == 1
    panelist.refresh_from_db()
    assert panelist.invited_at == again.sent_at


def test_the_same_email_is_sent_once_within_the_window(panelist):
    send(panelist)
    with pytest.raises(invitations.AlreadySent, match="it is not sent twice"):
        send(panelist)
    assert len(mail.outbox) == 1
    send(panelist, EmailKind.REMINDER)  # another kind is another email
    assert len(mail.outbox) == 2


def test_the_same_email_can_be_sent_again_after_the_window(panelist):
    first = send(panelist)
    earlier = timezone.now() - invitations.RESEND_WINDOW - dt.timedelta(seconds=1)
    Email.objects.filter(pk=first.pk).update(created_at=earlier)
    send(panelist)
    assert len(mail.outbox) == 2


def test_a_changed_email_is_not_a_repeat(panelist):
    send(panelist)
    meeting = panelist.meeting
    meeting.venue_en = "OAS headquarters"
    meeting.save()
    send(panelist)
    assert len(mail.outbox) == 2


def test_an_email_that_failed_can_be_sent_again_at_once(panelist, settings):
    settings.MAILERS = UNREACHABLE_MAILERS
    send(panelist)
    settle()
    assert Email.objects.get().status == EmailStatus.FAILED
    settings.MAILERS = LOCMEM_MAILERS
    assert send(panelist).status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_panelist_without_an_address_cannot_be_invited(panelist):
    from django.core.exceptions import ValidationError

    panelist.email = ""
    panelist.save()
    with pytest.raises(ValidationError):
        send(panelist)


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("fr", "Invitation", "Chère Dr Ana Pérez,"),
        ("pt", "Convite", "Prezada Dra. Ana Pérez,"),
    ],
)
def test_the_invitation_speaks_french_and_portuguese_too(panelist, language, subject, greeting):
    panelist.preferred_language = language
    panelist.save()
    send(panelist)
    [message] = mail.outbox
    assert message.subject.startswith(subject)
    assert greeting in message.body


def test_the_subject_is_plain_text_not_html(panelist):
    """An apostrophe or an ampersand in a title reaches the subject as itself, not as an HTML
    entity ("l&#x27;élaboration")."""
    meeting = panelist.meeting
    meeting.title_fr = "Vers l'élaboration d'une approche globale & hémisphérique <2030>"
    meeting.save()
    panelist.preferred_language = "fr"
    panelist.save()

    send(panelist)
    send(panelist, EmailKind.REMINDER)

    invitation, reminder = mail.outbox
    assert invitation.subject == (
        "Invitation : Vers l'élaboration d'une approche globale & hémisphérique <2030> "
        "(17 mai 2030)"
    )
    assert reminder.subject == (
        "Rappel : Vers l'élaboration d'une approche globale & hémisphérique <2030> (17 mai 2030)"
    )


def test_previewing_the_email_of_a_revoked_link_issues_nothing(panelist):
    revoke_link(panelist, by=make_user())
    composed = invitations.compose(panelist, EmailKind.INVITATION)
    assert "[a new personal link, issued when this email is sent]" in composed.text
    panelist.refresh_from_db()
    assert link_path(panelist) is None
    assert not MeetingLog.objects.filter(action="link.issued").exists()


def test_sending_to_a_revoked_link_issues_a_new_one_logged_with_the_sender(panelist):
    revoke_link(panelist, by=make_user())
    clerk = make_user()
    invitations.send(panelist, EmailKind.INVITATION, by=clerk)
    run_worker()
    panelist.refresh_from_db()
    assert BASE + link_path(panelist) in mail.outbox[0].body
    assert MeetingLog.objects.get(action="link.issued").actor == clerk


def test_a_panelist_whose_language_nobody_set_is_written_to_in_english(panelist):
    panelist.preferred_language = ""
    panelist.save()

    record = send(panelist)

    [message] = mail.outbox
    assert record.language == "en"
    assert message.subject.startswith("Invitation: Migration governance")
    assert '<html lang="en">' in message.alternatives[0][0]


# Links come from DJANGO_SITE_URL, never from the request's Host -----------------------------

HOSTILE_HOST = "evil.example"
URL = re.compile(r"https?://[^\s\"'<>]+")


def outside_links(*texts: str) -> set[str]:
    """The addresses in the texts that are not on the site (calendar lines unfolded)."""
    unfolded = [re.sub(r"\r\n[ \t]", "", text) for text in texts]
    return {url for text in unfolded for url in URL.findall(text) if not url.startswith(BASE + "/")}


def everything_mailed() -> list[str]:
    texts = []
    for message in mail.outbox:
        texts += [message.subject, message.body, *(body for body, _ in message.alternatives)]
        texts += [
            content.decode() if isinstance(content, bytes) else content
            for _, content, _ in message.attachments
        ]
    return texts


def test_a_hostile_host_header_reaches_no_email_and_no_calendar_file(client, settings, panelist):
    settings.ALLOWED_HOSTS = ["*"]  # the worst case: a server that answers any Host
    hostile = {"HTTP_HOST": HOSTILE_HOST, "HTTP_X_FORWARDED_HOST": HOSTILE_HOST}
    meeting = panelist.meeting
    client.force_login(make_user(is_staff=True, is_superuser=True))
    base = f"/meetings/{meeting.slug}"
    failed = Email.objects.create(
        panelist=panelist, kind=EmailKind.REMINDER, to=panelist.email, language="en",
        subject="Reminder", status=EmailStatus.FAILED,
    )  # fmt: skip
    shown = [
        client.get(f"{base}/panel/{panelist.pk}/email/invitation/", **hostile),
        client.get(f"{base}/panel/invite/", **hostile),
        client.post(
            "/admin/meetings/panelist/",
            {"action": "send_reminder", "_selected_action": [panelist.pk]},
            **hostile,
        ),
        client.get(f"{base}/calendar.ics", **hostile),
    ]
    client.post(f"{base}/panel/invite/", **hostile)
    client.post(f"{base}/panel/{panelist.pk}/email/reminder/", **hostile)
    client.post(f"{base}/emails/{failed.pk}/retry/", **hostile)
    client.post(
        "/admin/meetings/panelist/",
        {"action": "send_reminder", "_selected_action": [panelist.pk], "confirmed": "yes"},
        **hostile,
    )
    client.post(
        "/admin/meetings/email/",
        {"action": "resend", "_selected_action": [failed.pk]},
        **hostile,
    )
    run_worker()
    assert [response.status_code for response in shown] == [200, 200, 200, 200]
    # Invite everyone (two), a reminder, two retries; the admin's reminder is the same email as
    # the one sent a moment before, so it is not sent twice.
    assert len(mail.outbox) == 5
    mailed = everything_mailed()
    previews = [response.content.decode() for response in shown]
    assert not any(HOSTILE_HOST in text for text in mailed + previews[-1:])
    assert outside_links(*mailed, previews[-1]) == set()
    for preview in previews[:-1]:  # the email as shown to the sender, inside a page of the site
        assert BASE + "/respond/" in preview
        assert f"{HOSTILE_HOST}/" not in preview


def test_the_composed_email_is_plain_text_that_any_page_escapes(panelist):
    """The plain-text email is rendered with autoescaping off; what compose returns must not be
    a SafeString, or a preview page prints the question's markup as markup (SECURITY.md,
    finding 1)."""
    from django.template import Context, Template

    round_ = panelist.meeting.rounds.get(number=1)
    round_.question_en = '<div hx-post="/admin/" hx-trigger="load">Question?</div>'
    round_.save()

    email = invitations.compose(panelist, EmailKind.INVITATION)
    shown = Template("{{ text }}|{{ subject }}").render(
        Context({"text": email.text, "subject": email.subject})
    )

    assert {type(email.text), type(email.subject), type(email.html)} == {str}
    assert '<div hx-post="/admin/"' in email.text  # the email itself keeps the text as typed
    assert "<div" not in shown
    assert "&lt;div hx-post=&quot;/admin/&quot;" in shown


# Honorifics, written in the reader's language -----------------------------------------------

GREETINGS = {
    # key: (English, Spanish, French, Portuguese) first lines for Ana Pérez
    "": ("Dear Ana Pérez,", "Estimado/a Ana Pérez:", "Cher/Chère Ana Pérez,",
         "Prezado(a) Ana Pérez,"),
    "he": ("Dear H.E. Ana Pérez,", "Estimado/a S.E. Ana Pérez:", "Cher/Chère S.E. Ana Pérez,",
           "Prezado(a) S.Exa. Ana Pérez,"),
    "amb_m": ("Dear Amb. Ana Pérez,", "Estimado Embajador Ana Pérez:",
              "Cher Ambassadeur Ana Pérez,", "Prezado Embaixador Ana Pérez,"),
    "amb_f": ("Dear Amb. Ana Pérez,", "Estimada Embajadora Ana Pérez:",
              "Chère Ambassadrice Ana Pérez,", "Prezada Embaixadora Ana Pérez,"),
    "hon": ("Dear Hon. Ana Pérez,", "Estimado/a Hon. Ana Pérez:", "Cher/Chère L’hon. Ana Pérez,",
            "Prezado(a) Exmo(a). Ana Pérez,"),
    "mr": ("Dear Mr. Ana Pérez,", "Estimado Sr. Ana Pérez:", "Cher M. Ana Pérez,",
           "Prezado Sr. Ana Pérez,"),
    "ms": ("Dear Ms. Ana Pérez,", "Estimada Sra. Ana Pérez:", "Chère Mme Ana Pérez,",
           "Prezada Sra. Ana Pérez,"),
    "mrs": ("Dear Mrs. Ana Pérez,", "Estimada Sra. Ana Pérez:", "Chère Mme Ana Pérez,",
            "Prezada Sra. Ana Pérez,"),
    "dr_m": ("Dear Dr. Ana Pérez,", "Estimado Dr. Ana Pérez:", "Cher Dr Ana Pérez,",
             "Prezado Dr. Ana Pérez,"),
    "dr_f": ("Dear Dr. Ana Pérez,", "Estimada Dra. Ana Pérez:", "Chère Dr Ana Pérez,",
             "Prezada Dra. Ana Pérez,"),
    "prof_m": ("Dear Prof. Ana Pérez,", "Estimado Prof. Ana Pérez:", "Cher Pr Ana Pérez,",
               "Prezado Prof. Ana Pérez,"),
    "prof_f": ("Dear Prof. Ana Pérez,", "Estimada Profa. Ana Pérez:", "Chère Pr Ana Pérez,",
               "Prezada Profa. Ana Pérez,"),
    "other": ("Dear Rev. Ana Pérez,", "Estimado/a Rev. Ana Pérez:", "Cher/Chère Rev. Ana Pérez,",
              "Prezado(a) Rev. Ana Pérez,"),
}  # fmt: skip


def test_every_honorific_has_its_greeting_in_every_language():
    assert set(GREETINGS) == set(Honorific.values)


@pytest.mark.parametrize("key", list(GREETINGS))
@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_the_email_greets_with_the_honorific_in_the_panelists_language(panelist, key, language):
    """The honorific is written as the panelist's language writes it, and the greeting agrees
    with it where it tells a gender ("Estimada Sra."), neutral otherwise ("Estimado/a S.E.")."""
    update_panelist(
        panelist,
        by=None,
        honorific=key,
        honorific_other="Rev." if key == "other" else "",
        preferred_language=language,
    )
    send(panelist)
    [message] = mail.outbox
    greeting = GREETINGS[key][["en", "es", "fr", "pt"].index(language)]
    assert message.body.startswith(greeting + "\n")
    html, _mimetype = message.alternatives[0]
    assert f"<p>{escape(greeting)}</p>" in html


def test_one_example_email_per_language_in_the_order_of_the_languages(panelist):
    """What the previews show, one version per language that goes out."""
    meeting = panelist.meeting
    luis = make_panelist(meeting, name="Luis", preferred_language="fr")
    maria = make_panelist(meeting, name="María", preferred_language="es")
    jose = make_panelist(meeting, name="José", preferred_language="es")

    versions = invitations.versions([luis, maria, panelist, jose], EmailKind.INVITATION)

    assert [(v.language, v.panelists) for v in versions] == [
        ("en", (panelist,)),
        ("es", (maria, jose)),
        ("fr", (luis,)),
    ]
    spanish = versions[1]
    assert spanish.name == "Spanish" and spanish.names == "María, José"
    composed = invitations.compose(maria, EmailKind.INVITATION)
    assert (spanish.example.to, spanish.example.text) == (composed.to, composed.text)
    assert spanish.example.text.startswith("Estimado/a María:")
    assert invitations.versions([], EmailKind.INVITATION) == []


def test_an_email_can_be_read_in_another_language_without_changing_what_is_sent(panelist):
    french = invitations.compose(panelist, EmailKind.INVITATION, language="fr")
    assert french.language == "fr" and french.text.startswith("Chère Dr Ana Pérez,")
    assert invitations.reading_language(panelist, "fr") == "fr"
    assert invitations.reading_language(panelist, "xx") == "en"  # theirs
    send(panelist)
    assert mail.outbox[0].body.startswith("Dear Dr. Ana Pérez,")


def test_sending_to_several_counts_what_went_out_and_what_was_not_sent_again(panelist):
    others = list(panelist.meeting.panelists.exclude(pk=panelist.pk))
    invitations.send(panelist, EmailKind.INVITATION, by=None)  # a moment ago
    sending = invitations.send_each([panelist, *others], EmailKind.INVITATION, by=None)
    assert (sending.queued, sending.repeated) == (len(others), 1)
    run_worker()
    assert outbox.progress(sending.batch) == outbox.Progress(len(others), len(others), 0, 0)


def test_sending_to_several_counts_the_emails_that_failed(panelist, settings):
    settings.MAILERS = UNREACHABLE_MAILERS
    sending = invitations.send_each([panelist], EmailKind.REMINDER, by=None)
    settle()
    assert outbox.progress(sending.batch) == outbox.Progress(1, 0, 1, 0)
    assert sending.emails[0].status == EmailStatus.QUEUED  # as it was queued


def test_the_invitation_lists_the_programme_around_the_panelists_rounds(panelist):
    from tests.factories import whole_agenda

    meeting = panelist.meeting
    meeting.opening_minutes = meeting.closing_minutes = 0
    meeting.save()
    _opening, dialogue, _closing = whole_agenda(meeting)
    dialogue.planned_minutes = 30
    dialogue.save()
    send(panelist)
    [message] = mail.outbox
    body = message.body
    programme = body[body.index("Programme") : body.index("Your slot:")].strip().splitlines()
    assert programme == [
        "Programme (times in America/New_York):",
        "10:00 Opening remarks",
        "10:05 Round 1 (7 minutes)",
        "      Question 1?",
        "10:19 Round 2 (7 minutes)",
        "      Question 2?",
        "10:34 Dialogue with delegations (3 minutes per intervention)",
        "11:04 Closing remarks",
        "11:09 End",
    ]
    # their slot follows the opening remarks: 5 minutes, then the first panelist's 7:30
    assert "Round 1: you speak in position 2, planned at 10:12" in body
    html = message.alternatives[0].content
    assert "<li>10:34 Dialogue with delegations (3 minutes per intervention)</li>" in html
