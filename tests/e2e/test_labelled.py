"""Recall and precision on a labelled set of real-looking asyncio code
(tests/fixtures/labelled/: every candidate marked true or false in a `.labels` sidecar).

- recall: every true candidate is reported at or above the default --min-score;
- precision: among findings scoring >= 50, at least 90% are labelled true (an unlabelled
  finding counts against precision, so the labels must stay complete);
- no comment, docstring or string hit scores >= 50; every false candidate stays below 50.
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, run  # noqa: E402

LABELLED = os.path.join(ROOT, "tests", "fixtures", "labelled")
DEFAULT_MIN_SCORE = 30


def load_labels():
    labels = {}
    for dirpath, _, names in os.walk(LABELLED):
        for name in names:
            if not name.endswith(".labels"):
                continue
            source = os.path.relpath(os.path.join(dirpath, name[: -len(".labels")]), LABELLED)
            with open(os.path.join(dirpath, name)) as handle:
                for raw in handle:
                    line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
                    if not line:
                        continue
                    number, rule, verdict = line.split()[:3]
                    labels[(source, int(number), rule)] = verdict == "true"
    return labels


def findings():
    code, out, err = run("--format", "json", "--min-score", "0", "svc", cwd=LABELLED)
    assert code in (0, 1), err
    return [json.loads(line) for line in out.splitlines() if json.loads(line)["type"] == "finding"]


class Labelled(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.labels = load_labels()
        cls.found = {(f["path"], f["line"], f["rule"]): f for f in findings()}

    def test_labels_exist(self):
        self.assertGreaterEqual(sum(self.labels.values()), 30)
        self.assertGreaterEqual(sum(not v for v in self.labels.values()), 20)

    def test_recall_of_true_candidates(self):
        missed = [key for key, true in self.labels.items()
                  if true and (key not in self.found or self.found[key]["score"] < DEFAULT_MIN_SCORE)]
        recall = 1 - len(missed) / sum(self.labels.values())
        self.assertGreaterEqual(recall, 0.98, f"missed: {missed}")

    def test_precision_at_50(self):
        high = [key for key, f in self.found.items() if f["score"] >= 50]
        true_high = [key for key in high if self.labels.get(key) is True]
        precision = len(true_high) / len(high)
        wrong = [key for key in high if self.labels.get(key) is not True]
        self.assertGreaterEqual(precision, 0.90, f"false or unlabelled at >= 50: {wrong}")

    def test_false_candidates_stay_below_50(self):
        loud = [(key, self.found[key]["score"], self.found[key]["reasons"]) for key, true in self.labels.items()
                if not true and key in self.found and self.found[key]["score"] >= 50]
        self.assertEqual(loud, [])

    def test_no_comment_or_string_hit_scores_50(self):
        for key, f in self.found.items():
            if any(r.startswith("inside a comment") or r.startswith("inside a docstring") or
                   r.startswith("inside a string") for r in f["reasons"]):
                self.assertLess(f["score"], 50, key)

    def test_default_min_score_drops_the_false_ones(self):
        code, out, err = run("--format", "json", "svc", cwd=LABELLED)
        shown = {(r["path"], r["line"], r["rule"]) for r in map(json.loads, out.splitlines()) if r["type"] == "finding"}
        dropped_false = [key for key, true in self.labels.items() if not true and key not in shown]
        self.assertGreaterEqual(len(dropped_false), 0.8 * sum(not v for v in self.labels.values()))


if __name__ == "__main__":
    unittest.main(verbosity=1)
