"""A blocking call in a sync def nested in an async def runs on the loop when the async body calls
the def itself (`written = _write(blob)`, `write_config("...")`), and is scored like a call written
there; a nested def handed to to_thread/run_in_executor/Thread/client.map, kept as a callback,
returned, or only defined stays low. The fixtures are written the way projects write them; each
line's trailing comment says what it expects (the markers of test_families.py)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Its check() reads the markers; imported as a module so that its own cases do not run here too.
import test_families  # noqa: E402

# A store that writes small blobs inline and large ones in a thread (distributed's upload_file).
STORE = '''"""Blob store: files under a root directory, served to asyncio handlers."""
import asyncio
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)
SMALL = 64 * 1024


class BlobStore:
    def __init__(self, root):
        self.root = Path(root)
        self._callbacks = []

    async def put(self, key, blob):
        target = self.root / key

        def _write(data):
            tmp = target.with_suffix(".tmp")
            with open(tmp, "wb") as f:  # real ASW101
                f.write(data)
                f.flush()
                os.fsync(f.fileno())  # real ASW111
            os.replace(tmp, target)  # real ASW111
            return len(data)

        if len(blob) < SMALL:
            written = _write(blob)
        else:
            written = await asyncio.to_thread(_write, blob)  # none
        log.debug("stored %s (%d bytes)", key, written)

    async def get(self, key):
        loop = asyncio.get_running_loop()

        def _read():
            with open(self.root / key, "rb") as f:  # low ASW101
                return f.read()

        return await loop.run_in_executor(None, _read)

    async def drop(self, key):
        def _remove():
            shutil.rmtree(self.root / key, ignore_errors=True)  # low ASW113

        await asyncio.to_thread(_remove)

    async def watch(self, key):
        def on_change(fut):
            os.remove(self.root / key / "lock")  # low ASW111

        self._callbacks.append(on_change)
        return on_change

    async def export(self, key, dest):
        def _copy():
            shutil.copyfile(self.root / key, dest)  # low ASW113

        log.info("export of %s scheduled", key)
'''

# Async tests with helpers: some called inline, some mapped onto workers or run in threads.
TEST_RELOAD = '''import asyncio
import subprocess
import threading
import time

import pytest

from app.server import Server


@pytest.mark.asyncio
async def test_reload_picks_up_config(tmp_path):
    config = tmp_path / "app.toml"

    def write_config(text):
        config.write_text(text)  # real ASW102
        time.sleep(0.01)  # real ASW106

    write_config("workers = 1")
    server = await Server.start(config)
    write_config("workers = 4")
    await server.reload()
    assert server.workers == 4


@pytest.mark.asyncio
async def test_git_revision_is_reported(tmp_path):
    def git(*args):
        return subprocess.check_output(["git", *args], cwd=tmp_path, text=True)  # real ASW105

    git("init")
    rev = git("rev-parse", "HEAD").strip()
    server = await Server.start(tmp_path / "app.toml")
    assert server.revision == rev


@pytest.mark.asyncio
async def test_slow_worker_does_not_block(client):
    def slow(x):
        time.sleep(0.5)  # low ASW106
        return x

    futures = client.map(slow, range(4))  # none
    assert await client.gather(futures) == [0, 1, 2, 3]


@pytest.mark.asyncio
async def test_blocking_reader_thread(tmp_path):
    done = asyncio.Event()
    loop = asyncio.get_running_loop()

    def reader():
        time.sleep(0.2)  # low ASW106
        loop.call_soon_threadsafe(done.set)

    threading.Thread(target=reader, daemon=True).start()  # none
    await asyncio.wait_for(done.wait(), 5)


@pytest.mark.asyncio
async def test_shutdown_hook(server):
    def make_hook(path):
        def hook():
            path.unlink()  # low ASW112
        return hook

    server.on_shutdown(make_hook(server.pidfile))  # none
    await server.stop()
'''


class NestedDefs(unittest.TestCase):
    check = test_families.Families.check

    def test_store_writes_inline_and_offloads(self):
        by_line = self.check("blobs/store.py", STORE)
        line = next(n for n, text in enumerate(STORE.splitlines(), start=1) if "with open(tmp" in text)
        reasons = by_line[line][0]["reasons"]
        self.assertIn("`_write()` (line 20) is called on the loop at line 30", reasons)

    def test_async_tests_with_helpers(self):
        self.check("tests/test_reload.py", TEST_RELOAD)


if __name__ == "__main__":
    unittest.main()
