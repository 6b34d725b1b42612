"""The pathlib and os file-system families are complete: every call that touches the file system
(is_socket/is_fifo/..., owner/group, rename/replace, walk, os.fwalk, os.fsync, xattrs, ...) is a
candidate inside an async def, as are urllib.request.urlopen/urlretrieve and
socket.create_connection, while the method names other types share (str.replace,
datetime.replace, dataclasses.replace, re match .group(), pandas .rename(columns=...), ast.walk)
and pure path computations stay out or low.

Each fixture line says what it expects in a trailing comment, so the expectations sit beside the
code they are about: `# real ASWnnn` (reported by that rule at score >= 50), `# low ASWnnn`
(reported, below 50) and `# none` (not reported by any rule)."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_json, tempdir, write_tree  # noqa: E402

# A spool directory served over a unix socket, written the way daemons write it.
SPOOL = '''"""Spool: queued jobs on disk, served over a unix socket."""
import asyncio
import dataclasses
import datetime
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)
JOB_RE = re.compile(r"job-(\\d+)\\.json")


@dataclasses.dataclass
class Settings:
    root: Path
    retries: int = 3


class Spool:
    def __init__(self, settings):
        self.settings = settings
        self.socket_path = settings.root / "spool.sock"

    async def start(self):
        if self.socket_path.is_socket():  # real ASW112
            self.socket_path.unlink()  # real ASW112
        if self.settings.root.is_fifo():  # real ASW112
            raise RuntimeError("root is a fifo")
        log.info("spool owned by %s:%s", self.settings.root.owner(), self.settings.root.group())  # real ASW112
        server = await asyncio.start_unix_server(self.handle, path=str(self.socket_path))
        return server

    async def commit(self, job_id, payload):
        tmp_file = self.settings.root / f"job-{job_id}.tmp"
        fd = os.open(tmp_file, os.O_WRONLY | os.O_CREAT)  # real ASW111
        os.write(fd, payload)  # real ASW103
        os.fsync(fd)  # real ASW111
        os.close(fd)
        tmp_file.replace(self.settings.root / f"job-{job_id}.json")  # real ASW112
        stamp = datetime.datetime.now().replace(microsecond=0)  # none
        return stamp.isoformat().replace("T", " ")  # none

    async def archive(self, job_file, archive_dir):
        job_file.rename(archive_dir / job_file.name)  # real ASW112
        for top, dirs, files in archive_dir.walk():  # real ASW112
            log.debug("%s: %d files", top, len(files))
        for root, dirs, files, rootfd in os.fwalk(archive_dir):  # real ASW111
            log.debug("%s", root)
        if os.path.isjunction(archive_dir):  # real ASW111
            return None
        return os.getxattr(archive_dir, "user.spool")  # real ASW111

    async def pending(self):
        jobs = []
        for name in os.listdir(self.settings.root):  # real ASW111
            m = JOB_RE.match(name)
            if m:
                jobs.append(int(m.group(1)))  # none
                log.debug("job %s", m.group())  # low ASW112
        return jobs

    async def reconfigure(self, **changes):
        self.settings = dataclasses.replace(self.settings, **changes)  # none
        label = self.settings.root.name.replace("-", "_")  # none
        home = self.settings.root.expanduser().absolute()  # none
        await asyncio.to_thread(self.settings.root.rename, home / label)  # none
        await asyncio.to_thread(lambda: (home / label).is_dir())  # low ASW112

    def rename(self, title):
        self.title = title

    async def retitle(self, title):
        self.rename(title)  # low ASW112
        await self.start()

    def sync_cleanup(self):
        self.socket_path.unlink()  # none
        self.settings.root.rename(self.settings.root.with_suffix(".old"))  # none
'''

# An async test module: pytest's tmp_path is a pathlib.Path.
TEST_SPOOL = '''import ast
import os

import pytest


@pytest.mark.asyncio
async def test_socket_is_created(spool, tmp_path):
    await spool.start()
    sock = tmp_path / "spool.sock"
    assert sock.is_socket()  # real ASW112
    assert not sock.is_block_device() and not sock.is_char_device()  # real ASW112
    os.mkfifo(tmp_path / "fifo")  # real ASW111
    assert (tmp_path / "fifo").is_fifo()  # real ASW112
    (tmp_path / "link").symlink_to(sock)  # real ASW112
    assert (tmp_path / "link").is_junction() is False  # real ASW112


async def test_source_parses(tmp_path):
    tree = ast.parse((tmp_path / "job.py").read_text())  # real ASW102
    assert not list(ast.walk(tree))[1:]  # none
    assert "x".replace("x", "y") == "y"  # none
    frame = {"a": 1}
    renamed = frame.rename(columns={"a": "b"})  # none
    assert renamed
'''


# A health checker that mixes the blocking stdlib clients with asyncio's own.
PROBE = '''import asyncio
import json
import socket
import urllib.request
from urllib.request import urlretrieve as fetch_to


async def probe_http(url, cache):
    with urllib.request.urlopen(url, timeout=5) as response:  # real ASW109
        status = json.load(response)
    fetch_to(url + "/bundle.tar", cache)  # real ASW109
    body = await asyncio.to_thread(urllib.request.urlretrieve, url, cache)  # none
    return status, body


async def probe_tcp(host, port):
    conn = socket.create_connection((host, port), timeout=2)  # real ASW108
    conn.close()
    reader, writer = await asyncio.open_connection(host, port)  # none
    writer.close()
    await loop_probe(host, port)


async def loop_probe(host, port):
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, socket.create_connection, (host, port))  # none
    infos = await loop.getaddrinfo(host, port)  # none
    return infos
'''

def expectations(source):
    """{line: (kind, rule)} from the fixture's trailing comments."""
    out = {}
    for number, text in enumerate(source.splitlines(), start=1):
        m = re.search(r"# (real|low|none)(?: (ASW\d+))?$", text)
        if m:
            out[number] = (m.group(1), m.group(2))
    return out


class Families(unittest.TestCase):
    def check(self, name, source):
        with tempdir() as d:
            write_tree(d, {name: source})
            code, findings, _, err = run_json("--min-score", "0", d)
            self.assertEqual(code, 1, err)
            by_line = {}
            for f in findings:
                by_line.setdefault(f["line"], []).append(f)
            expected = expectations(source)
            self.assertGreaterEqual(len(expected), 8 if "tests/" in name else 5)  # the markers were read
            for line, (kind, rule) in expected.items():
                got = by_line.get(line, [])
                text = source.splitlines()[line - 1].strip()
                if kind == "none":
                    self.assertEqual(got, [], f"{name}:{line} `{text}` should not be reported")
                    continue
                self.assertEqual([f["rule"] for f in got], [rule], f"{name}:{line} `{text}`: {got}")
                if kind == "real":
                    self.assertGreaterEqual(got[0]["score"], 50, f"{name}:{line} `{text}`: {got[0]['reasons']}")
                else:
                    self.assertLess(got[0]["score"], 50, f"{name}:{line} `{text}`: {got[0]['reasons']}")
            return by_line

    def test_daemon_code(self):
        by_line = self.check("spool/service.py", SPOOL)
        # The receiver says why a shared method name is kept low.
        line = next(n for n, text in enumerate(SPOOL.splitlines(), start=1) if "m.group())" in text)
        group = by_line[line][0]
        self.assertTrue(any("`.group()` on `m`" in r for r in group["reasons"]), group["reasons"])

    def test_async_test_code(self):
        by_line = self.check("tests/test_spool.py", TEST_SPOOL)
        line = next(n for n, text in enumerate(TEST_SPOOL.splitlines(), start=1) if "sock.is_socket()" in text)
        self.assertTrue(by_line[line][0]["test"])

    def test_network_clients(self):
        self.check("probe.py", PROBE)


if __name__ == "__main__":
    unittest.main()
