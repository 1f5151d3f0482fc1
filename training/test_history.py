"""Tests of the history features (prognos_train/history.py), the fleet figures, and a history
model end to end on a tiny generated log.

    /usr/bin/python3 -m unittest discover -s training -p 'test_*.py'
"""
from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import os
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from prognos_train import data as D  # noqa: E402
from prognos_train import history as H  # noqa: E402
from prognos_train.domains import DomainError, HistoryFeature, parse_domain  # noqa: E402
from prognos_train.fleet import daily_rank, topk_figures  # noqa: E402
from test_onnx_export import run_onnx  # noqa: E402
from test_pipeline import DEVICE, DOMAINS_DIR  # noqa: E402

F = HistoryFeature
ALL_OPS = [
    F("x", "value", "m", None), F("x_diff", "diff", "m", None), F("x_max3", "window_max", "m", 3),
    F("x_delta3", "window_delta", "m", 3), F("x_inc3", "window_increases", "m", 3),
    F("first", "days_since_first", None, None), F("prev", "days_since_previous", None, None),
]


def reference(features, days, values):
    """Literal per-reading transcription of entityFeatures in src/domain/history.ts (one entity, sorted)."""
    out = []
    for i, t in enumerate(days):
        row = []
        for f in features:
            x = values[i] if f.of else 0.0
            s = 0
            if f.days is not None:
                while days[s] <= t - f.days:
                    s += 1
            if f.op == "value":
                v = x
            elif f.op == "diff":
                v = 0.0 if i == 0 else x - values[i - 1]
            elif f.op == "window_max":
                v = max(values[s:i + 1])
            elif f.op == "window_delta":
                v = x - values[s]
            elif f.op == "window_increases":
                v = float(sum(1 for r in range(max(1, s), i + 1) if values[r] > values[r - 1]))
            elif f.op == "days_since_first":
                v = float(t - days[0])
            else:
                v = 0.0 if i == 0 else float(t - days[i - 1])
            row.append(v)
        out.append(row)
    return np.asarray(out, dtype=np.float64)


def one_entity(features, days, values):
    kept, X, _ = H.compute(features, ["e"] * len(days), days, np.asarray(values, dtype=np.float64).reshape(-1, 1), ["m"])
    return X


class Ops(unittest.TestCase):
    def test_hand_case(self):
        # days 0, 1, 2, 5, 6 (a gap of 3 days); values 5, 7, 7, 3, 9
        X = one_entity(ALL_OPS, [0, 1, 2, 5, 6], [5, 7, 7, 3, 9])
        expected = [
            # value diff max3 delta3 inc3 first prev
            [5, 0, 5, 0, 0, 0, 0],     # the first reading: no diff, never an increase
            [7, 2, 7, 2, 1, 1, 1],
            [7, 0, 7, 2, 1, 2, 1],     # W(3) = days 0..2
            [3, -4, 3, 0, 0, 5, 3],    # W(3) = days 3..5: only itself; it is no increase (3 < 7)
            [9, 6, 9, 6, 1, 6, 1],     # W(3) = days 4..6: days 5, 6
        ]
        np.testing.assert_array_equal(X, np.asarray(expected, dtype=np.float64))

    def test_increase_counted_when_the_previous_reading_is_outside_the_window(self):
        # day 10 follows day 0: it is in W(3) of day 10 and counts although day 0 is not in the window
        X = one_entity([ALL_OPS[4]], [0, 10], [1, 2])
        self.assertEqual(X[:, 0].tolist(), [0.0, 1.0])

    def test_matches_the_literal_transcription_on_random_logs(self):
        rng = np.random.RandomState(1)
        feats = ALL_OPS + [F("max7", "window_max", "m", 7), F("inc1", "window_increases", "m", 1),
                           F("delta30", "window_delta", "m", 30), F("max1", "window_max", "m", 1)]
        ents, days, vals, per = [], [], [], {}
        for e in range(12):
            n = rng.randint(1, 40)
            d = np.sort(rng.choice(80, size=n, replace=False))
            v = rng.randint(0, 4, size=n).astype(float) * 1e8 + rng.randint(0, 3, size=n)
            per[f"d{e}"] = (d, v)
            ents += [f"d{e}"] * n
            days += d.tolist()
            vals += v.tolist()
        perm = rng.permutation(len(days))  # file order: shuffled
        ents, days, vals = np.asarray(ents)[perm], np.asarray(days)[perm], np.asarray(vals)[perm]
        kept, X, _ = H.compute(feats, ents, days, vals.reshape(-1, 1), ["m"])
        self.assertEqual(kept.tolist(), list(range(len(days))))  # no duplicates: every reading kept, file order
        for e, (d, v) in per.items():
            ref = reference(feats, d.tolist(), v.tolist())
            rows = np.flatnonzero(ents == e)
            got = X[rows[np.argsort(days[rows])]]
            np.testing.assert_array_equal(got, ref)


class DuplicateRule(unittest.TestCase):
    def test_later_reading_in_the_file_is_kept(self):
        # file order: a@2 (line 2), b@1, a@1, a@2 again (kept), a@2 a third time (kept instead), b@1 again (kept)
        ents = ["a", "b", "a", "a", "a", "b"]
        days = [2, 1, 1, 2, 2, 1]
        a = H.assemble(ents, days)
        self.assertEqual(a.entities, ["a", "b"])
        self.assertEqual(a.order.tolist(), [2, 4, 5])
        self.assertEqual(a.entity_start.tolist(), [0, 2, 3])
        self.assertEqual(sorted(a.set_aside), [(0, 4), (1, 5), (3, 4)])  # a chain of three names the last one
        vals = np.asarray([10, 1, 5, 20, 30, 2], dtype=float).reshape(-1, 1)
        kept, X, _ = H.compute([ALL_OPS[0], ALL_OPS[1]], ents, days, vals, ["m"])
        self.assertEqual(kept.tolist(), [2, 4, 5])
        self.assertEqual(X.tolist(), [[5, 0], [30, 25], [2, 0]])


class Dates(unittest.TestCase):
    def test_iso_calendar_dates_only(self):
        self.assertEqual(H.parse_day("1970-01-01"), 0)
        self.assertEqual(H.parse_day(" 2015-01-31 "), 16466)
        self.assertEqual(H.parse_day("2016-02-29"), H.parse_day("2016-03-01") - 1)
        for bad in ("2015-02-30", "2015-13-01", "2015-00-10", "2015-1-5", "01/02/2015", "2015-01-01T00:00",
                    "20150101", "", "0099-01-01", "２０１５-01-01"):
            self.assertIsNone(H.parse_day(bad), bad)
        self.assertEqual(H.format_day(16466), "2015-01-31")
        self.assertIn("not a real calendar date", H.date_problem("2015-02-30"))
        self.assertIn("not an ISO date", H.date_problem("01/02/2015"))

    def test_bad_dates_refused_with_file_line_and_column(self):
        header = "date,device,failure," + ",".join(f"attribute{i}" for i in range(1, 10))
        for bad, words in (("2015-02-30", "not a real calendar date"), ("1/2/2015", "not an ISO date")):
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, DEVICE.data_file)
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join([header, "2015-01-01,A,0,1,2,3,4,5,6,7,7,9", f"{bad},B,1,1,2,3,4,5,6,7,7,9"]) + "\n")
                with self.assertRaises(D.DataError) as cm:
                    D.load(DEVICE, tmp)
                msg = str(cm.exception)
                self.assertIn(f"{path}: line 3, column 'date'", msg)
                self.assertIn(words, msg)


class Declaration(unittest.TestCase):
    def test_device_history_and_model(self):
        self.assertEqual((DEVICE.history.date_column, DEVICE.history.entity_column), ("date", "device"))
        self.assertEqual(len(DEVICE.history.features), 38)
        fleet = next(m for m in DEVICE.models if m.id == "device-fleet")
        self.assertEqual(fleet.input, "history")
        self.assertEqual(list(fleet.features), DEVICE.history.names)
        self.assertTrue(all(m.input == "fields" for m in DEVICE.models if m.id != "device-fleet"))

    def test_bad_history_declarations(self):
        with open(os.path.join(DOMAINS_DIR, "device.json"), encoding="utf-8") as f:
            good = json.load(f)
        cases = [
            (lambda d: d["history"]["features"][0].update(op="mean"), "history.features[0].op: 'mean' is not one of"),
            (lambda d: d["history"]["features"][0].update(of="bmi"), "history.features[0].of: 'bmi' is not a declared field"),
            (lambda d: d["history"]["features"][12].pop("days"), "history.features[12].days: missing key"),
            (lambda d: d["history"]["features"][1].update(name="metric1"), "history.features[1].name: history feature 'metric1' is declared twice"),
            (lambda d: d["models"][3]["features"].append("metric8_diff"), "models[3].features[38]: 'metric8_diff' is not a declared history feature"),
            (lambda d: d["models"][0]["features"].append("metric2_diff"), "models[0].features[8]: 'metric2_diff' is not a declared field"),
            (lambda d: d.pop("history"), "models[3].input: a history model needs the domain's `history` section"),
        ]
        for change, msg in cases:
            d = copy.deepcopy(good)
            change(d)
            with self.assertRaises(DomainError) as cm:
                parse_domain("device.json", d)
            self.assertIn(msg, str(cm.exception))


class FleetFigures(unittest.TestCase):
    def test_rank_ties_count_against_the_reading(self):
        days = [0, 0, 0, 0, 1, 1]
        p = [0.9, 0.5, 0.5, 0.1, 0.2, 0.3]
        self.assertEqual(daily_rank(days, p).tolist(), [1, 3, 3, 4, 2, 1])

    def test_caught_and_lead_time(self):
        # 12 devices over days 0..9; device 0 fails on day 9 and is in the top 2 from day 5 on;
        # device 1 fails on day 9 and is only in the top 2 on day 4 (5 days before).
        days, ents, y, p = [], [], [], []
        for t in range(10):
            for e in range(12):
                days.append(t)
                ents.append(f"d{e}")
                y.append(int(e in (0, 1) and t == 9))
                score = 0.1 + 0.01 * e
                if e == 0 and t >= 5:
                    score = 0.9
                if e == 1 and t == 4:
                    score = 0.95
                p.append(score)
        got = topk_figures(days, ents, y, p, k=2)
        self.assertEqual(got, {"failures": 2, "caught_on_day": 1, "caught_within_3_days": 1,
                               "caught_within_7_days": 2, "caught_within_30_days": 2, "lead_days_median": 4.5})


class SoftVoteExport(unittest.TestCase):
    def test_vote_of_forest_and_column_selected_extra_trees(self):
        from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier, VotingClassifier
        from sklearn.pipeline import Pipeline

        from prognos_train.onnx_export import export
        from prognos_train.select_columns import SelectColumns

        rng = np.random.RandomState(0)
        X = np.column_stack([rng.randint(0, 240_000_000, 500), rng.poisson(2, 500), rng.randint(0, 30, 500)]).astype(float)
        y = ((X[:, 1] > 2) & (X[:, 2] > 10)).astype(int)
        est = VotingClassifier([
            ("rf", RandomForestClassifier(n_estimators=7, class_weight="balanced_subsample", random_state=0)),
            ("et", Pipeline([("s", SelectColumns([1, 2])), ("et", ExtraTreesClassifier(
                n_estimators=7, min_samples_leaf=2, bootstrap=True, max_samples=0.5, random_state=0))])),
        ], voting="soft").fit(X, y)
        X32 = X.astype(np.float32).astype(np.float64)
        out = run_onnx(export(est, 3, "t"), X32)
        np.testing.assert_allclose(out["probabilities"], est.predict_proba(X32), atol=1e-6, rtol=0)
        np.testing.assert_array_equal(out["label"], est.predict(X32))


class HistoryModelEndToEnd(unittest.TestCase):
    """A tiny generated device log through the whole pipeline, with the device declaration's
    history section and only its device-fleet model."""

    def test_tiny_log(self):
        import train

        rng = np.random.RandomState(0)
        header = ["date", "device", "failure"] + [f"attribute{i}" for i in range(1, 10)]
        rows = []
        for e in range(100):
            n = rng.randint(5, 30)
            start = rng.randint(0, 20)
            fails = e % 3 == 0
            level = 0
            for k in range(n):
                day = start + k + (3 if k > n // 2 else 0)  # a gap in the middle
                level += int(fails and k > n - 6) * rng.randint(1, 5)
                vals = [rng.randint(1, 10**8), level + rng.randint(0, 2), 0, level, 6, rng.randint(1000, 2000),
                        level // 2, level // 2, 0]
                rows.append([H.format_day(16436 + day), f"T{e:03d}", str(int(fails and k == n - 1))] + [str(v) for v in vals])
        rows = [rows[i] for i in rng.permutation(len(rows))]
        # a corrected re-export of one reading appended at the end: it replaces the earlier one
        dup = list(rows[5])
        dup[3] = str(int(dup[3]) + 1)
        rows.append(dup)
        with open(os.path.join(DOMAINS_DIR, "device.json"), encoding="utf-8") as f:
            decl = json.load(f)
        decl["models"] = [m for m in decl["models"] if m["id"] == "device-fleet"]
        decl["models"][0]["default"] = True
        decl["seed_service"] = None
        decl["evaluation"]["metric_cases"] = []
        decl["data"]["golden_rows"] = 200
        with tempfile.TemporaryDirectory() as tmp:
            domains_dir, data_dir, out = (os.path.join(tmp, d) for d in ("domains", "data", "out"))
            os.makedirs(domains_dir)
            os.makedirs(data_dir)
            with open(os.path.join(domains_dir, "device.json"), "w", encoding="utf-8") as f:
                json.dump(decl, f)
            with open(os.path.join(data_dir, decl["data"]["file"]), "w", encoding="utf-8") as f:
                f.write("\n".join(",".join(r) for r in [header] + rows) + "\n")
            with contextlib.redirect_stdout(io.StringIO()):
                code = train.main(["--domains-dir", domains_dir, "--data-dir", data_dir, "--out-dir", out, "--jobs", "1"])
            self.assertEqual(code, 0)
            with open(os.path.join(out, "public", "models", "manifest.json"), encoding="utf-8") as f:
                (entry,) = json.load(f)["models"]
            self.assertEqual(entry["id"], "device-fleet")
            self.assertEqual(entry["training_data"]["rows"], len(rows) - 1)  # the set-aside reading left out
            self.assertEqual([f["name"] for f in entry["features"]], decl["models"][0]["features"])
            self.assertEqual(entry["features"][decl["models"][0]["features"].index("metric2_inc7")]["unit"], "readings")
            fleet = entry["fleet"]
            self.assertEqual(fleet["k"], 10)
            self.assertEqual(fleet["out_of_fold"]["failures"], 34)
            self.assertNotIn("single_reading_out_of_fold", fleet)  # no single-reading default model here
            golden = os.path.join(out, "training", "golden")
            with open(os.path.join(golden, "device-fleet.json"), encoding="utf-8") as f:
                g = json.load(f)
            self.assertEqual(len(g["rows"]), 200)
            with open(os.path.join(golden, "device-fleet-features.json"), encoding="utf-8") as f:
                feats = json.load(f)
            self.assertEqual(feats["features"], decl["models"][0]["features"])
            data_case, synthetic = feats["cases"]
            self.assertEqual(data_case["columns"], header)
            self.assertTrue(synthetic["set_aside"])
            # the expected rows agree with a recomputation from the case's own rows
            for case in (data_case, synthetic):
                self.check_case(case)
            with open(os.path.join(golden, "device-fleet-random-log.json"), encoding="utf-8") as f:
                rand = json.load(f)
            self.assertEqual(rand["features"], decl["models"][0]["features"])
            (case,) = rand["cases"]
            self.check_case(case)
            # what the file is for: duplicates, gaps past every window, rows out of date order, every kept row
            self.assertGreater(len(case["set_aside"]), 10)
            self.assertEqual(len(case["expected"]), len(case["rows"]) - len(case["set_aside"]))
            dates = [r[case["columns"].index("date")] for r in case["rows"]]
            self.assertNotEqual(dates, sorted(dates))
            by_device = {}
            for e in case["expected"]:
                by_device.setdefault(e["device"], []).append(H.parse_day(e["date"]))
            gaps = {b - a for ds in by_device.values() for a, b in zip(sorted(ds), sorted(ds)[1:])}
            self.assertTrue({1, 2, 8, 31}.issubset(gaps), sorted(gaps))
            with gzip.open(os.path.join(golden, "device-fleet-all.txt.gz"), "rt", encoding="utf-8") as f:
                lines = f.read().splitlines()
            self.assertTrue(lines[0].startswith("# device-fleet"))
            self.assertEqual(len(lines), len(rows) + 1)
            self.assertEqual([k for k, v in enumerate(lines[1:]) if v == "-"], [5])  # data row 5 was set aside
            self.assertTrue(all(0.0 <= float(v) <= 1.0 for v in lines[1:] if v != "-"))
            self.assertTrue(all(r < len(rows) and r != 5 for r in g["rows"]))  # file rows, never the set-aside one

    def check_case(self, case):
        cols = case["columns"]
        hist = DEVICE.history
        inputs = H.inputs_of(hist.features)
        col_of = {f.name: next(c for c in f.columns if c in cols) for f in DEVICE.fields}
        ents = [r[cols.index("device")] for r in case["rows"]]
        days = [H.parse_day(r[cols.index("date")]) for r in case["rows"]]
        vals = np.asarray([[float(r[cols.index(col_of[c])]) for c in inputs] for r in case["rows"]])
        kept, X, a = H.compute(hist.features, ents, days, vals, inputs)
        by_line = {case["lines"][r]: X[i] for i, r in enumerate(kept)}
        self.assertEqual(len(a.set_aside), len(case["set_aside"]))
        for e in case["expected"]:
            np.testing.assert_array_equal(by_line[e["line"]], e["features"])


if __name__ == "__main__":
    unittest.main()
