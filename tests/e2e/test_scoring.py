"""Each scoring weight, shown by its effect: the same call scored with and without the
feature (README "Ranking"; weights in src/score/scorer.cpp)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, tempdir, write_tree  # noqa: E402

PROD = """import asyncio
import os
import socket
import time
from pathlib import Path


async def direct():
    time.sleep(1)


async def in_comment():
    # time.sleep(1)
    '''time.sleep(1) in a docstring'''
    s = "time.sleep(1)"


async def nested():
    def helper():
        time.sleep(1)
    f = lambda: time.sleep(1)
    class Inner:
        x = time.sleep(1)


async def awaited(p):
    await anyio_path(p).read_text()
    await asyncio.to_thread(Path(p).read_text)
    asyncio.create_task(self_like.read_text())


async def arg_of_to_thread(p):
    await asyncio.to_thread(Path(p).read_text())


async def sockets(sock, transport, thing, fd):
    sock.recv(1)
    transport.sendto(b"x")
    thing.send(b"x")


async def nonblocking(fd):
    os.set_blocking(fd, False)
    os.read(fd, 1)


async def blocking_read(fd):
    os.read(fd, 1)


async def nested_run():
    asyncio.run(direct())


def main():
    asyncio.run(direct())
    loop = asyncio.get_event_loop()


async def in_coroutine():
    loop = asyncio.get_event_loop()


if __name__ == "__main__":
    asyncio.run(direct())
"""

PLAIN = """import time


async def direct():
    time.sleep(1)
"""


def scored(d, *args):
    code, out, err = run("--format", "json", "--min-score", "0", *args, d, expect=(0, 1))
    found = {}
    for line in out.splitlines():
        record = json.loads(line)
        if record["type"] == "finding":
            found[(os.path.basename(record["path"]), record["line"], record["rule"])] = record
    return found


class Weights(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        d = cls.tmp.name
        write_tree(d, {"app/prod.py": PROD, "app/plain.py": PLAIN, "tests/test_prod.py": PROD})
        cls.found = scored(d)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def at(self, line, rule, name="prod.py"):
        finding = self.found.get((name, line, rule))
        self.assertIsNotNone(finding, f"{name}:{line} {rule} not reported")
        return finding

    def reason(self, finding, text):
        self.assertTrue(any(text in r for r in finding["reasons"]), (text, finding["reasons"]))

    def test_direct_blocking_call(self):
        f = self.at(9, "ASW106")
        self.assertEqual(f["score"], 95)  # high family 90 + imports asyncio 5
        self.reason(f, "inside `async def direct` (line 8)")

    def test_imports_async_adds_5(self):
        self.assertEqual(self.at(9, "ASW106")["score"] - self.at(5, "ASW106", "plain.py")["score"], 5)

    def test_test_file_subtracts_10(self):
        self.assertEqual(self.at(9, "ASW106")["score"] - self.at(9, "ASW106", "test_prod.py")["score"], 10)
        self.reason(self.at(9, "ASW106", "test_prod.py"), "test file")

    def test_comments_docstrings_and_strings_score_5(self):
        for line, why in ((13, "inside a comment"), (14, "inside a docstring"), (15, "inside a string literal")):
            f = self.at(line, "ASW106")
            self.assertEqual(f["score"], 5)
            self.reason(f, why)

    def test_nested_sync_bodies_score_20(self):
        for line, why in ((20, "nested sync def `helper`"), (21, "nested sync lambda"), (23, "nested sync class `Inner`")):
            f = self.at(line, "ASW106")
            self.assertEqual(f["score"], 20)
            self.reason(f, why)

    def test_awaited_references_and_scheduled_coroutines_score_10(self):
        self.assertEqual(self.at(27, "ASW102")["score"], 10)
        self.reason(self.at(27, "ASW102"), "awaited")
        self.assertNotIn(("prod.py", 28, "ASW102"), self.found)  # a reference: no call, no match
        self.assertEqual(self.at(29, "ASW102")["score"], 10)

    def test_argument_of_to_thread_is_still_a_call_on_the_loop(self):
        f = self.at(33, "ASW102")
        self.assertGreaterEqual(f["score"], 70)
        self.reason(f, "argument of asyncio.to_thread")

    def test_a_bracket_in_an_earlier_comment_is_no_enclosing_call(self):
        code = "import asyncio\nimport time\n\n\nasync def f():\n    x = 1  # see asyncio.to_thread(\n    time.sleep(1)\n"
        with tempdir() as d:
            write_tree(d, {"app/mod.py": code})
            f = scored(d)[("mod.py", 7, "ASW106")]
        self.assertFalse(any("to_thread" in r for r in f["reasons"]), f["reasons"])
        self.assertEqual(f["score"], self.at(9, "ASW106")["score"])

    def test_socket_receivers(self):
        self.reason(self.at(37, "ASW107"), "looks like a socket")
        self.assertEqual(self.at(38, "ASW107")["score"], 25)  # 20 for a transport, +5 module imports asyncio
        self.assertEqual(self.at(37, "ASW107")["score"] - self.at(39, "ASW107")["score"], 35)

    def test_nonblocking_setup_subtracts_40(self):
        self.assertEqual(self.at(48, "ASW103")["score"] - self.at(44, "ASW103")["score"], 40)
        self.reason(self.at(44, "ASW103"), "non-blocking")

    def test_asyncio_run_positions(self):
        self.assertEqual(self.at(52, "ASW041")["score"], 90)
        self.assertEqual(self.at(56, "ASW041")["score"], 50)
        self.assertEqual(self.at(65, "ASW041")["score"], 15)

    def test_get_event_loop_positions(self):
        self.assertEqual(self.at(57, "ASW040")["score"], 75)   # 70 + imports asyncio
        self.assertEqual(self.at(61, "ASW040")["score"], 85)   # 80 + imports asyncio

    def test_min_score_default_hides_the_low_ones(self):
        code, out, err = run("--format", "json", self.tmp.name, expect=1)
        shown = [json.loads(l) for l in out.splitlines()]
        self.assertTrue(all(r["score"] >= 30 for r in shown if r["type"] == "finding"))
        self.assertGreater(shown[-1]["below_min_score"], 10)

    def test_sort_and_top(self):
        code, out, err = run("--format", "json", "--top", "3", self.tmp.name, expect=1)
        findings = [json.loads(l) for l in out.splitlines()][:-1]
        self.assertEqual(len(findings), 3)
        self.assertEqual([f["score"] for f in findings], sorted([f["score"] for f in findings], reverse=True))
        code, out, err = run("--format", "json", "--sort", "path", self.tmp.name, expect=1)
        findings = [json.loads(l) for l in out.splitlines()][:-1]
        keys = [(f["path"], f["line"]) for f in findings if f["type"] == "finding"]
        self.assertEqual(keys, sorted(keys))


if __name__ == "__main__":
    unittest.main(verbosity=1)
