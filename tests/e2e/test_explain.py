"""`asyncsweep explain ID` and `explain --all`: every rule of the pack is explained (ids read from
`asyncsweep rules`, never typed), with the same fields `rules` reports, one id's explanation being
its block of `--all`; an unknown id is exit 2 with a did-you-mean;
and each example the pack shows as flagged is flagged by its rule when swept."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, run_json, tempdir, write_tree  # noqa: E402


def pack_rules():
    code, out, err = run("rules", "--format", "json", expect=0)
    return [json.loads(line) for line in out.splitlines()]


def text_blocks(text):
    """`explain --all`'s text: one block per rule, each starting with its `ID: title` line."""
    blocks, current = [], []
    for line in text.splitlines(keepends=True):
        if current and line.startswith("ASW") and ": " in line and current[-1] == "\n":
            blocks.append("".join(current[:-1]))
            current = []
        current.append(line)
    blocks.append("".join(current))
    return blocks


class ExplainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rules = pack_rules()
        # One run for every rule (Ruff's `ruff rule --all`); single ids are compared against it.
        _, out, _ = run("explain", "--all", expect=0)
        cls.texts = text_blocks(out.decode())
        _, out, _ = run("explain", "--all", "--format", "json", expect=0)
        cls.objects = [json.loads(line) for line in out.splitlines()]

    def test_every_rule_is_explained(self):
        self.assertGreater(len(self.rules), 0)
        self.assertEqual(len(self.texts), len(self.rules))
        for rule, text in zip(self.rules, self.texts):
            with self.subTest(rule=rule["id"]):
                self.assertTrue(text.startswith(f"{rule['id']}: {rule['title']}\n"), text[:200])
                for field in ("rationale", "fix", "section"):
                    self.assertTrue(rule[field], f"{rule['id']} has no {field} to explain")
                    self.assertIn(rule[field], text)
                for source in rule["source"]:
                    self.assertIn(source, text)
                for code in rule["ruff"]:
                    self.assertIn(code, text)
                self.assertIn("Fixable:", text)
                self.assertIn("Example (flagged):", text)

    def test_one_id_is_its_block_of_all(self):
        for index in (0, len(self.rules) // 2, len(self.rules) - 1):
            rule = self.rules[index]
            with self.subTest(rule=rule["id"]):
                _, out, _ = run("explain", rule["id"], expect=0)
                self.assertEqual(out.decode(), self.texts[index])
                _, out, _ = run("explain", rule["id"], "--format", "json", expect=0)
                self.assertEqual(json.loads(out), self.objects[index])

    def test_an_id_or_all(self):
        _, out, err = run("explain", expect=2)
        self.assertEqual(out, b"")
        self.assertIn("--all", err)
        run("explain", "--all", self.rules[0]["id"], expect=2)

    def test_json_carries_the_rule_fields(self):
        self.assertEqual(len(self.objects), len(self.rules))
        for rule, explained in zip(self.rules, self.objects):
            with self.subTest(rule=rule["id"]):
                for field in ("id", "title", "category", "severity", "kind", "section", "source", "fix",
                              "rationale", "ruff", "preview"):
                    self.assertEqual(explained[field], rule[field], field)
                self.assertIsInstance(explained["fixable"], bool)
                self.assertTrue(explained["example_bad"])

    def test_id_in_any_case(self):
        rule = self.rules[0]
        _, lower, _ = run("explain", rule["id"].lower(), expect=0)
        _, exact, _ = run("explain", rule["id"], expect=0)
        self.assertEqual(lower, exact)

    def test_unknown_id_suggests_the_nearest(self):
        rule = self.rules[-1]
        typo = rule["id"][:-1]  # one character short: one edit away
        if any(r["id"] == typo for r in self.rules):
            self.skipTest("the truncated id is a rule too")
        _, out, err = run("explain", typo, expect=2)
        self.assertEqual(out, b"")
        self.assertIn(f"unknown rule '{typo}'", err)
        self.assertIn("did you mean '", err)
        _, _, lower = run("explain", typo.lower(), expect=2)  # ids are read in any case
        self.assertIn(err[err.index("did you mean"):], lower)
        _, _, err = run("explain", "NOPE-NOTHING-LIKE-IT", expect=2)
        self.assertNotIn("did you mean", err)

    def test_examples_are_what_the_rules_see(self):
        # The example a reader copies must be what the rule finds, or the explanation lies.
        # Config and inventory rules are no findings; their examples are configuration or counts.
        candidates = [r for r in self.rules if r["kind"] == "candidate"]
        with tempdir() as base:
            files = {"pytest.ini": "[pytest]\nasyncio_mode = auto\n"}
            explained_by_id = {explained["id"]: explained for explained in self.objects}
            for rule in candidates:
                explained = explained_by_id[rule["id"]]
                for which in ("bad", "good"):
                    if explained[f"example_{which}"]:
                        files[f"{which}_{rule['id']}.py"] = ("import asyncio, os, socket, subprocess, time\n" +
                                                             explained[f"example_{which}"] + "\n")
            write_tree(base, files)
            _, findings, _, err = run_json("--preview", "--min-score", "0", ".", cwd=base)
            flagged = {(os.path.normpath(f["path"]), f["rule"]) for f in findings}
            for rule in candidates:
                with self.subTest(rule=rule["id"]):
                    self.assertIn((f"bad_{rule['id']}.py", rule["id"]), flagged, err)
                    # The document's own text patterns cannot tell a fixed line from the bad one
                    # (`asyncio.to_thread(path.write_text` still reads as write_text); the
                    # Python-aware rules must.
                    if not rule["source"]:
                        self.assertIn(f"good_{rule['id']}.py", files)
                        self.assertNotIn((f"good_{rule['id']}.py", rule["id"]), flagged)


if __name__ == "__main__":
    unittest.main()
