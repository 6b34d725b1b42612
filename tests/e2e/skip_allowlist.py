"""tests/skip-allowlist, read for scripts/test-accounting (the CI skip gate) and
scripts/crash-check (an allowed skip is not a pass there either)."""
import fnmatch
import os

PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "skip-allowlist")


def read(path=PATH):
    """[(pattern, reason)]: one entry a line, `PATTERN  REASON` (two spaces), # comments."""
    entries = []
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, _, reason = line.partition("  ")
            if not reason.strip():
                raise SystemExit(f"{path}: an entry without a reason: {line}")
            entries.append((pattern, reason.strip()))
    return entries


def allowed(entries, test, case):
    """Whether the skip of CASE (a unittest id, or `-`) in ctest test TEST is on the list."""
    return any(fnmatch.fnmatchcase(f"{test} {case}", pattern) for pattern, _ in entries)
