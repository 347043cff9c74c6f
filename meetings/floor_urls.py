from django.urls import path

from meetings.views import floor

app_name = "floor"

urlpatterns = [
    path("<str:token>/", floor.page, name="page"),
    path("<str:token>/act/", floor.act, name="act"),
    path("<str:token>/confirm/", floor.confirm, name="confirm"),
]
