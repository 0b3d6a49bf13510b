# Django ships no formats for this language; day-month-year as in French and
# Portuguese, with month names from our own catalogue
# (services/translations/month_names.py).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
FIRST_DAY_OF_WEEK = 0
# 24-hour clock, as the language is written (Unicode CLDR: HH:mm).
TIME_FORMAT = "H:i"
