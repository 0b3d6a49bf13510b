from django import template
from django.utils.safestring import mark_safe

from services import selectors

register = template.Library()


@register.filter
def lang_if_english(obj, field):
    """` lang="en" dir="ltr"` where a field shows the English for lack of a translation.

    Put it on the element holding the text, so screen readers switch voice and an
    Arabic page lays the English out left to right.
    """
    if selectors.falls_back(obj, field):
        return mark_safe(' lang="en" dir="ltr"')
    return ""
