"""Helpers shared by the end-to-end tests: run the built binary and check how it ended, build
fixture trees."""
import json
import os
import signal
import subprocess
import tempfile

ROOT = os.environ.get("ASYNCSWEEP_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.path.abspath(os.environ.get("ASYNCSWEEP_BIN", os.path.join(ROOT, "build", "asyncsweep")))
# Set by scripts/test in its sanitizer stages, where each run of the binary is 5-20x slower.
SANITIZER = os.environ.get("ASYNCSWEEP_TEST_SANITIZER", "")


def generated_cases(count):
    """How many generated cases a differential test runs: all of them in the Release stage, a
    third under a sanitizer (the same seed, so the first third of the Release stage's cases),
    where the point is the memory and thread checks, not more random trees."""
    return max(1, count // 3) if SANITIZER else count


def input_size(full, sanitized):
    """The size of a scale test's input (files in a directory, bytes on a line): `full` in the
    Release stage, which proves the scale; `sanitized` under a sanitizer, where the same code
    paths run for the memory and thread checks at a fifth of the cost or less."""
    return sanitized if SANITIZER else full


# The documented exit codes: 0 clean, 1 findings, 2 error. Anything else (a signal, a
# sanitizer's 86, 126/127 from a missing binary) means the run proves nothing.
EXIT_CODES = (0, 1, 2)


def check_exit(code, expect=EXIT_CODES, what="asyncsweep", err=""):
    """Raises AssertionError unless `code` (a returncode: negative for a signal) is in `expect`
    (an int or a collection). Every run of the binary in the e2e tests goes through this."""
    allowed = (expect,) if isinstance(expect, int) else tuple(expect)
    if code in allowed:
        return code
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        raise AssertionError(f"{what} was killed by {name}: {err[-2000:]}")
    raise AssertionError(f"{what} exited {code}, expected one of {allowed}: {err[-2000:]}")


def run(*args, cwd=None, stdin=subprocess.DEVNULL, env=None, expect=EXIT_CODES, timeout=None):
    """Runs asyncsweep; returns (exit code, stdout bytes, stderr text). Raises when the exit
    code is not in `expect` (by default any documented one)."""
    proc = subprocess.run([BIN, *args], cwd=cwd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=timeout)
    err = proc.stderr.decode("utf-8", "replace")
    check_exit(proc.returncode, expect, f"asyncsweep {' '.join(args)}", err)
    return proc.returncode, proc.stdout, err


def run_json(*args, cwd=None, expect=EXIT_CODES):
    code, out, err = run("--format", "json", *args, cwd=cwd, expect=expect)
    records = [json.loads(line) for line in out.splitlines()]
    assert records and records[-1]["type"] == "summary", (code, out[:500], err)
    return code, [r for r in records if r["type"] == "finding"], records[-1], err


def write_tree(base, files):
    """files: {relative path: str or bytes}."""
    for rel, content in files.items():
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as handle:
            handle.write(content)


def tempdir():
    return tempfile.TemporaryDirectory(prefix="asyncsweep-e2e-")


def stdlib_dir():
    """The Python standard library of Debian's python3 (what every machine here has)."""
    out = subprocess.run(["/usr/bin/python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().strip()


def accounted(summary):
    """Every file handed to the search is scanned, skipped for a reason, or an error."""
    return summary["files_walked"] == summary["files_scanned"] + sum(summary["skipped"].values()) + summary["files_errored"]


def strip_elapsed(records):
    out = []
    for record in records:
        record = dict(record)
        record.pop("elapsed_seconds", None)
        out.append(record)
    return out
