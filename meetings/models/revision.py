"""What every history of a text keeps (the notes', the summaries' and the answers')."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """One saved state of a text several people may write (revisions.write): when it was
    saved, and whether it was saved over a newer text (kept, not applied), newest first."""

    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    conflicted = models.BooleanField(
        _("conflicting edit"),
        default=False,
        help_text=_("Saved while someone else had changed the text: kept, not applied."),
    )

    class Meta:
        abstract = True
        ordering = ["-saved_at", "-pk"]
