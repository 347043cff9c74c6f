"""Who may open the secretariat's pages: the Chair and Secretariat roles (and superusers)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from meetings.roles import MANAGE_MEETINGS


def manage_required(view):
    """Anonymous visitors are sent to sign in; signed-in users without the role get 403."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_MEETINGS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)
