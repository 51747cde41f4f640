#!/usr/bin/python3
"""Run the test Django site through every failure kind and keep the reports.

    /usr/bin/python3 tests/integration/python/make_site_output.py OUT.jsonl

Writes what errordeck_django.ReportFileHandler produced for all the requests
of errordeck_test_site.SCENARIOS to OUT.jsonl (replacing it), so that an
end-to-end test can import it with errordeck-cli.  Prints one summary line per
request on stderr and exits non-zero if the site did not behave as expected
(wrong status, wrong number of report lines, or a line that is not JSON).
Needs Django (Debian's python3-django is enough).
"""

import json
import os
import sys


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s OUT.jsonl\n" % argv[0])
        return 2
    out = os.path.abspath(argv[1])
    if os.path.exists(out):
        os.remove(out)

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import errordeck_test_site as site

    site.configure(report_path=out)
    client = site.make_client()

    problems = []
    written = 0
    for scenario in site.SCENARIOS:
        before = _count_lines(out)
        response = scenario.send(client)
        added = _count_lines(out) - before
        written += added
        sys.stderr.write("%-16s %-4s %-50s -> %d, %d report line(s)\n" % (
            scenario.kind, scenario.method, scenario.url[:50],
            response.status_code, added))
        if response.status_code != scenario.status:
            problems.append("%s: status %d, expected %d" % (
                scenario.kind, response.status_code, scenario.status))
        if added != scenario.records:
            problems.append("%s: %d report lines, expected %d" % (
                scenario.kind, added, scenario.records))

    with open(out, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                json.loads(line)
            except ValueError as exc:
                problems.append("line %d is not JSON: %s" % (number, exc))

    for problem in problems:
        sys.stderr.write("error: %s\n" % problem)
    sys.stderr.write("%d report lines written to %s\n" % (written, out))
    return 1 if problems else 0


def _count_lines(path):
    try:
        with open(path, "rb") as fh:
            return sum(1 for _ in fh)
    except FileNotFoundError:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
