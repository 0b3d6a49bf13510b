"""Month and day names, and the halves of the day, for the languages Django has
no catalogue for (ht, kea, so).

Django's date filter looks these strings up with gettext; listing them here puts
them in our own catalogues, so a Somali page never shows "November".
"""

from django.utils.translation import gettext_noop

MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]

WEEKDAY_NAMES = [
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
]

# A time such as 5:00 PM, in a language whose clock has twelve hours.
HALVES_OF_THE_DAY = [gettext_noop("AM"), gettext_noop("PM")]
