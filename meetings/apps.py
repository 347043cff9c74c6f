from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_migrate, post_save

        from meetings import checks  # noqa: F401  (registers the deploy checks)
        from meetings.live import feed, signals
        from meetings.models import Meeting
        from meetings.roles import ensure_role_groups
        from meetings.services import convocation, invitations, live_record, reminders  # noqa: F401  (their emails)

        # The data migrations create the role groups; this keeps them after a `flush`
        # (which empties every table, tests included) and after any later migrate.
        post_migrate.connect(lambda **kwargs: ensure_role_groups(apps), sender=self, weak=False)

        # Every console action saves the meeting: the screens' cached state follows.
        def forget_live_state(sender, instance, **kwargs):
            feed.forget(instance.slug)

        post_save.connect(forget_live_state, sender=Meeting, weak=False)
        post_delete.connect(forget_live_state, sender=Meeting, weak=False)

        # Rounds, panelists, mechanisms and meetings edited anywhere raise the live version.
        signals.connect()
        # Any row the record reads, written anywhere, retires the secretariat's kept record.
        live_record.connect()
