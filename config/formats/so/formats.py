# Django ships no formats for this language; day-month-year as in French and
# Portuguese, with month names from our own catalogue
# (services/translations/month_names.py).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = " "
FIRST_DAY_OF_WEEK = 0
# 12-hour clock, as Somali is written (Unicode CLDR: h:mm a), with GH and GD
# for AM and PM from our own catalogue.
TIME_FORMAT = "g:i A"
