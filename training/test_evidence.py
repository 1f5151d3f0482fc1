"""Issue 22's figures: the formulas on hand cases, and the manifest's figures recomputed from the
out-of-fold files (training/golden/oof-<id>.json) and, for the heart subgroups, the golden inputs."""
from __future__ import annotations

import json
import math
import os
import unittest

import numpy as np
from sklearn.metrics import roc_auc_score

from prognos_train import evidence as E
from prognos_train.domains import DomainError, load_domains, parse_domain

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GOLDEN = os.path.join(ROOT, "training", "golden")


def load(path):
    with open(path) as f:
        return json.load(f)


def oof(model_id: str) -> dict:
    return load(os.path.join(GOLDEN, f"oof-{model_id}.json"))


class Formulas(unittest.TestCase):
    def test_wilson(self):
        lo, hi = E.wilson(5, 10)
        self.assertAlmostEqual(lo, 0.236593, places=5)
        self.assertAlmostEqual(hi, 0.763407, places=5)
        lo, hi = E.wilson(0, 10)
        self.assertEqual(lo, 0.0)
        self.assertAlmostEqual(hi, 0.277533, places=5)
        self.assertEqual(E.wilson(0, 0), (0.0, 1.0))

    def test_roc_auc_matches_scikit_learn_with_ties(self):
        rng = np.random.RandomState(1)
        y = rng.randint(0, 2, 200)
        p = np.round(rng.rand(200), 1)  # many ties
        self.assertAlmostEqual(E.roc_auc(y, p), roc_auc_score(y, p), places=12)
        self.assertIsNone(E.roc_auc(np.zeros(5), np.arange(5.0)))

    def test_calibration_of_a_calibrated_and_an_overconfident_score(self):
        rng = np.random.RandomState(0)
        p = rng.uniform(0.02, 0.98, 200_000)
        y = (rng.rand(len(p)) < p).astype(int)
        fit = E.calibration_fit(y, p)
        self.assertAlmostEqual(fit["slope"], 1.0, delta=0.03)
        self.assertAlmostEqual(fit["intercept"], 0.0, delta=0.02)
        # twice the log-odds: overconfident, the slope halves
        lo = np.log(p / (1 - p)) * 2
        fit2 = E.calibration_fit(y, 1 / (1 + np.exp(-lo)))
        self.assertAlmostEqual(fit2["slope"], 0.5, delta=0.02)
        self.assertLess(fit["slope_low"], fit["slope"])
        self.assertGreater(fit["slope_high"], fit["slope"])

    def test_band_interval_is_the_wilson_interval_of_the_neighbourhood(self):
        s = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        y = np.array([0, 1, 0, 1, 1, 1])
        # within 0.1 of 0.35 (ends included up to rounding): 0.3, 0.4 -> 1 event in 2
        self.assertEqual(E.band_interval(s, y, 0.35, 0.1), E.wilson(1, 2))
        self.assertEqual(E.band_interval(s, y, 0.9, 0.1), (0.0, 1.0))  # no one close: says nothing

    def test_band_interval_covers_a_known_risk(self):
        # a calibrated score on 600 cases: the interval of a risk should hold it about 95 % of the time
        rng = np.random.RandomState(3)
        covered, tried = 0, 0
        for _ in range(40):
            p = rng.uniform(0.02, 0.9, 600)
            y = (rng.rand(600) < p).astype(int)
            for g in (0.1, 0.3, 0.5, 0.7):
                lo, hi = E.band_interval(p, y, g, 0.05)
                covered += lo <= g <= hi
                tried += 1
        self.assertGreaterEqual(covered / tried, 0.9)

    def test_decision_curve_hand_case(self):
        y = np.array([1, 0, 1, 0])
        p = np.array([0.9, 0.6, 0.4, 0.1])
        (row,) = E.decision_curve(y, p, [0.5])
        self.assertEqual(row["flagged"], 2)
        self.assertAlmostEqual(row["net_benefit"], 1 / 4 - 1 / 4 * 1)
        self.assertAlmostEqual(row["treat_all"], 0.5 - 0.5 * 1)

    def test_per_row_mean(self):
        p, count = E.per_row(np.array([0, 1, 0, 2]), np.array([0.2, 0.5, 0.4, 0.9]), 3)
        self.assertEqual(p.tolist(), [0.3, 0.5, 0.9])
        self.assertEqual(count.tolist(), [2, 1, 1])
        with self.assertRaises(ValueError):
            E.per_row(np.array([0, 0]), np.array([0.1, 0.2]), 2)


class Declaration(unittest.TestCase):
    def test_a_subgroup_of_an_undeclared_field_is_refused_naming_the_key(self):
        obj = load(os.path.join(ROOT, "domains", "heart.json"))
        obj["evidence"]["subgroups"][0]["field"] = "bmi"
        with self.assertRaises(DomainError) as cm:
            parse_domain("domains/heart.json", obj)
        self.assertIn("evidence.subgroups[0].field: 'bmi' is not a declared field", str(cm.exception))

    def test_an_evidence_section_without_decision_thresholds_is_refused(self):
        obj = load(os.path.join(ROOT, "domains", "device.json"))
        del obj["evidence"]["decision_thresholds"]
        with self.assertRaises(DomainError):
            parse_domain("domains/device.json", obj)


class FromTheOutOfFoldFiles(unittest.TestCase):
    """Every figure the manifest carries for issue 22, recomputed here from the committed files."""

    @classmethod
    def setUpClass(cls):
        cls.manifest = {m["id"]: m for m in load(os.path.join(ROOT, "public", "models", "manifest.json"))["models"]}
        cls.domains = {d.id: d for d in load_domains(os.path.join(ROOT, "domains"))}
        first = next(iter(cls.manifest.values()))
        if "out_of_fold" not in first["evaluation"]:
            raise unittest.SkipTest("the manifest has no out-of-fold evidence yet (npm run train)")

    def heart_rows(self, model_id: str):
        o = oof(model_id)
        y_pool = np.array([int(c) for c in o["y"]])
        rows = np.array(o["row"])
        p, _ = E.per_row(rows, np.array(o["p"]), 299)
        y = np.zeros(299, dtype=int)
        y[rows] = y_pool
        return y, p, y_pool, np.array(o["p"]), np.array(o["part"])

    def assertClose(self, got, want, path=""):
        if isinstance(want, dict):
            self.assertEqual(set(got), set(want), path)
            for k in want:
                self.assertClose(got[k], want[k], f"{path}.{k}")
        elif isinstance(want, list):
            self.assertEqual(len(got), len(want), path)
            for i, (g, w) in enumerate(zip(got, want)):
                self.assertClose(g, w, f"{path}[{i}]")
        elif isinstance(want, float) and not isinstance(want, bool):
            self.assertTrue(math.isclose(got, want, abs_tol=2e-6), f"{path}: {got} != {want}")
        else:
            self.assertEqual(got, want, path)

    def test_heart_models(self):
        d = self.domains["heart"]
        golden = load(os.path.join(GOLDEN, "heart-lr.json"))  # all 299 rows, in file order
        self.assertEqual(golden["rows"], list(range(299)))
        X = np.array(golden["inputs"])
        cols = {f: X[:, golden["features"].index(f)] for f in ("sex", "age", "diabetes")}
        for m in d.models:
            with self.subTest(model=m.id):
                e = self.manifest[m.id]
                got = e["evaluation"]["out_of_fold"]
                y, p, y_pool, p_pool, part = self.heart_rows(m.id)
                ev = d.evidence
                self.assertEqual((got["rows"], got["events"]), (299, 96))
                self.assertClose(got["discrimination"], E.discrimination(y, p, y_pool, p_pool, part))
                self.assertClose(got["calibration_fit"], E.calibration_fit(y, p))
                self.assertClose(got["calibration_groups"], E.calibration_bins(y, p, ev["calibration_groups"]))
                self.assertClose(got["decision_curve"], E.decision_curve(y, p, E.thresholds_of(ev["decision_thresholds"])))
                self.assertClose(got["subgroups"], E.subgroups(ev["subgroups"], cols, y, p))
                sim = ev["similar"]
                self.assertClose(e["evidence"]["similar"], E.neighbourhood(p, y, sim["band"], sim["step"], sim["small_n"]))
                self.assertNotIn("rows", e["evidence"]["interval"])  # the interval is the similar rows' own
                # subgroup counts add up; the similar-patients counts are patients, not predictions
                sexes = [g for g in got["subgroups"] if g["subgroup"] == "sex"]
                self.assertEqual(sum(g["n"] for g in sexes), 299)
                self.assertEqual(sum(g["events"] for g in sexes), 96)
                self.assertLessEqual(max(r["n"] for r in e["evidence"]["similar"]["rows"]), 299)

    def test_heart_interval_validity(self):
        d = self.domains["heart"]
        for m in d.models:
            with self.subTest(model=m.id):
                got = self.manifest[m.id]["evaluation"]["out_of_fold"]["interval_validity"]
                y, p, *_ = self.heart_rows(m.id)
                iv = d.evidence["interval"]
                self.assertClose(got, E.interval_validity(p, y, d.evidence["similar"]["band"], iv["folds"], iv["groups"],
                                                          iv.get("repeats", 20)))
                self.assertEqual(got["inside"], sum(g["inside"] for g in got["groups"]))
                self.assertGreaterEqual(got["repeats"]["inside"], got["inside"])

    def test_device_models(self):
        d = self.domains["device"]
        for m in d.models:
            with self.subTest(model=m.id):
                got = self.manifest[m.id]["evaluation"]["out_of_fold"]
                o = oof(m.id)
                self.assertNotIn("row", o)  # k-fold: one prediction per row, in row order
                y = np.array([int(c) for c in o["y"]])
                p = np.array(o["p"])
                self.assertEqual((got["rows"], got["events"]), (len(y), int(y.sum())))
                self.assertClose(got["calibration_fit"], E.calibration_fit(y, p))
                self.assertClose(got["decision_curve"],
                                 E.decision_curve(y, p, E.thresholds_of(d.evidence["decision_thresholds"])))
                self.assertEqual(sum(g["n"] for g in got["subgroups"]), len(y))
                self.assertEqual(sum(g["events"] for g in got["subgroups"]), int(y.sum()))
                self.assertNotIn("evidence", self.manifest[m.id])


if __name__ == "__main__":
    unittest.main()
