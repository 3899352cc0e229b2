"""Simplified Chinese number formats for financial figures.

Django's zh_Hans locale groups by 4 digits with no separator, so ``intcomma`` printed 1234568.
Chinese banking documents and statistics group amounts by thousands with a comma
(1,234,567.89 元); everything else is Django's zh_Hans locale unchanged.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
