"""Strict readers for settings that come from the environment.

A wrong value must stop start-up with a message naming the variable, never be
guessed at: a typo in DJANGO_DEBUG should not silently turn debug on or off.
"""

import ipaddress
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (got {raw!r}).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_seconds(name: str, default: float, *, minimum: float, maximum: float) -> float:
    """A duration in seconds, decimals allowed (0.25), within [minimum, maximum]."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds (got {raw!r}).") from None
    if not minimum <= value <= maximum:  # also refuses nan
        raise ImproperlyConfigured(
            f"{name} must be between {minimum:g} and {maximum:g} seconds (got {raw.strip()})."
        )
    return value


def env_path(name: str, default: Path) -> Path:
    """An absolute path (a relative one would depend on where the server was started)."""
    raw = env_str(name)
    if not raw:
        return default
    if not Path(raw).is_absolute():
        raise ImproperlyConfigured(f"{name} must be an absolute path (got {raw!r}).")
    return Path(raw)


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed} (got {value!r}).")
    return value


def env_url(name: str, default: str) -> str:
    value = env_str(name, default).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query:
        raise ImproperlyConfigured(f"{name} must be a base address like https://cam.example.org.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items.")
    return items


def env_networks(
    name: str, default: list[str]
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or CIDR ranges (10.0.0.0/8, 2001:db8::/32); a single
    address is a range of one. Host bits set in a range (10.0.0.1/8) are refused: they
    usually mean a typo, and guessing which range was meant could trust the whole world."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=True))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name} must list addresses or ranges like 10.0.0.0/8 ({error})."
            ) from None
    return tuple(networks)


# SQLite: write transactions take the lock when they begin (two consoles acting at once
# queue up instead of failing), and readers (the displays) never wait for a writer (WAL).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_config(name: str, default_sqlite_path: str) -> dict:
    raw = env_str(name)
    # Connections persist (one per server thread) unless DJANGO_DB_CONN_MAX_AGE says
    # otherwise; config/asgi.py sets 0, since ASGI's threads come and go with requests.
    # Read (and a bad value refused) whatever the database; SQLite's are not kept.
    conn_max_age = env_int("DJANGO_DB_CONN_MAX_AGE", 60)
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            "OPTIONS": SQLITE_OPTIONS,
            # Tests use a file too (an in-memory database cannot queue concurrent writers),
            # one per process, in the temporary folder.
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"cam-test-{os.getpid()}.sqlite3")},
        }
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite:/// (got scheme {scheme!r})."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=0 if scheme == "sqlite" else conn_max_age)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if scheme == "sqlite":
        config["OPTIONS"] = SQLITE_OPTIONS
    else:
        config["CONN_HEALTH_CHECKS"] = True
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} must name a database, e.g. .../cam.")
    return config


def cache_config(name: str, *, timeout: float) -> dict:
    """The cache from a Redis URL, each call waiting at most `timeout` seconds to connect and
    as long for an answer: a Redis that hangs must not hold a request (the client's default
    is 5 s; see config/common/shared_cache.py for what happens next)."""
    raw = env_str(name)
    if not raw:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://.")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": raw,
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }


EMAIL_SCHEMES = {
    # scheme: (backend, TLS option, default port)
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", None, 25),
    "submission": ("django.core.mail.backends.smtp.EmailBackend", "use_tls", 587),  # STARTTLS
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", "use_ssl", 465),  # implicit TLS
    "console": ("django.core.mail.backends.console.EmailBackend", None, None),
    "locmem": ("django.core.mail.backends.locmem.EmailBackend", None, None),
    "dummy": ("django.core.mail.backends.dummy.EmailBackend", None, None),
    "file": ("config.mail.OutboxBackend", None, None),  # file:.outbox, one .eml per message
}
CONSOLE_MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def mailer_config(url_name: str) -> dict:
    """The default mailer (Django's MAILERS) from EMAIL_URL or the usual EMAIL_* variables.

    EMAIL_URL looks like smtp://user:password@host:25, submission://... (STARTTLS,
    port 587), smtps://... (implicit TLS, port 465), console: or file:<folder> (one .eml
    file per message, for development). Without either,
    mail is printed on the console.
    """
    raw = env_str(url_name)
    if not raw:
        return smtp_from_variables() if env_str("EMAIL_HOST") else CONSOLE_MAILER
    parts = urlsplit(raw)
    if parts.scheme not in EMAIL_SCHEMES:
        schemes = ", ".join(sorted(EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"{url_name} must use one of these schemes: {schemes}.")
    backend, tls_option, default_port = EMAIL_SCHEMES[parts.scheme]
    if parts.scheme == "file":
        folder = unquote(parts.path)
        if not folder:
            raise ImproperlyConfigured(f"{url_name} must name a folder: file:.outbox")
        return {"BACKEND": backend, "OPTIONS": {"file_path": folder}}
    if default_port is None:
        return {"BACKEND": backend}
    if not parts.hostname:
        raise ImproperlyConfigured(f"{url_name} must name a mail server host.")
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured(f"{url_name} has an invalid port.") from None
    options = {
        "host": parts.hostname,
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "timeout": 20,
    }
    if tls_option:
        options[tls_option] = True
    return {"BACKEND": backend, "OPTIONS": options}


def smtp_from_variables() -> dict:
    use_tls = env_bool("EMAIL_USE_TLS", default=False)
    use_ssl = env_bool("EMAIL_USE_SSL", default=False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 465 if use_ssl else 587 if use_tls else 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": 20,
        },
    }
