"""The one clock: what day it is and what time it is, for every rule, default and check.

Rules here depend on the date: an opening log may not be ahead of tomorrow, a duty is overdue
after its period, a loan is late after its due day, the year a page opens on is this year.
When each module asked Django for the date on its own, tests had to move several clocks, and
the one they forgot made them depend on the real calendar (a "future" date in a test became
the past). So everything reads the date and time here, and nothing else in the code asks the
system clock.

- `today()` is the date in the deployment's time zone (settings.TIME_ZONE, Asia/Shanghai):
  a record made at 7:00 in Linhai belongs to that day, not to the previous UTC day.
- `now()` is an aware instant, for timestamps (deleted_at, approved_at …). Django's own
  timestamps (auto_now, sessions, the login lockout) read the same system clock.

Functions that compute from a date (the rules of a period, of a week) take `today` as an
argument and stay pure; their callers get it from here. Tests do not patch this module: they
freeze the system clock with time-machine (`xuanwen.testing.frozen`), which stops this clock
and Django's timestamps together.
"""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    """The current instant, time-zone aware."""
    return timezone.now()


def today() -> date:
    """Today's date in the deployment's time zone."""
    return timezone.localdate()
