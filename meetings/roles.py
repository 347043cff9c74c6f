"""The staff roles (Chair, Secretariat) and the permissions each needs, declared in one table.

Data migrations call `ensure_role_groups` whenever a new model needs a role's
permission, so the groups exist with their permissions right after `migrate`.
Permissions are only ever added: what an administrator grants by hand stays.
"""

CHAIR = "Chair"
SECRETARIAT = "Secretariat"

# The secretariat keeps the directory of mechanisms up to date; the member
# states are a reference table only staff edit.
SECRETARIAT_PERMISSIONS = {
    "mechanisms.memberstate": ("view",),
    "mechanisms.organisation": ("view",),
    "mechanisms.mechanism": ("view", "add", "change"),
    "mechanisms.membership": ("view", "add", "change", "delete"),
    # Scheduling meetings, the panel and its invitations; reading the answers.
    "meetings.meeting": ("view", "add", "change"),
    "meetings.round": ("view", "add", "change", "delete"),
    "meetings.panelist": ("view", "add", "change", "delete"),
    "meetings.turn": ("view", "change"),  # change_turn: run the console
    "meetings.textrevision": ("view",),
    "meetings.publishedrecord": ("view", "add"),  # add: publish the record
    "meetings.answer": ("view",),
    "meetings.email": ("view", "add"),
    "meetings.meetinglog": ("view",),
}

# What the secretariat's pages ask of the user signing in.
MANAGE_MEETINGS = "meetings.change_meeting"
RUN_CONSOLE = "meetings.change_turn"
PUBLISH_RECORD = "meetings.add_publishedrecord"

ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # The chair may do everything the secretariat may, and runs the console.
    CHAIR: SECRETARIAT_PERMISSIONS,
    SECRETARIAT: SECRETARIAT_PERMISSIONS,
}


def codenames(model_label: str, actions: tuple[str, ...]) -> list[tuple[str, str]]:
    app_label, model_name = model_label.split(".")
    return [(app_label, f"{action}_{model_name}") for action in actions]


def ensure_role_groups(apps, schema_editor=None) -> None:
    """Create the role groups and grant them the declared permissions (usable in migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create them now.
    # (Historical app configs in a migration have no models module, which
    # create_permissions insists on: lend them one for the call.)
    for app_config in apps.get_app_configs():
        historical = getattr(app_config, "models_module", None) is None
        if historical:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if historical:
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, table in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for model_label, actions in table.items():
            try:
                apps.get_model(model_label)
            except LookupError:
                continue  # a later migration creates this model and calls us again
            for app_label, codename in codenames(model_label, actions):
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                group.permissions.add(permission)
