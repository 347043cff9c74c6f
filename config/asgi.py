"""ASGI entry point (`config.asgi:application`): the live screens' streams
(meetings.live.events), and the whole application besides.

Production serves the streams with uvicorn and everything else with gunicorn (config/gunicorn.py,
README "Production"); `make run` serves both from this one entry point. Under ASGI, Django
runs each request's database work in a thread that does not outlive it, so persistent
connections would pile up until PostgreSQL refuses more: each request closes its own unless
DJANGO_DB_CONN_MAX_AGE is set.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DB_CONN_MAX_AGE", "0")

django_application = get_asgi_application()

from meetings.live import events  # noqa: E402  (once Django is set up)

application = events.route(django_application)
