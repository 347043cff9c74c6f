"""ASGI entry point (`config.asgi:application`), for hosts that run an ASGI server.

Production is measured on gunicorn with threads (config/gunicorn.py, see the README); this
entry point serves the same application. Under ASGI, Django runs each request's database work
in a thread that does not outlive it, so persistent connections would pile up until
PostgreSQL refuses more: each request closes its own unless DJANGO_DB_CONN_MAX_AGE is set.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DB_CONN_MAX_AGE", "0")

application = get_asgi_application()
