"""English dates and times: "4:27 PM" instead of Django's "4:27 p.m.", whose closing period doubled
the full stop of every sentence ending in a time ("Computed Nov. 29, 2026, 4:27 p.m..")."""

TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "N j, Y, g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
