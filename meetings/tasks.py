"""The worker's tasks (django.tasks; `manage.py db_worker` runs them)."""

from django.tasks import task

from meetings.services import outbox


@task
def send_email(email_id: int) -> str:
    """Send one email of the outbox (meetings.services.outbox.deliver)."""
    return outbox.deliver(email_id)
