"""Display names of the holidays the seed data spells in English (chinesecalendar's names)."""

from django.utils.translation import gettext_lazy as _

from dfsp.workdays import holiday_data as h

HOLIDAY_NAMES = {
    h.NEW_YEAR: _("New Year's Day"),
    h.SPRING_FESTIVAL: _("Spring Festival"),
    h.TOMB_SWEEPING: _("Tomb-sweeping Day"),
    h.LABOUR_DAY: _("Labour Day"),
    h.DRAGON_BOAT: _("Dragon Boat Festival"),
    h.MID_AUTUMN: _("Mid-autumn Festival"),
    h.NATIONAL_DAY: _("National Day"),
    h.PROVISIONAL_NOTE: _("Provisional — confirm against the State Council notice"),
}


def display(text: str) -> str:
    return str(HOLIDAY_NAMES.get(text, text))
