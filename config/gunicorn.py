"""Gunicorn's settings for production: `gunicorn -c config/gunicorn.py`.

Threads, not async workers: the views are synchronous Django, and the live feed that
thousands of screens poll is answered from the cache in a fraction of a millisecond
(docs/benchmarks.md). One process per core by default, each with WEB_THREADS threads; each
thread keeps one persistent database connection, so a machine holds at most
WEB_WORKERS x WEB_THREADS connections to PostgreSQL. Run the same command on more machines
behind a load balancer for more: every process shares PostgreSQL and Redis, nothing else.

Read with the same strict parsing as the settings: a bad value stops the start.
"""

import os

from config.common.env import env_bool, env_int, env_str

wsgi_app = "config.wsgi:application"
bind = env_str("WEB_BIND") or "127.0.0.1:8000"
worker_class = "gthread"
workers = env_int("WEB_WORKERS", os.cpu_count() or 1, minimum=1)
threads = env_int("WEB_THREADS", 8, minimum=1)
# Displays keep their connection open between polls: room for a General Assembly's screens.
worker_connections = env_int("WEB_CONNECTIONS", 4000, minimum=10)
keepalive = 5  # seconds; displays poll every half second
timeout = 30
graceful_timeout = 30
# Behind a proxy: which addresses may set X-Forwarded-Proto (the settings trust it for https).
forwarded_allow_ips = env_str("WEB_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
accesslog = "-" if env_bool("WEB_ACCESS_LOG", False) else None
errorlog = "-"
loglevel = env_str("WEB_LOG_LEVEL") or "info"
# No runtime control socket: it has one default path per user, which several instances on a
# machine (blue-green deploys, the tests) would fight over.
control_socket_disable = True
