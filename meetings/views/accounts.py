"""Sign-in, refused for a while to an address or an account that fails too often; resetting a
forgotten password by email and changing one's password, throttled the same way."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from config.common.requests import AllFieldsPosted
from config.common.throttle import (
    ACCOUNT_FAILURES,
    ADDRESS_FAILURES,
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    account_key,
    client_address,
    device_cookie_value,
    record_sign_in_failure,
    sign_in_refusal,
)
from meetings.services.passwords import (
    SiteURLPasswordResetForm,
    record_reset_request,
    reset_request_refusal,
)
from meetings.views.refusals import too_many_attempts


class SignInView(AllFieldsPosted, auth_views.LoginView):
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
    failures, not to the account's (see config.common.throttle.sign_in_refusal)."""
    response.set_cookie(
        DEVICE_COOKIE,
        device_cookie_value(username),
        max_age=DEVICE_COOKIE_AGE,
        path="/accounts/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class PasswordResetView(AllFieldsPosted, auth_views.PasswordResetView):
    """Asks for an email address; sends a one-time link if an active account uses it. The page
    after is the same whether one does or not."""

    form_class = SiteURLPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    extra_email_context = {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600}

    def post(self, request, *args, **kwargs):
        address, email = client_address(request), request.POST.get("email", "")
        if refusal := reset_request_refusal(address, email):
            return too_many_attempts(
                request, refusal.seconds, minutes=refusal.minutes, sign_in=refusal.reason
            )
        record_reset_request(address, email)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(AllFieldsPosted, auth_views.PasswordResetConfirmView):
    """The email's link. A link that does not work counts as a failed sign-in from the address;
    a new password clears the account's failures and trusts this browser, whose owner has just
    proved they read the account's email."""

    template_name = "accounts/password_reset_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        address = client_address(request)
        if seconds := ADDRESS_FAILURES.blocked_for(address):
            return too_many_attempts(
                request, seconds, minutes=ADDRESS_FAILURES.window_minutes, sign_in="address"
            )
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink and response.status_code == 200:
            ADDRESS_FAILURES.record_failure(address)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        username = self.user.get_username()
        ACCOUNT_FAILURES.forget(account_key(username))
        set_device_cookie(response, username)
        return response


class PasswordChangeView(AllFieldsPosted, auth_views.PasswordChangeView):
    """A signed-in user's own password. A wrong current password is a failed sign-in (whoever
    holds a session cannot guess the password here without limit)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def attempt(self) -> tuple[str, str, str | None]:
        request = self.request
        return (
            client_address(request),
            request.user.get_username(),
            request.COOKIES.get(DEVICE_COOKIE),
        )

    def post(self, request, *args, **kwargs):
        if refusal := sign_in_refusal(*self.attempt()):
            return too_many_attempts(
                request, refusal.seconds, minutes=refusal.minutes, sign_in=refusal.reason
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            record_sign_in_failure(*self.attempt())
        return super().form_invalid(form)
