"""Nested threshold figures (prognos_train/nested.py): the rules on small hand-made cases, and the
files a whole run of the fixture `sensor` domain writes."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from prognos_train import nested as N  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")


class Rules(unittest.TestCase):
    def test_each_part_at_its_own_threshold_and_the_spread(self):
        y = np.array([1, 0, 1, 0, 1, 0])
        p = np.array([0.6, 0.5, 0.4, 0.3, 0.9, 0.1])
        part = np.array([0, 0, 1, 1, 2, 2])
        f = N.model_figures(y, p, part, [0.55, 0.35, 0.95], 0.45)
        # part 0 at 0.55: tp; part 1 at 0.35: tp; part 2 at 0.95: fn, tn
        self.assertEqual({k: f["nested"][k] for k in ("tp", "fp", "fn", "tn")}, {"tp": 2, "fp": 0, "fn": 1, "tn": 3})
        # pooled at 0.45: 0.6, 0.5, 0.9 flagged
        self.assertEqual({k: f["pooled"][k] for k in ("tp", "fp", "fn", "tn")}, {"tp": 2, "fp": 1, "fn": 1, "tn": 2})
        self.assertEqual(f["threshold_spread"]["min"], 0.35)
        self.assertTrue(f["unstable"])  # 0.35 .. 0.95 around a median of 0.55

    def test_rank_ties_do_not_flag_a_whole_part(self):
        y = np.array([1] + [0] * 99)
        p = np.array([1.0] + [0.0] * 99)
        r = N.rank_figures(y, p, np.zeros(100, dtype=int), 1, 0.05)
        self.assertEqual((r["tp"], r["fp"]), (1, 0))  # the 99 tied zeros are not "the top 5 %"

    def test_calibration_rule(self):
        y = np.array([1] + [0] * 99)
        self.assertFalse(N.model_figures(y, np.full(100, 0.3), np.zeros(100, dtype=int), [0.5], 0.5)["calibrated"])
        self.assertTrue(N.model_figures(y, np.full(100, 0.012), np.zeros(100, dtype=int), [0.5], 0.5)["calibrated"])


class Files(unittest.TestCase):
    def test_a_run_writes_thresholds_and_out_of_fold_files_that_agree(self):
        import train
        sys.path.insert(0, FIXTURES)
        from make_sensor_data import write_sensor_csv

        with tempfile.TemporaryDirectory() as tmp:
            domains_dir, data_dir, out = (os.path.join(tmp, d) for d in ("domains", "data", "out"))
            os.makedirs(domains_dir)
            shutil.copy(os.path.join(FIXTURES, "domains", "sensor.json"), domains_dir)
            write_sensor_csv(data_dir, rows=300)
            with contextlib.redirect_stdout(io.StringIO()):
                self.assertEqual(train.main(["--domains-dir", domains_dir, "--data-dir", data_dir, "--out-dir", out, "--jobs", "1"]), 0)
            with open(os.path.join(out, "public", "models", "thresholds.json"), encoding="utf-8") as f:
                (m,) = json.load(f)["models"]
            with open(os.path.join(out, "public", "models", "manifest.json"), encoding="utf-8") as f:
                (entry,) = json.load(f)["models"]
            with open(os.path.join(out, "training", "golden", "oof-sensor-lr.json"), encoding="utf-8") as f:
                oof = json.load(f)
            self.assertEqual(m["threshold"], entry["threshold"])
            self.assertEqual(len(oof["p"]), 300)
            self.assertEqual(set(oof["part"]), set(range(m["parts"])))
            self.assertEqual(len(oof["part_thresholds"]), m["parts"])
            c = entry["evaluation"]["confusion"]
            self.assertEqual({k: m["pooled"][k] for k in ("tp", "fp", "fn", "tn")}, c)


if __name__ == "__main__":
    unittest.main()
