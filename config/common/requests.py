"""What a POST must be: a form, carrying every field its page sends.

A value the request leaves out is never read as an empty one (an autosave without its text
once saved an empty draft; a meeting form without a field would blank it). So:

- `FormBodyMiddleware` refuses, before any view runs, a POST (PUT, PATCH, DELETE) whose body
  is not a form: only `application/x-www-form-urlencoded` and `multipart/form-data` (the
  admin's archive import is a multipart upload) are read by Django into request.POST; a JSON
  or text/plain body would reach the views as an empty form.
- Each view parses its values with a Django form. `require_posted` refuses a form that lacks
  a field it declares (a checkbox may be absent: unticked), and `parsed` also one whose values
  are malformed (a choice nobody offers, a number that is none): these are requests our pages
  never send. A value a person typed wrong stays a form error, shown next to the field.

Either refusal is a 400 that changes nothing and says so (`bad_request`): a page of its own,
or for htmx the message in the page's #request-error area (static/js/request-error.js lets
htmx swap it there).
"""

import logging

from django import forms
from django.forms.models import InlineForeignKeyField
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")
WITH_BODY = ("POST", "PUT", "PATCH", "DELETE")


class MalformedRequest(Exception):
    """The request is not what our page sends; `message` is for the person (or None)."""

    def __init__(self, detail: str, message: str | None = None):
        super().__init__(detail)
        self.message = message


def bad_request(request, message: str | None = None, *, detail: str = ""):
    logger.warning("Malformed request to %s: %s", request.path, detail or message)
    context = {
        "message": message
        or _(
            "The request was incomplete or malformed: nothing was changed. Reload the page and "
            "try again."
        )
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "request_error.html", context, status=400)
        response["HX-Retarget"] = "#request-error"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "400.html", context, status=400)


def is_form_body(request) -> bool:
    if request.method not in WITH_BODY:
        return True
    if request.content_type in FORM_BODIES:
        return True
    # No body at all, whatever type is claimed (HTTP clients and control surfaces send an
    # empty POST as text/plain or JSON): nothing is read, the views find the fields missing.
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.strip() in ("", "0")


class FormBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_form_body(request):
            return bad_request(request, detail=f"a {request.content_type or 'typeless'} body")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MalformedRequest):
            return bad_request(request, exception.message, detail=str(exception))
        return None


def omitted(form: forms.BaseForm, optional=()) -> list[str]:
    """The fields of a bound form its data leaves out (checkboxes excepted: unticked is
    absent; so is the inline formset's parent, which the form never reads)."""
    return [
        form.add_prefix(name)
        for name, field in form.fields.items()
        if name not in optional
        and not isinstance(field, InlineForeignKeyField)
        and field.widget.value_omitted_from_data(form.data, form.files, form.add_prefix(name))
    ]


def require_posted(*forms_and_formsets, optional=()) -> None:
    """Refuse (400) a request that leaves out a field one of these bound forms declares."""
    missing = []
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            management = item.management_form
            missing += [
                management.add_prefix(name)
                for name in ("TOTAL_FORMS", "INITIAL_FORMS")
                if management.add_prefix(name) not in item.data
            ]
            if missing:
                break  # without them the formset's own forms are unknown
            for form in item.forms:
                missing += omitted(form, optional)
        else:
            missing += omitted(item, optional)
    if missing:
        raise MalformedRequest(f"missing {', '.join(sorted(missing))}")


class PostedForm(forms.Form):
    """The values of an action's POST: every field must be sent (but those in `optional`),
    and well formed; an empty text is a value."""

    optional: frozenset[str] = frozenset()


def parsed[F: PostedForm](form_class: type[F], data, **kwargs) -> F:
    """The valid form of these values, or a 400 for a request our pages never send."""
    form = form_class(data, **kwargs)
    require_posted(form, optional=form_class.optional)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        raise MalformedRequest(f"malformed {problems}")
    return form


def requires(*names: str):
    """A decorator for a view that is not ours (Django's): a POST lacking one of these fields
    is refused with 400."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                missing = [name for name in names if name not in request.POST]
                if missing:
                    raise MalformedRequest(f"missing {', '.join(missing)}")
            return view(request, *args, **kwargs)

        wrapped.__name__ = getattr(view, "__name__", "view")
        wrapped.__doc__ = view.__doc__
        wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
        return wrapped

    return decorate


class AllFieldsPosted:
    """For Django's form views (sign-in, password reset and change): a POST that leaves out
    a field of the form is refused with 400 before the view counts or sends anything."""

    def post(self, request, *args, **kwargs):
        require_posted(self.get_form())
        return super().post(request, *args, **kwargs)
