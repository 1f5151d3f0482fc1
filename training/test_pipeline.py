"""Tests of the training pipeline: domain declarations, input validation, the metrics and
a whole run on a small synthetic domain (fixtures/domains/sensor.json). The ONNX exporter's
tests are in test_onnx_export.py.

    /usr/bin/python3 -m unittest discover -s training -p 'test_*.py'
"""
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
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from prognos_train import data as D  # noqa: E402
from prognos_train.domains import DomainError, load_domains  # noqa: E402
from prognos_train.evaluation import binary_metrics, chart_tables, mcc_best_threshold  # noqa: E402
from prognos_train.models import RECIPES  # noqa: E402

DOMAINS_DIR = os.path.join(os.path.dirname(HERE), "domains")
FIXTURES = os.path.join(HERE, "fixtures")
DOMAINS = {d.id: d for d in load_domains(DOMAINS_DIR, RECIPES)}
HEART, DEVICE = DOMAINS["heart"], DOMAINS["device"]
HEART_FEATURES = [f.name for f in HEART.fields]

HEART_HEADER = ",".join(HEART_FEATURES + [HEART.label_column])
HEART_ROW_0 = "75,0,582,0,20,1,265000,1.9,130,1,0,4,1"
HEART_ROW_1 = "55,0,7861,0,38,0,263358.03,1.1,136,1,0,6,0"
DEVICE_HEADER = "date,device,failure," + ",".join(f"attribute{i}" for i in range(1, 10))
DEVICE_ROW_0 = "2015-01-01,S1F01085,0,215630672,56,0,52,6,407438,0,0,7"
DEVICE_ROW_1 = "2015-01-01,S1F0166B,1,61370680,0,3,0,6,403174,0,0,0"


class DataValidation(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, lines):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def heart_error(self, lines) -> str:
        path = self.write(HEART.data_file, lines)
        with self.assertRaises(D.DataError) as cm:
            D.load(HEART, self.dir)
        msg = str(cm.exception)
        self.assertIn(path, msg)
        return msg

    def test_valid_files_load(self):
        self.write(HEART.data_file, [HEART_HEADER, HEART_ROW_0, HEART_ROW_1])
        self.write(DEVICE.data_file, [DEVICE_HEADER, DEVICE_ROW_0, DEVICE_ROW_1])
        h = D.load(HEART, self.dir)
        self.assertEqual((h.rows, h.positives), (2, 1))
        self.assertEqual(h.X[1, HEART_FEATURES.index("platelets")], 263358.03)
        d = D.load(DEVICE, self.dir)
        self.assertEqual(d.features, ["metric1", "metric2", "metric3", "metric4", "metric5", "metric6", "metric7", "metric9"])
        self.assertEqual(d.X[0].tolist(), [215630672, 56, 0, 52, 6, 407438, 0, 7])  # attribute8 skipped
        self.assertEqual(d.groups.tolist(), ["S1F01085", "S1F0166B"])

    def test_missing_file(self):
        with self.assertRaises(D.DataError) as cm:
            D.load(HEART, self.dir)
        self.assertIn(os.path.join(self.dir, HEART.data_file), str(cm.exception))
        self.assertIn("not found", str(cm.exception))

    def test_missing_column(self):
        header = HEART_HEADER.replace("serum_sodium,", "")
        msg = self.heart_error([header, "75,0,582,0,20,1,265000,1.9,1,0,4,1"])
        self.assertIn("line 1", msg)
        self.assertIn("'serum_sodium'", msg)

    def test_missing_device_group_column(self):
        path = self.write(DEVICE.data_file, [DEVICE_HEADER.replace("device,", "unit,"), DEVICE_ROW_0])
        with self.assertRaises(D.DataError) as cm:
            D.load(DEVICE, self.dir)
        self.assertIn(path, str(cm.exception))
        self.assertIn("'device'", str(cm.exception))

    def test_non_numeric_cell(self):
        bad = HEART_ROW_1.replace("263358.03", "lots")
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, bad])
        self.assertIn("line 3", msg)
        self.assertIn("'platelets'", msg)
        self.assertIn("'lots'", msg)

    def test_empty_and_non_finite_cells(self):
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0.replace("75,", ",", 1), HEART_ROW_1])
        self.assertIn("line 2, column 'age'", msg)
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, HEART_ROW_1.replace(",1.1,", ",nan,")])
        self.assertIn("line 3, column 'serum_creatinine'", msg)

    def test_wrong_label_value(self):
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, HEART_ROW_1[:-1] + "2"])
        self.assertIn("line 3, column 'DEATH_EVENT'", msg)
        self.assertIn("0 or 1", msg)
        path = self.write(DEVICE.data_file, [DEVICE_HEADER, DEVICE_ROW_0.replace(",0,215630672", ",yes,215630672")])
        with self.assertRaises(D.DataError) as cm:
            D.load(DEVICE, self.dir)
        self.assertIn(f"{path}: line 2, column 'failure'", str(cm.exception))

    def test_single_class_and_ragged_rows(self):
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, HEART_ROW_0])
        self.assertIn("both classes", msg)
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, HEART_ROW_1 + ",9"])
        self.assertIn("line 3", msg)

    def test_cli_exits_non_zero_with_the_message(self):
        import train

        self.write(HEART.data_file, [HEART_HEADER, HEART_ROW_0, HEART_ROW_1.replace("38", "x")])
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = train.main(["--data-dir", self.dir, "--out-dir", os.path.join(self.dir, "out")])
        self.assertNotEqual(code, 0)
        self.assertIn("line 3, column 'ejection_fraction'", err.getvalue())
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out")))


    def test_field_read_from_its_alias_and_reported_with_it(self):
        path = self.write(DEVICE.data_file, [DEVICE_HEADER.replace("attribute3", "attr3"), DEVICE_ROW_0])
        with self.assertRaises(D.DataError) as cm:
            D.load(DEVICE, self.dir)
        self.assertIn(f"{path}: line 1: missing column 'metric3' (or 'attribute3')", str(cm.exception))
        self.write(DEVICE.data_file, [DEVICE_HEADER + ",metric3", DEVICE_ROW_0 + ",1"])
        with self.assertRaises(D.DataError) as cm:
            D.load(DEVICE, self.dir)
        self.assertIn("columns 'metric3' and 'attribute3' both hold field 'metric3'", str(cm.exception))


class Declarations(unittest.TestCase):
    """domains/*.json: what the pipeline reads from them, and errors naming file and key."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        with open(os.path.join(DOMAINS_DIR, "heart.json"), encoding="utf-8") as f:
            self.heart = json.load(f)

    def tearDown(self):
        self.tmp.cleanup()

    def error(self, obj=None, text=None) -> str:
        path = os.path.join(self.dir, "heart.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text if text is not None else json.dumps(obj))
        with self.assertRaises(DomainError) as cm:
            load_domains(self.dir, RECIPES)
        msg = str(cm.exception)
        self.assertIn(path, msg)
        return msg

    def test_repo_declarations(self):
        self.assertEqual(list(DOMAINS), ["heart", "device"])  # by `order`
        self.assertEqual(HEART.field("sex").manifest_unit, "0/1")
        self.assertEqual(HEART.field("age").manifest_unit, "years")
        self.assertEqual(DEVICE.field("metric1").columns, ("metric1", "attribute1"))
        self.assertEqual([m.id for m in HEART.models if m.default], ["heart-baseline"])
        self.assertEqual(len(HEART.models[0].features), 11)

    def test_bad_json_names_line_and_column(self):
        msg = self.error(text='{\n  "id": "heart",\n  "order": 1,,\n}')
        self.assertIn("line 3, column", msg)

    def test_unknown_feature_recipe_and_placeholder(self):
        self.heart["models"][1]["features"][3] = "bmi"
        self.assertIn("models[1].features[3]: 'bmi' is not a declared field", self.error(self.heart))
        self.heart["models"][1]["features"][3] = "diabetes"
        self.heart["models"][2]["recipe"]["name"] = "magic-forest"
        self.assertIn("models[2].recipe.name: unknown recipe 'magic-forest'", self.error(self.heart))
        self.heart["models"][2]["recipe"]["name"] = "rf-seed"
        self.heart["models"][0]["title"] = "Best {model}"
        self.assertIn("models[0].title: unknown placeholder {model}", self.error(self.heart))

    def test_missing_key_and_wrong_type(self):
        del self.heart["data"]["label_column"]
        self.assertIn("data.label_column: missing key", self.error(self.heart))
        self.heart["data"]["label_column"] = "DEATH_EVENT"
        self.heart["evaluation"]["repetitions"] = "many"
        self.assertIn("evaluation.repetitions: expected an integer", self.error(self.heart))


class SyntheticDomain(unittest.TestCase):
    """Adding a domain = a declaration + a data file + train: the fixture `sensor` domain end to end."""

    def test_train_a_new_domain_from_its_declaration(self):
        import train
        sys.path.insert(0, FIXTURES)
        from make_sensor_data import write_sensor_csv

        with tempfile.TemporaryDirectory() as tmp:
            domains_dir, data_dir, out = (os.path.join(tmp, d) for d in ("domains", "data", "out"))
            os.makedirs(domains_dir)
            shutil.copy(os.path.join(FIXTURES, "domains", "sensor.json"), domains_dir)
            write_sensor_csv(data_dir, rows=300)
            with contextlib.redirect_stdout(io.StringIO()):
                code = train.main(["--domains-dir", domains_dir, "--data-dir", data_dir, "--out-dir", out, "--jobs", "1"])
            self.assertEqual(code, 0)

            with open(os.path.join(out, "public", "models", "manifest.json"), encoding="utf-8") as f:
                (entry,) = json.load(f)["models"]
            self.assertEqual((entry["id"], entry["domain"], entry["default"]), ("sensor-lr", "sensor", True))
            self.assertEqual([(f["name"], f["unit"]) for f in entry["features"]], [("temperature", "°C"), ("vibration", "mm/s")])
            self.assertEqual(entry["class_labels"], ["OK", "Fault"])
            self.assertEqual(entry["title"], "Sensor fault: logistic regression on one reading")
            self.assertTrue(entry["limitations"][0].startswith("The shipped model is LogisticRegression"))
            self.assertEqual(entry["limitations"][-1], "Synthetic data made for tests: it says nothing about real sensors.")
            self.assertIn("Threshold chosen inside each training fold", entry["evaluation"]["protocol"])
            self.assertEqual(entry["training_data"]["rows"], 300)
            self.assertTrue(0 < entry["threshold"] < 1)

            onnx_path = os.path.join(out, "public", "models", entry["file"])
            self.assertEqual(os.path.getsize(onnx_path), entry["bytes"])
            onnx.checker.check_model(onnx.load(onnx_path))
            with open(os.path.join(out, "training", "golden", "sensor-lr.json"), encoding="utf-8") as f:
                golden = json.load(f)
            self.assertEqual(golden["features"], ["temperature", "vibration"])
            self.assertEqual(len(golden["rows"]), 300)  # under golden_rows: every row
            self.assertEqual(np.asarray(golden["inputs"]).shape, (300, 2))
            self.assertEqual(np.asarray(golden["probabilities"]).shape, (300, 2))
            self.assertEqual(len(golden["labels"]), 300)
            with open(os.path.join(out, "training", "golden", "metrics.json"), encoding="utf-8") as f:
                names = [c["name"] for c in json.load(f)["cases"]]
            self.assertEqual(names[0], "sensor-lr held-out predictions, fold 0")
            self.assertEqual(len(names), 3)  # the declared case + the two hand cases
            with open(os.path.join(out, "models-table.md"), encoding="utf-8") as f:
                self.assertIn("| `sensor-lr` (default) | sensor |", f.read())


class Evaluation(unittest.TestCase):
    def test_threshold_maximises_mcc_between_scores(self):
        y = np.array([0, 0, 1, 0, 1, 1, 1])
        p = np.array([0.1, 0.2, 0.3, 0.35, 0.6, 0.7, 0.9])
        t = mcc_best_threshold(y, p)
        self.assertTrue(0.35 < t <= 0.6)
        best = max(binary_metrics(y, p, s)["mcc"] for s in np.r_[p, 1.0])
        self.assertAlmostEqual(binary_metrics(y, p, t)["mcc"], best)

    def test_chart_tables_respect_the_contract(self):
        rng = np.random.RandomState(0)
        y = (rng.uniform(size=5000) < 0.1).astype(int)
        p = np.clip(rng.normal(0.1 + 0.3 * y, 0.15), 0, 1)
        c = chart_tables(y, p, 0.3)
        self.assertLessEqual(len(c["roc"]), 200)
        self.assertLessEqual(len(c["pr"]), 200)
        self.assertEqual((c["roc"][0], c["roc"][-1]), ({"fpr": 0.0, "tpr": 0.0}, {"fpr": 1.0, "tpr": 1.0}))
        self.assertEqual(len(c["calibration"]), 10)
        self.assertEqual(sum(b["count"] for b in c["calibration"]), 5000)
        self.assertEqual(sum(c["confusion"].values()), 5000)
        self.assertIn(0.3, [r["threshold"] for r in c["threshold_table"]])


class SeedThreshold(unittest.TestCase):
    def test_ties_not_flagged_like_predict_and_json_round_trip(self):
        import json
        from prognos_train.models import SEED_THRESHOLD
        self.assertEqual(SEED_THRESHOLD, float(np.nextafter(0.5, 1.0)))
        self.assertEqual(json.loads(json.dumps(SEED_THRESHOLD)), SEED_THRESHOLD)
        self.assertEqual(json.dumps(SEED_THRESHOLD), "0.5000000000000001")
        # a tree whose leaves hold class fractions 0.5 (an exact tie) and 1.0
        from sklearn.tree import DecisionTreeClassifier
        X = np.array([[0.0], [0.0], [1.0], [1.0]])
        y = np.array([0, 1, 1, 1])
        t = DecisionTreeClassifier(random_state=0).fit(X, y)
        p1 = t.predict_proba(X)[:, 1]
        self.assertIn(0.5, p1.tolist())
        np.testing.assert_array_equal((p1 >= SEED_THRESHOLD).astype(int), t.predict(X))
        c = chart_tables(y, p1, SEED_THRESHOLD)
        self.assertIn(SEED_THRESHOLD, [r["threshold"] for r in c["threshold_table"]])
        self.assertEqual(c["confusion"], {"tn": 1, "fp": 0, "fn": 1, "tp": 2})


if __name__ == "__main__":
    unittest.main()
