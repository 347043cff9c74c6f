from django.urls import path

from meetings.views import outbox

app_name = "outbox"

urlpatterns = [
    path("", outbox.outbox_page, name="list"),
    path("<int:pk>/", outbox.email_page, name="email"),
    path("<int:pk>/resend/", outbox.email_resend, name="resend"),
    path("sending/<uuid:batch>/", outbox.sending_progress, name="progress"),
]
