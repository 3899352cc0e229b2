import re
from datetime import date

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from dfsp.audit.models import Outcome
from dfsp.audit.selectors import EventFilters
from dfsp.core.forms import StyledForm

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
_EVENT_TYPE = re.compile(r"^[a-z0-9_.-]+$")
_TOKEN = re.compile(r"^[A-Za-z0-9_.:@-]+$")


class EventSearchForm(StyledForm):
    """The audit search filters (sent by GET, so a search can be bookmarked and exported)."""

    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Beijing time, inclusive."),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Beijing time, inclusive."),
    )
    event_type = forms.CharField(
        label=_("Event type"),
        required=False,
        max_length=100,
        help_text=_("The beginning is enough: “auth.” finds every login event."),
        validators=[
            RegexValidator(
                _EVENT_TYPE,
                _("An event type contains only lowercase letters, digits, dots, hyphens and underscores."),
            )
        ],
    )
    actor_username = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        help_text=_("An organisation id, or the beginning of its name."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *Outcome.choices]
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=200)
    request_id = forms.CharField(
        label=_("Request id"),
        required=False,
        max_length=64,
        validators=[RegexValidator(_TOKEN, _("A request id contains only letters, digits and . _ - : @."))],
    )

    def _clean_date(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                code="date_out_of_range",
                params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
            )
        return value

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def to_filters(self) -> EventFilters:
        """The filters of a valid form (call is_valid() first)."""
        data = self.cleaned_data
        return EventFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            event_type=data.get("event_type", ""),
            actor_username=data.get("actor_username", ""),
            organisation=data.get("organisation", ""),
            outcome=data.get("outcome", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            request_id=data.get("request_id", ""),
        )
