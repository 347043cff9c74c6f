"""Sign-in, refused for a while to an address that fails too often."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from meetings.throttle import SIGN_IN_FAILURES, client_address


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if SIGN_IN_FAILURES.is_blocked(client_address(request)):
            return render(
                request,
                "throttled.html",
                {"minutes": SIGN_IN_FAILURES.window_minutes, "sign_in": True},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        SIGN_IN_FAILURES.record_failure(client_address(self.request))
        if form.non_field_errors():
            # "Wrong username or password" belongs to both fields: each is marked invalid and
            # described by the message, which the page shows once, as an alert.
            for field in form.fields.values():
                field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": "sign-in-error"}
                )
        return super().form_invalid(form)
