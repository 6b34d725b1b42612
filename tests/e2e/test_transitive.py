"""Blocking one call away (ASW130): a coroutine that calls the project's own sync function
which blocks, itself or through up to three more of the project's functions. The tree is
written the way services are: packages with relative imports, a package that re-exports its
module's helper, a persistence class whose helpers live in a base class of another module, a
cycle, a helper that offloads itself to a thread, an awaited coroutine named like a sync
helper, TYPE_CHECKING imports, suppressions at the call and at the blocking line, and a chain
one function too deep. Each expected site is
marked `# expect` in the source; the test reads the marks, not the tool's output."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, run, run_json, tempdir, write_tree  # noqa: E402

BASE = '''"""Key/value files under a root directory."""
import json
import os


class BaseStore:
    def __init__(self, root):
        self.root = root

    def _path(self, key):
        return os.path.join(self.root, key)

    def _read_json(self, key):
        with open(self._path(key)) as handle:
            return json.load(handle)
'''

PICKLE_STORE = '''import asyncio
import pickle
from pathlib import Path

from .base import BaseStore
from ..util import timing


def load(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)


class PicklePersistence(BaseStore):
    def _load_file(self, path):
        with path.open("rb") as f:
            return pickle.load(f)

    def _write_sync(self, path, data):
        path.write_bytes(pickle.dumps(data))

    def save(self, path, data):
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(None, self._write_sync, path, data)

    async def load(self):
        return await asyncio.to_thread(self._load_file, Path(self.root))

    async def get_user_data(self):
        data = self._load_file(Path(self.root) / "users")  # expect
        settings = self._read_json("settings")  # expect
        await self.save(Path(self.root), data)
        await self.load()
        timing.mark()
        return data, settings

    async def get_chat_data(self):
        return load(Path(self.root) / "chats")  # expect
'''

TIMING = '''import time


def mark():
    return time.monotonic()
'''

CONFIG = '''import subprocess


def parse(text, depth=0):
    if depth > 3:
        return refresh()
    return parse(text, depth + 1)


def refresh():
    return resolve_all()


def resolve_all(again=False):
    if again:
        return refresh()
    return subprocess.run(["git", "describe"], capture_output=True).stdout


def load(name):
    return name.upper()
'''

QUIET = '''import shutil


def wipe(path):
    shutil.rmtree(path)  # asyncsweep: ignore[ASW113]
'''

DEEP = '''import time


def one():
    return two()


def two():
    return three()


def three():
    return four()


def four():
    return five()


def five():
    time.sleep(0.1)
'''

HANDLERS = '''from typing import TYPE_CHECKING

from . import deep, files
from .files import read_all
from .storage.pickle_store import PicklePersistence
from .util import config, quiet
from .util.config import parse as parse_config

if TYPE_CHECKING:
    from .storage.base import BaseStore


async def handle(request):
    version = parse_config(request.body)  # expect
    name = config.load(request.name)
    store = PicklePersistence("/tmp")
    quiet.wipe(request.tmp)
    return version, name, store


async def handle_quietly(request):
    return parse_config(request.body)  # asyncsweep: ignore


async def handle_deep(request):
    deep.two()  # expect
    deep.one()
    return request


async def handle_upload(request):
    first = read_all(request.path)  # expect
    second = files.read_all(request.path)  # expect
    return first, second
'''

# A package whose __init__ re-exports its module's helper: `pkg.files.read_all` is
# `pkg.files.reader.read_all`.
FILES_INIT = '''"""File helpers."""
from .reader import read_all

__all__ = ["read_all"]
'''

READER = '''def read_all(path):
    with open(path) as handle:
        return handle.read()
'''

TREE = {
    "svc/pkg/__init__.py": "",
    "svc/pkg/storage/__init__.py": "",
    "svc/pkg/storage/base.py": BASE,
    "svc/pkg/storage/pickle_store.py": PICKLE_STORE,
    "svc/pkg/util/__init__.py": "",
    "svc/pkg/util/timing.py": TIMING,
    "svc/pkg/util/config.py": CONFIG,
    "svc/pkg/util/quiet.py": QUIET,
    "svc/pkg/deep.py": DEEP,
    "svc/pkg/handlers.py": HANDLERS,
    "svc/pkg/files/__init__.py": FILES_INIT,
    "svc/pkg/files/reader.py": READER,
}


def line_of(source, text):
    lines = source.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if text in line]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def line_after(source, start, text):
    lines = source.splitlines()
    first = line_of(source, start)
    return next(i + 1 for i in range(first, len(lines)) if text in lines[i])


def expected_sites():
    sites = set()
    for rel, source in TREE.items():
        for number, line in enumerate(source.splitlines(), 1):
            if line.endswith("# expect"):
                sites.add((rel, number))
    return sites


class Transitive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        cls.dir = cls.tmp.name
        write_tree(cls.dir, TREE)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def sweep(self, *options, preview=("--preview",)):
        code, findings, summary, err = run_json("--isolated", "--min-score", "0", *preview, *options, "svc",
                                                cwd=self.dir)
        return [f for f in findings if f["rule"] == "ASW130"], summary

    def test_reports_exactly_the_transitive_sites(self):
        found, summary = self.sweep()
        self.assertEqual({(f["path"], f["line"]) for f in found}, expected_sites())
        self.assertEqual(len(found), len(expected_sites()), "one finding per call site")
        self.assertEqual(summary["suppressed"], 1, "the call under `# asyncsweep: ignore`")

    def chain_of(self, path, text):
        found, _ = self.sweep()
        line = line_of(TREE[path], text)
        [finding] = [f for f in found if (f["path"], f["line"]) == (path, line)]
        return finding, [(c["path"], c["line"], c["function"], c["call"], c.get("rule")) for c in finding["chain"]]

    def test_a_method_of_the_class_one_call_away(self):
        finding, chain = self.chain_of("svc/pkg/storage/pickle_store.py", 'self._load_file(Path(self.root) / "users")')
        store = "svc/pkg/storage/pickle_store.py"
        self.assertEqual(chain, [(store, line_of(PICKLE_STORE, 'with path.open("rb") as f:'),
                                  "pkg.storage.pickle_store.PicklePersistence._load_file", "path.open", "ASW102")])
        self.assertEqual(finding["reasons"][0],
                         f"`self._load_file()` (line {finding['line']}) blocks: "
                         f"{store}:{chain[0][1]} `path.open()` (ASW102)")
        self.assertEqual(finding["category"], "transitive")
        self.assertGreaterEqual(finding["score"], 50)

    def test_a_helper_of_a_base_class_in_another_module(self):
        _, chain = self.chain_of("svc/pkg/storage/pickle_store.py", 'self._read_json("settings")')
        self.assertEqual(chain, [("svc/pkg/storage/base.py", line_of(BASE, "with open(self._path(key))"),
                                  "pkg.storage.base.BaseStore._read_json", "open", "ASW101")])

    def test_a_module_function_named_like_a_coroutine_method(self):
        _, chain = self.chain_of("svc/pkg/storage/pickle_store.py", 'return load(Path(self.root) / "chats")')
        self.assertEqual([c[2] for c in chain], ["pkg.storage.pickle_store.load"])

    def test_a_cycle_through_an_aliased_relative_import(self):
        _, chain = self.chain_of("svc/pkg/handlers.py", "version = parse_config(request.body)")
        config = "svc/pkg/util/config.py"
        self.assertEqual(chain, [
            (config, line_after(CONFIG, "def parse", "return refresh()"), "pkg.util.config.parse", "refresh", None),
            (config, line_of(CONFIG, "    return resolve_all()"), "pkg.util.config.refresh", "resolve_all", None),
            (config, line_of(CONFIG, "subprocess.run("), "pkg.util.config.resolve_all", "subprocess.run", "ASW105"),
        ])

    def test_a_re_exported_helper_is_followed_to_its_module(self):
        for text in ("first = read_all(", "second = files.read_all("):
            _, chain = self.chain_of("svc/pkg/handlers.py", text)
            self.assertEqual(chain, [("svc/pkg/files/reader.py", line_of(READER, "open(path)"),
                                      "pkg.files.reader.read_all", "open", "ASW101")], text)

    def test_four_functions_deep_is_reported_five_is_not(self):
        finding, chain = self.chain_of("svc/pkg/handlers.py", "deep.two()")
        self.assertEqual([c[2] for c in chain], [f"pkg.deep.{n}" for n in ("two", "three", "four", "five")])
        self.assertIn("4 calls away", finding["reasons"][1])

    def test_shards_and_merge_give_the_unsharded_findings(self):
        code, whole, _ = run("--isolated", "--preview", "--format", "json", "svc", cwd=self.dir)
        outputs = []
        for index in range(3):
            path = os.path.join(self.dir, f"shard-{index}.jsonl")
            _, out, _ = run("--isolated", "--preview", "--format", "json", "--shard", f"{index}/3", "svc", cwd=self.dir)
            with open(path, "wb") as handle:
                handle.write(out)
            outputs.append(path)
        _, merged, err = run("merge", "--preview", *outputs, cwd=self.dir)

        def without_volatile(data):
            records = [json.loads(line) for line in data.splitlines()]
            for record in records:
                record.pop("elapsed_seconds", None)
                record.pop("shards_merged", None)
            return records

        self.assertEqual(without_volatile(merged), without_volatile(whole), err)

    def test_sarif_carries_the_chain_and_is_valid(self):
        sarif = os.path.join(self.dir, "out.sarif")
        run("--isolated", "--preview", "--format", "sarif", "-o", sarif, "svc", cwd=self.dir)
        check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "e2e", "sarif_check.py"), sarif],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual(check.returncode, 0, check.stdout.decode())
        with open(sarif) as handle:
            results = json.load(handle)["runs"][0]["results"]
        transitive = [r for r in results if r["ruleId"] == "ASW130" and "suppressions" not in r]
        self.assertEqual(len(transitive), len(expected_sites()))
        deep = [r for r in transitive if len(r["relatedLocations"]) == 4]
        self.assertEqual(len(deep), 1)
        flow = deep[0]["codeFlows"][0]["threadFlows"][0]["locations"]
        self.assertEqual(len(flow), 5, "the call, then each function down to time.sleep")
        self.assertEqual(flow[-1]["location"]["physicalLocation"]["region"]["startLine"],
                         line_of(DEEP, "time.sleep(0.1)"))

    def test_a_preview_rule_runs_only_when_asked_for(self):
        # A default sweep does not pay for the join, nor report it; a category or id prefix does
        # not enable it either (Ruff's rule for preview rules selected by a prefix).
        for options in ((), ("--select", "transitive"), ("--select", "ASW1")):
            found, _ = self.sweep(*options, preview=())
            self.assertEqual(found, [], options)
        sites = expected_sites()
        # Its exact id enables it; the summaries need the blocking-io rules selected beside it.
        for options in (("--extend-select", "ASW130"), ("--select", "ASW130,blocking-io"),
                        ("--select", "transitive,blocking-io", "--preview")):
            found, _ = self.sweep(*options, preview=())
            self.assertEqual({(f["path"], f["line"]) for f in found}, sites, options)

    def test_preview_in_the_configuration_enables_it(self):
        with open(os.path.join(self.dir, "svc", "asyncsweep.toml"), "w") as handle:
            handle.write("preview = true\n")
        try:
            code, findings, _, err = run_json("--min-score", "0", "svc", cwd=self.dir)
        finally:
            os.remove(os.path.join(self.dir, "svc", "asyncsweep.toml"))
        self.assertEqual({(f["path"], f["line"]) for f in findings if f["rule"] == "ASW130"}, expected_sites(), err)

    def test_the_rule_can_be_turned_off(self):
        found, _ = self.sweep("--ignore", "transitive")
        self.assertEqual(found, [])


# The join's findings are made after the walk, in `merge` from the shards' summaries: they must
# still be shown as each file's configuration, the change and --exclude-tests say, and alike in
# both (a change is not sharded: that case is the sweep's alone). A test module calls the
# blocking helper too; a per-file-ignores entry names ASW130 for the storage package.
TEST_MODULE = '''from pkg.util.config import parse


async def test_parse():
    assert parse(b"1")  # expect-test
'''

CONFIGURED_TREE = dict(TREE, **{
    "svc/tests/test_config.py": TEST_MODULE,
    "svc/pyproject.toml": '[tool.asyncsweep]\nmin-score = 0\n\n[tool.asyncsweep.per-file-ignores]\n'
                          '"pkg/storage/*.py" = ["ASW130"]\n',
})


def marked(tree, mark):
    return {(rel, number) for rel, source in tree.items()
            for number, line in enumerate(source.splitlines(), 1) if line.endswith(mark)}


class TransitiveTriage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        cls.dir = cls.tmp.name
        write_tree(cls.dir, CONFIGURED_TREE)
        # A change that adds one line of handlers.py: the `deep.two()` call.
        line = line_of(HANDLERS, "deep.two()")
        cls.diff = os.path.join(cls.dir, "change.diff")
        with open(cls.diff, "w") as handle:
            handle.write(f"--- a/svc/pkg/handlers.py\n+++ b/svc/pkg/handlers.py\n@@ -{line},0 +{line},1 @@\n"
                         "+    deep.two()  # expect\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def unsharded_and_merged(self, *options):
        """Both outputs' records (elapsed time and the shard count dropped), after checking that
        they are the same."""
        def records(data):
            out = [json.loads(line) for line in data.splitlines()]
            for record in out:
                record.pop("elapsed_seconds", None)
                record.pop("shards_merged", None)
            return out

        _, whole, err = run("--preview", "--format", "json", *options, "svc", cwd=self.dir)
        shards = []
        for index in range(3):
            _, out, _ = run("--preview", "--format", "json", "--shard", f"{index}/3", *options, "svc", cwd=self.dir)
            shards.append(os.path.join(self.dir, f"shard-{index}.jsonl"))
            with open(shards[-1], "wb") as handle:
                handle.write(out)
        _, merged, merge_err = run("merge", "--preview", *shards, cwd=self.dir)
        self.assertEqual(records(merged), records(whole), (options, merge_err))
        return records(whole), err

    def sites(self, records, kind="finding"):
        return {(r["path"], r["line"]) for r in records if r["type"] == kind and r["rule"] == "ASW130"}

    def test_per_file_ignores_hide_the_findings_in_the_files_they_name(self):
        records, err = self.unsharded_and_merged()
        storage = {site for site in marked(TREE, "# expect") if site[0].startswith("svc/pkg/storage/")}
        self.assertEqual(len(storage), 3)
        shown = marked(CONFIGURED_TREE, "# expect") | marked(CONFIGURED_TREE, "# expect-test")
        self.assertEqual(self.sites(records), shown - storage, err)
        _, _, isolated, _ = run_json("--isolated", "--preview", "--min-score", "0", "svc", cwd=self.dir)
        self.assertEqual(records[-1]["suppressed"], isolated["suppressed"] + len(storage), "counted as suppressed")

    def test_exclude_tests_drops_the_test_modules_calls(self):
        records, err = self.unsharded_and_merged("--exclude-tests")
        test_sites = marked(CONFIGURED_TREE, "# expect-test")
        self.assertEqual(len(test_sites), 1)
        self.assertFalse(self.sites(records) & test_sites, err)
        self.assertTrue(self.sites(records), "the other sites stay")
        self.assertGreaterEqual(records[-1]["excluded_tests"], 1)

    def test_a_change_keeps_only_the_calls_on_its_lines(self):
        # (A change cannot be sharded: --shard refuses --changed-lines.)
        _, out, err = run("--preview", "--format", "json", "--changed-lines", self.diff, "svc", cwd=self.dir)
        records = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(self.sites(records), {("svc/pkg/handlers.py", line_of(HANDLERS, "deep.two()"))}, err)
        # handle()'s call of parse_config, in the same file, is among those outside the change.
        self.assertGreaterEqual(records[-1]["outside_change"], 1)

    def test_a_files_own_min_score_applies(self):
        with open(os.path.join(self.dir, "svc", "tests", "pyproject.toml"), "w") as handle:
            handle.write("[tool.asyncsweep]\nmin-score = 100\n")
        try:
            records, err = self.unsharded_and_merged()
        finally:
            os.remove(os.path.join(self.dir, "svc", "tests", "pyproject.toml"))
        self.assertFalse(self.sites(records) & marked(CONFIGURED_TREE, "# expect-test"), err)
        self.assertGreaterEqual(records[-1]["below_min_score"], 1)


if __name__ == "__main__":
    unittest.main()
