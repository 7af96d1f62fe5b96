"""Python's own answers for tests/diff_pyregex.rs: reads [[pattern, [text, ...]], ...] as JSON
on stdin and writes, for each pattern, null when re.compile refuses it, else for each text
whether re.search(pattern, text) finds it, or null when it ran longer than a second (`_sre`
backtracks: a generated pattern can take exponential time, as Airflow would)."""
import json
import re
import signal
import sys
import warnings


class Slow(Exception):
    pass


def alarm(*_):
    raise Slow()


signal.signal(signal.SIGALRM, alarm)
warnings.simplefilter("ignore")
out = []
for pattern, texts in json.load(sys.stdin):
    try:
        r = re.compile(pattern)
    except Exception:  # re.error, OverflowError, RecursionError: all fail Airflow's validation
        out.append(None)
        continue
    found = []
    for t in texts:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        try:
            found.append(r.search(t) is not None)
        except Slow:
            found.append(None)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    out.append(found)
json.dump(out, sys.stdout)
