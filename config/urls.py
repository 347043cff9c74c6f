from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

from config.common.requests import requires
from meetings.views import accounts, public

admin.site.site_header = _("CAM meetings administration")
admin.site.site_title = _("CAM meetings")
admin.site.index_title = _("Records")

urlpatterns = [
    path("", public.home, name="home"),
    path("mechanisms/", include("mechanisms.urls")),
    path("meetings/", include("meetings.urls")),
    path("respond/", include("meetings.portal_urls")),
    path("floor/", include("meetings.floor_urls")),
    path("outbox/", include("meetings.outbox_urls")),
    path("api/", include("meetings.api_urls")),  # the AV desk's, with a token
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # A forgotten password, reset by email (throttled like sign-in); one's own password, changed.
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/change/", accounts.PasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    # Django's language switcher, refusing (400) a POST without the language.
    path("i18n/setlang/", requires("language")(set_language), name="set_language"),
    # One sign-in page for everyone, throttled: the admin's own login redirects to it.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    # And one password change, throttled (a wrong current password counts as a failed sign-in).
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", public.favicon),
]
