"""The panelists' written answers to the rounds' questions, and their history."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from meetings.models.meeting import Round
from meetings.models.panelist import Panelist
from meetings.models.revision import Revision

ANSWER_MAX_LENGTH = 20_000


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Answer(models.Model):
    """A panelist's written answer to a round's question.

    The panelist works on a draft (autosaved); submitting copies it to the
    submitted text, which is what the secretariat and the record see. Editing
    after submitting changes the draft only, until it is submitted again.
    """

    panelist = models.ForeignKey(
        Panelist, verbose_name=_("panelist"), on_delete=models.CASCADE, related_name="answers"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="answers"
    )
    draft_text = models.TextField(
        _("draft"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)]
    )
    submitted_text = models.TextField(
        _("submitted answer"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    saved_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Raised by every change of the draft: a save carries the version its page started from,
    # and one made over a newer version is refused (meetings/services/answers.py).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        ordering = ["round__number", "panelist"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["panelist", "round"], name="answer_once_per_round"),
            models.CheckConstraint(
                condition=Q(status__in=AnswerStatus.values), name="answer_status_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("draft_text"), ANSWER_MAX_LENGTH)
                & LessThanOrEqual(Length("submitted_text"), ANSWER_MAX_LENGTH),
                name="answer_text_length",
            ),
            models.CheckConstraint(
                condition=(Q(status=AnswerStatus.SUBMITTED) & Q(submitted_at__isnull=False))
                | (Q(status=AnswerStatus.DRAFT) & Q(submitted_at__isnull=True)),
                name="answer_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panelist} · {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.status == AnswerStatus.SUBMITTED

    @property
    def has_unsubmitted_changes(self) -> bool:
        return self.is_submitted and self.draft_text != self.submitted_text


class AnswerRevision(Revision):
    """Every text of an answer that was saved as a draft or submitted, conflicting saves
    included (kept, not applied): the staff read the answer's history, nothing is lost."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(
        _("saved as"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    text = models.TextField(_("text"), validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)])

    class Meta(Revision.Meta):
        verbose_name = _("answer revision")
        verbose_name_plural = _("answer revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AnswerStatus.values), name="answer_revision_kind_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), ANSWER_MAX_LENGTH),
                name="answer_revision_text_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer} · {self.get_kind_display()} · {self.saved_at:%H:%M:%S}"
