import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.common.env import (
    cache_config,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_path,
    env_seconds,
    mailer_config,
)

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789",
    "DJANGO_ALLOWED_HOSTS": "cam.example.org",
    "EMAIL_URL": "submission://cam@smtp.example.org",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def start_django(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as a server would on start-up."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("value", ["maybe", "2", "True!"])
def test_a_bad_boolean_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be 1 or 0"):
        env_bool("DJANGO_DEBUG", default=False)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("", False)])
def test_booleans_read_one_and_zero(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    assert env_bool("DJANGO_DEBUG", default=False) is expected


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 25)


def test_a_list_with_an_empty_item_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "a.org,,b.org")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        env_list("DJANGO_ALLOWED_HOSTS", [])


def test_database_url_defaults_to_the_embedded_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_config("DATABASE_URL", "/srv/db.sqlite3")
    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", "/srv/db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_reads_postgres_and_absolute_sqlite_paths(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://cam@127.0.0.1:5432/cam")
    config = database_config("DATABASE_URL", "unused")
    assert (config["ENGINE"], config["NAME"], config["USER"], config["PORT"]) == (
        "django.db.backends.postgresql",
        "cam",
        "cam",
        5432,
    )
    monkeypatch.setenv("DATABASE_URL", "sqlite:////var/lib/cam/db.sqlite3")
    assert database_config("DATABASE_URL", "unused")["NAME"] == "/var/lib/cam/db.sqlite3"


@pytest.mark.parametrize("url", ["mysql://root@localhost/cam", "postgres://localhost", "nonsense"])
def test_a_bad_database_url_names_the_variable(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config("DATABASE_URL", "unused")


def test_redis_url_selects_the_redis_cache_with_short_timeouts(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    config = cache_config("REDIS_URL", timeout=0.25)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        cache_config("REDIS_URL", timeout=0.25)


def test_the_redis_timeout_and_pause_default_to_a_quarter_second_and_five_seconds():
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        assert settings.CACHES["default"]["OPTIONS"]["socket_timeout"] == 0.25
    assert settings.REDIS_PAUSE_SECONDS == 5


@pytest.mark.parametrize(
    ("value", "expected"), [("0.5", 0.5), (" 2 ", 2.0), ("", 0.25), ("10", 10.0)]
)
def test_seconds_read_decimals(monkeypatch, value, expected):
    monkeypatch.setenv("REDIS_TIMEOUT", value)
    assert env_seconds("REDIS_TIMEOUT", 0.25, minimum=0.01, maximum=10) == expected


@pytest.mark.parametrize("value", ["fast", "0", "-1", "11", "nan", "inf", "1e3", "0,5"])
def test_bad_seconds_name_the_variable(monkeypatch, value):
    monkeypatch.setenv("REDIS_TIMEOUT", value)
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT must be"):
        env_seconds("REDIS_TIMEOUT", 0.25, minimum=0.01, maximum=10)


def test_start_up_stops_on_a_bad_redis_timeout_or_pause():
    for name in ("REDIS_TIMEOUT", "REDIS_PAUSE_SECONDS"):
        result = start_django(**{**PRODUCTION, name: "a while"})
        assert result.returncode != 0
        assert f"{name} must be a number of seconds" in result.stderr


def test_the_static_root_must_be_an_absolute_path(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_STATIC_ROOT", str(tmp_path))
    assert env_path("DJANGO_STATIC_ROOT", Path("/elsewhere")) == tmp_path
    monkeypatch.setenv("DJANGO_STATIC_ROOT", "staticfiles")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_STATIC_ROOT must be an absolute"):
        env_path("DJANGO_STATIC_ROOT", Path("/elsewhere"))


def test_email_url_reads_submission_with_starttls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "submission://mailer%40oas.org:p%40ss@smtp.oas.org")
    assert mailer_config("EMAIL_URL") == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.oas.org",
            "port": 587,
            "username": "mailer@oas.org",
            "password": "p@ss",
            "timeout": 20,
            "use_tls": True,
        },
    }


def test_mail_goes_to_the_console_by_default(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    assert mailer_config("EMAIL_URL")["BACKEND"].endswith("console.EmailBackend")


def test_a_bad_email_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "pop3://mail.example.org")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must use one of"):
        mailer_config("EMAIL_URL")


def test_start_up_stops_on_a_bad_value_naming_it():
    result = start_django(**{**PRODUCTION, "DJANGO_DEBUG": "yes please"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_start_up_without_a_secret_key_is_refused_when_debug_is_off():
    result = start_django(**{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "x" * 32 + "-short-0123456789",  # 49 characters
        "ab" * 40,  # long, but two characters
        "django-insecure-" + "0123456789abcdefghijklmnopqrstuvwxyz0123456789",
    ],
    ids=["49-characters", "2-different-characters", "django-insecure"],
)
def test_start_up_refuses_a_secret_key_that_check_deploy_would_warn_of(key):
    result = start_django(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 characters long" in result.stderr


def test_a_secret_key_of_50_characters_passes_check_deploy():
    key = "0123456789abcdefghij" * 2 + "klmnopqrst"
    assert len(key) == 50
    result = start_django(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = start_django(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_without_a_cache_shared_by_the_app_processes():
    result = start_django(**{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "meetings.W001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False


def test_production_trusts_the_proxy_and_secures_cookies():
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000


def test_the_suite_runs_on_the_database_ci_asked_for():
    """CI sets EXPECT_DATABASE_VENDOR so that a fallback to SQLite cannot go unnoticed."""
    expected = os.environ.get("EXPECT_DATABASE_VENDOR")
    if expected:
        assert connection.vendor == expected
    expected_cache = os.environ.get("EXPECT_CACHE_BACKEND")
    if expected_cache:
        assert settings.CACHES["default"]["BACKEND"].endswith(expected_cache)


def test_a_bad_connection_lifetime_is_refused_whatever_the_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DJANGO_DB_CONN_MAX_AGE", "forever")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DB_CONN_MAX_AGE"):
        database_config("DATABASE_URL", "/srv/db.sqlite3")


def test_trusted_proxies_accept_addresses_and_ranges(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,2001:db8::/32")
    assert [str(network) for network in env_networks("DJANGO_TRUSTED_PROXIES", [])] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "2001:db8::/32",
    ]


@pytest.mark.parametrize("value", ["proxy.example.org", "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/8,"])
def test_a_bad_trusted_proxy_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        env_networks("DJANGO_TRUSTED_PROXIES", [])


def test_email_url_file_keeps_each_message_in_a_folder(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "file:.outbox")
    assert mailer_config("EMAIL_URL") == {
        "BACKEND": "config.mail.OutboxBackend",
        "OPTIONS": {"file_path": ".outbox"},
    }


def test_email_url_file_must_name_a_folder(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "file:")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must name a folder"):
        mailer_config("EMAIL_URL")


@pytest.mark.parametrize("email_url", ["console:", "file:/tmp/outbox"])
def test_deploy_check_warns_when_email_stays_on_the_machine(email_url):
    result = start_django(**{**PRODUCTION, "EMAIL_URL": email_url})
    assert result.returncode != 0
    assert "meetings.W002" in result.stderr
