# Django's English writes 5 p.m.; US city sites and phone screens write 5:00 PM.
TIME_FORMAT = "g:i A"
