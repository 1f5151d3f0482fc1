"""Tests of the golden-file comparison used by check-reproducible.sh: processor noise in the
last digits passes, a real change fails and is named by file, JSON path and index.

    /usr/bin/python3 -m unittest training/test_golden_compare.py
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from prognos_train.golden_compare import compare, compare_dirs, main  # noqa: E402

# The shape of training/golden/metrics.json, with the two reprs the issue quotes: the same
# probability written on an Intel machine and on an AMD EPYC one.
COMMITTED = {
    "note": "scikit-learn 1.2.1",
    "cases": [
        {"name": "heart-lr split 0", "y_true": [0, 1, 0], "p": [0.13261724741906591, 0.693096458358834, 0.06720512430502522],
         "threshold": 0.5, "expected": {"roc_auc": 0.75, "confusion": [[1, 0], [1, 1]]}},
    ],
}


def fresh(mutate=None):
    doc = json.loads(json.dumps(COMMITTED))
    if mutate:
        mutate(doc)
    return doc


class CompareValues(unittest.TestCase):
    def test_last_digit_noise_passes(self):
        def noise(d):
            d["cases"][0]["p"][1] = 0.6930964583588342
            d["cases"][0]["p"][0] = 0.13261724741906591 + 2.0e-14  # the largest absolute difference seen
        self.assertEqual(list(compare(COMMITTED, fresh(noise))), [])

    def test_identical_passes(self):
        self.assertEqual(list(compare(COMMITTED, fresh())), [])

    def test_a_change_of_1e6_in_one_probability_fails_with_path_values_and_difference(self):
        def bump(d):
            d["cases"][0]["p"][2] += 1e-6
        diffs = list(compare(COMMITTED, fresh(bump)))
        self.assertEqual(len(diffs), 1)
        self.assertEqual(diffs[0].path, "$.cases[0].p[2]")
        self.assertEqual(diffs[0].expected, 0.06720512430502522)
        self.assertAlmostEqual(diffs[0].delta, 1e-6, places=12)
        text = str(diffs[0])
        self.assertIn("$.cases[0].p[2]", text)
        self.assertIn("0.06720512430502522", text)
        self.assertIn("1e-06", text)

    def test_a_missing_row_fails(self):
        def drop(d):
            del d["cases"][0]["p"][1]
        diffs = list(compare(COMMITTED, fresh(drop)))
        self.assertTrue(any(x.path == "$.cases[0].p" and "3 items committed, 2" in x.what for x in diffs), diffs)

    def test_a_changed_key_fails(self):
        def rename(d):
            d["cases"][0]["thresh"] = d["cases"][0].pop("threshold")
        paths = {(x.path, x.what) for x in compare(COMMITTED, fresh(rename))}
        self.assertIn(("$.cases[0].threshold", "key missing from the fresh export"), paths)
        self.assertIn(("$.cases[0].thresh", "key added in the fresh export"), paths)

    def test_a_changed_string_or_type_fails(self):
        def edit(d):
            d["note"] = "scikit-learn 1.3"
            d["cases"][0]["expected"]["roc_auc"] = "0.75"
        paths = [x.path for x in compare(COMMITTED, fresh(edit))]
        self.assertEqual(paths, ["$.note", "$.cases[0].expected.roc_auc"])

    def test_integers_must_match(self):
        def flip(d):
            d["cases"][0]["expected"]["confusion"][1][0] = 2
        self.assertEqual([x.path for x in compare(COMMITTED, fresh(flip))], ["$.cases[0].expected.confusion[1][0]"])

    def test_a_boolean_is_not_a_number(self):
        self.assertEqual(len(list(compare({"a": 1}, {"a": True}))), 1)


class CompareFolders(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.a = os.path.join(self.tmp.name, "committed")
        self.b = os.path.join(self.tmp.name, "fresh")
        os.makedirs(self.a)
        os.makedirs(self.b)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, folder, name, content):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(content)

    def run_main(self):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([self.a, self.b])
        return code, out.getvalue(), err.getvalue()

    def test_noise_passes_and_is_reported_as_within_tolerance(self):
        self.write(self.a, "heart-lr.json", '{"p": [0.693096458358834]}')
        self.write(self.b, "heart-lr.json", '{"p": [0.6930964583588342]}')
        code, out, err = self.run_main()
        self.assertEqual(code, 0, err)
        self.assertIn("heart-lr.json: 1 number(s) differ in the last digits", out)

    def test_a_real_change_names_file_path_and_both_values(self):
        self.write(self.a, "heart-lr.json", '{"p": [0.5, 0.25]}')
        self.write(self.b, "heart-lr.json", '{"p": [0.5, 0.250001]}')
        code, _, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("heart-lr.json: 1 difference(s)", err)
        self.assertIn("$.p[1]: 0.25 (committed) vs 0.250001 (fresh), difference 1e-06", err)

    def test_many_differences_are_summarised_not_dumped(self):
        self.write(self.a, "x.json", json.dumps({"p": [0.0] * 500}))
        self.write(self.b, "x.json", json.dumps({"p": [1.0] * 500}))
        code, _, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("... and 490 more", err)
        self.assertLess(len(err.splitlines()), 20)

    def test_non_json_files_compare_by_bytes(self):
        self.write(self.a, "all.txt.gz", "0.252809442\n")
        self.write(self.b, "all.txt.gz", "0.252809443\n")
        code, _, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("differs byte for byte", err)

    def test_missing_and_extra_files_fail(self):
        self.write(self.a, "old.json", "{}")
        self.write(self.b, "new.json", "{}")
        reports = {r.name: r for r in compare_dirs(self.a, self.b)}
        self.assertIn("missing from the fresh export", reports["old.json"].differences[0].what)
        self.assertIn("not committed", reports["new.json"].differences[0].what)
        self.assertEqual(self.run_main()[0], 1)


if __name__ == "__main__":
    unittest.main()
