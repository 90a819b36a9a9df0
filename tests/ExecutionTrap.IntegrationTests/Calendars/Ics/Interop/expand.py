#!/usr/bin/python3
"""Independent expansion of the interop calendars, for IcsInteropTests.

Writes calendars/NAME.expected.json beside each calendars/NAME.ics: the ISO weeks compared and,
for each, every occurrence that starts in that week (UTC), as computed by Python's
recurring-ical-events (on icalendar and dateutil) -- an implementation that shares no code with
Ical.Net or ours. The test runs `etrap analyze --week W --timezone UTC --format json` and compares
occurrence for occurrence. Nothing is installed when the tests run: the expected files are
committed. To regenerate them (Debian/Ubuntu):

    apt-get install -y python3-icalendar python3-dateutil python3-recurring-ical-events
    /usr/bin/python3 tests/ExecutionTrap.IntegrationTests/Calendars/Ics/Interop/expand.py

Generated with icalendar 4.0.3, recurring-ical-events 2.0.1, x-wr-timezone 0.0.5 (Debian 12).

The calendar's own zone for dates and floating times is the one ExecutionTrap uses (and RFC 5545
leaves to the reader): X-WR-TIMEZONE, else the only VTIMEZONE, else UTC. Where the two sides
disagree by design, DEVIATIONS below says why, and the expected file carries the note.
"""
import datetime
import json
import pathlib
import sys

import icalendar
import recurring_ical_events
import dateutil.tz

HERE = pathlib.Path(__file__).resolve().parent
CALENDARS = HERE / "calendars"
UTC = datetime.timezone.utc
MAX_WEEKS = 4

# Where the two implementations disagree and RFC 5545 does not decide for dateutil: the note that
# goes into the expected file, and the occurrences (title, start) taken out of dateutil's answer.
DEVIATIONS = {
    "icalnet_WeeklyWeekStartsLastYear.ics": (
        "DTSTART (Sunday 2012-01-01) does not match its RRULE (BYDAY=MO..FR). RFC 5545 3.8.5.3: the "
        "recurrence set of an RRULE not synchronised with DTSTART is undefined. dateutil lists DTSTART "
        "as an extra occurrence; Ical.Net (and so etrap) lists only what the rule matches. The "
        "unmatched DTSTART is left out here.",
        {("Every weekday.", "2012-01-01T07:00:00Z")},
    ),
}


# Windows zone ids as the CLDR maps them (ExecutionTrap reads them through TimeZoneConverter;
# dateutil knows none of them). Only the ones these calendars use.
WINDOWS = {"GMT Standard Time": "Europe/London"}


def gettz(name):
    return dateutil.tz.gettz(WINDOWS.get(name, name))


def calendar_zone(cal):
    name = cal.get("X-WR-TIMEZONE")
    if name:
        zone = gettz(str(name))
        if zone:
            return zone
    ids = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE") if tz.get("TZID")}
    if len(ids) == 1:
        zone = gettz(ids.pop())
        if zone:
            return zone
    return UTC


def instant(value, zone):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(UTC)
    return datetime.datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(UTC)


def text(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def occurrences(cal, zone, start, stop):
    for event in recurring_ical_events.of(cal).between(start, stop):
        begin = event["DTSTART"].dt
        if event.get("DTEND") is not None:
            end = event["DTEND"].dt
        elif event.get("DURATION") is not None:
            end = begin + event["DURATION"].dt
        elif isinstance(begin, datetime.datetime):
            end = begin
        else:
            end = begin + datetime.timedelta(days=1)
        summary = str(event.get("SUMMARY", "")).strip() or "(no title)"
        yield {
            "title": summary,
            "start": text(instant(begin, zone)),
            "end": text(instant(end, zone)),
            "cancelled": str(event.get("STATUS", "")).strip().upper() == "CANCELLED",
        }


def iso_week(stamp):
    year, week, _ = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week):
    monday = datetime.datetime.strptime(week + "-1", "%G-W%V-%u").replace(tzinfo=UTC)
    return monday, monday + datetime.timedelta(days=7)


def first_start(cal, zone):
    starts = [instant(e["DTSTART"].dt, zone) for e in cal.walk("VEVENT") if e.get("DTSTART") is not None]
    return min(starts) if starts else None


def expected(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    note, removed = DEVIATIONS.get(path.name, (None, set()))
    zone = calendar_zone(cal)
    first = first_start(cal, zone)
    weeks = []
    if first is not None:
        # The first weeks that hold any occurrence (by UTC start), up to MAX_WEEKS of them,
        # looked for in the two years from the earliest DTSTART.
        every = sorted(occurrences(cal, zone, first - datetime.timedelta(days=1), first + datetime.timedelta(days=730)),
                       key=lambda o: o["start"])
        for o in every:
            if (o["title"], o["start"]) in removed:
                continue
            w = iso_week(o["start"])
            if w not in weeks:
                weeks.append(w)
            if len(weeks) == MAX_WEEKS:
                break
    if not weeks:
        # No event (a calendar of to-dos or journals): the week of the first DTSTART of anything,
        # where nothing must be listed.
        starts = [instant(c["DTSTART"].dt, zone) for c in cal.walk() if c.get("DTSTART") is not None]
        if starts:
            weeks.append(iso_week(text(min(starts))))
    result = {"source": path.name, "weeks": []}
    if note:
        result["note"] = note
    for w in weeks:
        lo, hi = week_bounds(w)
        # Read a day either side, then keep what starts in the week, as `etrap analyze` lists it.
        found = [o for o in occurrences(cal, zone, lo - datetime.timedelta(days=2), hi + datetime.timedelta(days=2))
                 if text(lo) <= o["start"] < text(hi) and (o["title"], o["start"]) not in removed]
        found.sort(key=lambda o: (o["start"], o["title"], o["end"]))
        result["weeks"].append({"week": w, "occurrences": found})
    return result


def main(names):
    paths = [CALENDARS / n for n in names] if names else sorted(CALENDARS.glob("*.ics"))
    for path in paths:
        data = expected(path)
        out = path.with_suffix(".expected.json")
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path.name}: {sum(len(w['occurrences']) for w in data['weeks'])} occurrences in {len(data['weeks'])} weeks")


if __name__ == "__main__":
    main(sys.argv[1:])
