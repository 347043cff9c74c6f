"""live.json for the public, answered before the rest of the stack.

While a meeting runs, nearly all its traffic is displays asking "has anything changed?"
(If-None-Match with the ETag they hold) and, after each change, every display fetching the
new state at once. Neither needs a session, a user, a CSRF token or a page policy: only the
cached live state (meetings.live.feed). So this middleware sits right after the security and
static-file middleware and answers live.json of every public meeting itself. A draft (which
only the secretariat may preview) and every other request go on to the views.
"""

from django.db import InterfaceError, OperationalError
from django.urls import Resolver404, resolve
from django.utils import translation

from config.middleware import database_unavailable
from meetings.live import feed


class LiveFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info.endswith("/live.json"):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.view_name == "meetings:live":
                try:
                    return self.public_feed(request, match.kwargs["slug"])
                except (OperationalError, InterfaceError) as error:
                    # The screens keep counting and try again (as for the views).
                    return database_unavailable(request, error)
        return self.get_response(request)

    def public_feed(self, request, slug: str):
        entry = feed.current(slug)
        if entry is None or not entry.public:
            return self.get_response(request)  # 404, or a draft the secretariat may preview
        # The language LocaleMiddleware would have chosen (it has not run yet).
        fallback = translation.get_language_from_request(request)
        return feed.respond(request, entry, feed.screen_language(request, fallback))
