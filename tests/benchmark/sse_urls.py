"""The site's URLs plus the server-sent events of tests.benchmark.sse: the URLconf of the
benchmark's uvicorn server only (selected by tests.benchmark.sse_settings)."""

from django.urls import path

from config.urls import urlpatterns as site
from tests.benchmark.sse import live_events

urlpatterns = [
    path("meetings/<slug:slug>/events/", live_events, name="live-events"),
    *site,
]
