from django.urls import path

from meetings.views import portal

app_name = "portal"

urlpatterns = [
    path("<str:token>/", portal.respond, name="respond"),
    path("<str:token>/speaker/", portal.speaker, name="speaker"),
    path("<str:token>/participation/", portal.participation, name="participation"),
    path("<str:token>/decline/", portal.decline, name="decline"),
    path("<str:token>/rounds/<int:number>/", portal.answer, name="answer"),
]
