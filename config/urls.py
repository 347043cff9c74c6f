from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from meetings import views as meeting_views

admin.site.site_header = _("CAM meetings administration")
admin.site.site_title = _("CAM meetings")
admin.site.index_title = _("Records")

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("mechanisms/", include("mechanisms.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", meeting_views.favicon),
]
