"""Paired timing for bench/run: the commands of one comparison run in turn in every round
(after a warm-up round), so that a ratio is taken between runs made moments apart on the same
page cache and the same neighbours' load, and summarised as the median of the per-round ratios
with their min and max. On a machine other sessions share, that is what keeps a ratio honest
when the absolute times drift by tens of percent.
"""
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def _run(cmd):
    """Wall seconds, peak RSS (MiB, the caller's own at the fork included: see peak_rss_mib)
    and exit code of one shell command."""
    start = time.perf_counter()
    proc = subprocess.Popen(["bash", "-c", cmd], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped above
    return elapsed, usage.ru_maxrss / 1024.0, proc.returncode


def shell_overhead(rounds=20):
    """Median cost of starting the shell that wraps every command; subtracted from each sample
    as hyperfine does, so short commands are not flattered towards a ratio of 1."""
    return statistics.median(_run("")[0] for _ in range(rounds))


def summary(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def paired(commands, runs, overhead):
    """commands: [(name, shell command)]. Returns {name: [seconds per round]}, rounds in order."""
    for name, cmd in commands:  # warm-up: page cache, binary, dentries
        code = _run(cmd)[2]
        if code > 1:  # 1 is findings (asyncsweep) or no match (rg); more is a failure
            print(f"bench/run: warning: {name} exits {code}: {cmd}", file=sys.stderr)
    samples = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            samples[name].append(max(_run(cmd)[0] - overhead, 1e-6))
    return samples


def ratio(samples, numerator, denominator):
    """Median (min-max) of the per-round ratios numerator/denominator."""
    return summary([a / b for a, b in zip(samples[numerator], samples[denominator])])


def peak_rss_mib(cmd):
    """Peak RSS of CMD alone, measured by GNU time (package `time`). Not by wait4 from here: a
    process's maxrss starts from the RSS of the process that forked it and survives exec, so
    every child of this Python process would report at least this process's RSS (10-25 MiB,
    more than rg's or an idle sweep's whole peak)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        _run(f"/usr/bin/time -f %M -o {out.name} bash -c {shlex.quote(cmd)}")
        return int(out.read().split()[-1]) / 1024.0
