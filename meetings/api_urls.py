from django.urls import path

from meetings.views import api

app_name = "api"

urlpatterns = [
    path("meetings/<slug:slug>/actions/<str:action>/", api.action, name="action"),
    path("meetings/<slug:slug>/state/", api.state, name="state"),
]
