"""Sign-in, refused for a while to an address or an account that fails too often."""

from django.conf import settings
from django.contrib.auth import views as auth_views

from meetings.throttle import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    client_address,
    device_cookie_value,
    record_sign_in_failure,
    sign_in_refusal,
)
from meetings.views.refusals import too_many_attempts


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def attempt(self) -> tuple[str, str, str | None]:
        """Who is trying: the address, the account named, the browser's device cookie."""
        request = self.request
        return (
            client_address(request),
            request.POST.get("username", ""),
            request.COOKIES.get(DEVICE_COOKIE),
        )

    def post(self, request, *args, **kwargs):
        if refusal := sign_in_refusal(*self.attempt()):
            return too_many_attempts(
                request, refusal.seconds, minutes=refusal.minutes, sign_in=refusal.reason
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        set_device_cookie(response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        record_sign_in_failure(*self.attempt())
        if form.non_field_errors():
            # "Wrong username or password" belongs to both fields: each is marked invalid and
            # described by the message, which the page shows once, as an alert.
            for field in form.fields.values():
                field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": "sign-in-error"}
                )
        return super().form_invalid(form)


def set_device_cookie(response, username: str) -> None:
    """This browser has proved it knows the account: from now on it is held only to its own
    failures, not to the account's (see meetings.throttle.sign_in_refusal)."""
    response.set_cookie(
        DEVICE_COOKIE,
        device_cookie_value(username),
        max_age=DEVICE_COOKIE_AGE,
        path="/accounts/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
