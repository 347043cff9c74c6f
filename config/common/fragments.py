"""Parts of a page rendered once for a version of what they show, and kept in the shared cache.

Such a part may hold forms, whose CSRF field is each request's: the part is rendered with a
placeholder in its place, which `with_csrf` replaces with the request's own field.
"""

import functools
import hashlib
from pathlib import Path

from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# What {% csrf_token %} writes for the placeholder token (not a token: it has dashes).
CSRF_PLACEHOLDER = "csrf-token-of-the-request"
FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
CSRF_FIELD = format_html(FIELD, CSRF_PLACEHOLDER)
NO_TOKEN = "NOTPROVIDED"  # noqa: S105 (not a secret) what the csrf context processor gives without a request


def with_csrf(html: str, token) -> SafeString:
    """A part rendered with the placeholder token, with the request's CSRF field in its place
    (none where {% csrf_token %} would write none)."""
    token = str(token) if token else ""
    field = format_html(FIELD, token) if token and token != NO_TOKEN else ""
    return mark_safe(html.replace(CSRF_FIELD, field))  # noqa: S308 (escaped when rendered)


@functools.cache
def templates_fingerprint(*names: str) -> str:
    """Of these templates' sources: a deploy that changes one leaves the parts kept before."""
    sources = [Path(get_template(name).origin.name).read_bytes() for name in names]
    return hashlib.sha256(b"".join(sources)).hexdigest()[:12]
