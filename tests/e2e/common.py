"""Helpers shared by the end-to-end tests: run the built binary, build fixture trees."""
import json
import os
import subprocess
import sysconfig
import tempfile

ROOT = os.environ.get("ASYNCSWEEP_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.path.abspath(os.environ.get("ASYNCSWEEP_BIN", os.path.join(ROOT, "build", "asyncsweep")))


def run(*args, cwd=None, stdin=subprocess.DEVNULL, env=None):
    """Runs asyncsweep; returns (exit code, stdout bytes, stderr text)."""
    proc = subprocess.run([BIN, *args], cwd=cwd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def run_json(*args, cwd=None):
    code, out, err = run("--format", "json", *args, cwd=cwd)
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
