"""States of the portal's own (non-Wagtail) records. Page publishing uses Wagtail's workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting answer")  # asked; visible only to the asker and staff
    ANSWERED = "answered", _("Answered, awaiting moderation")  # answered; not public yet
    PUBLISHED = "published", _("Published")  # moderated; shown on the public Q&A page
    REJECTED = "rejected", _("Rejected")  # moderation refused; never public


QUESTION_TRANSITIONS = {
    QuestionStatus.PENDING: {QuestionStatus.ANSWERED, QuestionStatus.REJECTED},
    QuestionStatus.ANSWERED: {QuestionStatus.PUBLISHED, QuestionStatus.REJECTED, QuestionStatus.ANSWERED},
    QuestionStatus.PUBLISHED: {QuestionStatus.REJECTED},
    QuestionStatus.REJECTED: set(),
}
