from django.urls import path

from mechanisms import views

app_name = "mechanisms"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("overlap/", views.overlap, name="overlap"),
    path("<slug:slug>/", views.detail, name="detail"),
]
