"""Who may open the secretariat's pages and the console: the Chair and Secretariat roles."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from meetings.roles import MANAGE_MEETINGS, RUN_CONSOLE


def permission_needed(permission: str):
    """Anonymous visitors are sent to sign in; signed-in users without it get 403."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


manage_required = permission_needed(MANAGE_MEETINGS)
console_required = permission_needed(RUN_CONSOLE)
