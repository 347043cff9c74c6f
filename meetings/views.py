from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from mechanisms.models import Mechanism


@require_GET
def home(request):
    # Meetings arrive with the next issue; until then the welcome page leads to the directory.
    return render(request, "meetings/home.html", {"mechanism_count": Mechanism.objects.count()})


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    return redirect(static("favicon.svg"))
