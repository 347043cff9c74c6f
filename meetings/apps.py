from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from meetings.roles import ensure_role_groups

        # The data migrations create the role groups; this keeps them after a `flush`
        # (which empties every table, tests included) and after any later migrate.
        post_migrate.connect(lambda **kwargs: ensure_role_groups(apps), sender=self, weak=False)
