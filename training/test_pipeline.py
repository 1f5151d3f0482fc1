"""Tests of the training pipeline: input validation and the ONNX exporter.

    /usr/bin/python3 -m unittest discover -s training -p 'test_*.py'

onnx 1.12 has no reference evaluator, so the exported graphs are run by the small numpy
interpreter below (only the operators our exporter emits, in float32 like onnxruntime).
The Vitest golden-parity test runs the real files in onnxruntime-web.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from prognos_train import data as D  # noqa: E402
from prognos_train.evaluation import binary_metrics, chart_tables, mcc_best_threshold  # noqa: E402
from prognos_train.onnx_export import SelectColumns, export, float32_floor, to_bytes  # noqa: E402

HEART_HEADER = ",".join(D.HEART_FEATURES + [D.HEART_LABEL])
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
        path = self.write(D.HEART_FILE, lines)
        with self.assertRaises(D.DataError) as cm:
            D.load_heart(self.dir)
        msg = str(cm.exception)
        self.assertIn(path, msg)
        return msg

    def test_valid_files_load(self):
        self.write(D.HEART_FILE, [HEART_HEADER, HEART_ROW_0, HEART_ROW_1])
        self.write(D.DEVICE_FILE, [DEVICE_HEADER, DEVICE_ROW_0, DEVICE_ROW_1])
        h = D.load_heart(self.dir)
        self.assertEqual((h.rows, h.positives), (2, 1))
        self.assertEqual(h.X[1, D.HEART_FEATURES.index("platelets")], 263358.03)
        d = D.load_device(self.dir)
        self.assertEqual(d.features, ["metric1", "metric2", "metric3", "metric4", "metric5", "metric6", "metric7", "metric9"])
        self.assertEqual(d.X[0].tolist(), [215630672, 56, 0, 52, 6, 407438, 0, 7])  # attribute8 skipped
        self.assertEqual(d.groups.tolist(), ["S1F01085", "S1F0166B"])

    def test_missing_file(self):
        with self.assertRaises(D.DataError) as cm:
            D.load_heart(self.dir)
        self.assertIn(os.path.join(self.dir, D.HEART_FILE), str(cm.exception))
        self.assertIn("not found", str(cm.exception))

    def test_missing_column(self):
        header = HEART_HEADER.replace("serum_sodium,", "")
        msg = self.heart_error([header, "75,0,582,0,20,1,265000,1.9,1,0,4,1"])
        self.assertIn("line 1", msg)
        self.assertIn("'serum_sodium'", msg)

    def test_missing_device_group_column(self):
        path = self.write(D.DEVICE_FILE, [DEVICE_HEADER.replace("device,", "unit,"), DEVICE_ROW_0])
        with self.assertRaises(D.DataError) as cm:
            D.load_device(self.dir)
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
        path = self.write(D.DEVICE_FILE, [DEVICE_HEADER, DEVICE_ROW_0.replace(",0,215630672", ",yes,215630672")])
        with self.assertRaises(D.DataError) as cm:
            D.load_device(self.dir)
        self.assertIn(f"{path}: line 2, column 'failure'", str(cm.exception))

    def test_single_class_and_ragged_rows(self):
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, HEART_ROW_0])
        self.assertIn("both classes", msg)
        msg = self.heart_error([HEART_HEADER, HEART_ROW_0, HEART_ROW_1 + ",9"])
        self.assertIn("line 3", msg)

    def test_cli_exits_non_zero_with_the_message(self):
        import train

        self.write(D.HEART_FILE, [HEART_HEADER, HEART_ROW_0, HEART_ROW_1.replace("38", "x")])
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = train.main(["--data-dir", self.dir, "--out-dir", os.path.join(self.dir, "out")])
        self.assertNotEqual(code, 0)
        self.assertIn("line 3, column 'ejection_fraction'", err.getvalue())
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out")))


# ---------------------------------------------------------------- a tiny ONNX interpreter


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _trees(a, X, weights_key):
    """Evaluate TreeEnsemble* node attributes: per (tree, leaf) the reached leaf id per row."""
    tids = np.asarray(a["nodes_treeids"])
    nids = np.asarray(a["nodes_nodeids"])
    index = {(t, n): i for i, (t, n) in enumerate(zip(tids, nids))}
    feat = np.asarray(a["nodes_featureids"])
    val = np.asarray(a["nodes_values"], dtype=np.float32)
    modes = [m.decode() if isinstance(m, bytes) else m for m in a["nodes_modes"]]
    true_ids, false_ids = np.asarray(a["nodes_truenodeids"]), np.asarray(a["nodes_falsenodeids"])
    reached = {}
    for t in sorted(set(tids.tolist())):
        leaves = np.zeros(len(X), dtype=np.int64)
        for r in range(len(X)):
            i = index[(t, 0)]
            while modes[i] != "LEAF":
                assert modes[i] == "BRANCH_LEQ"
                go_true = X[r, feat[i]] <= val[i]  # float32 vs float32, as onnxruntime
                i = index[(t, (true_ids if go_true else false_ids)[i])]
            leaves[r] = nids[i]
        reached[t] = leaves
    return reached


def run_onnx(model: onnx.ModelProto, X: np.ndarray) -> dict:
    env = {model.graph.input[0].name: np.asarray(X, dtype=np.float32)}
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init)
    for node in model.graph.node:
        a = _attrs(node)
        x = [env[i] for i in node.input]
        op = node.op_type
        if op == "TreeEnsembleClassifier":
            reached = _trees(a, x[0], "class_weights")
            out = np.zeros((len(x[0]), len(a["classlabels_int64s"])), dtype=np.float32)
            for t, n, c, w in zip(a["class_treeids"], a["class_nodeids"], a["class_ids"], a["class_weights"]):
                out[reached[t] == n, c] += np.float32(w)
            res = [np.argmax(out, axis=1).astype(np.int64), out]
        elif op == "TreeEnsembleRegressor":
            reached = _trees(a, x[0], "target_weights")
            out = np.full((len(x[0]), 1), np.float32(a["base_values"][0]), dtype=np.float32)
            for t, n, w in zip(a["target_treeids"], a["target_nodeids"], a["target_weights"]):
                out[reached[t] == n, 0] += np.float32(w)
            res = [out]
        elif op == "Div":
            res = [(x[0] / x[1]).astype(np.float32)]
        elif op == "Sub":
            res = [(x[0] - x[1]).astype(np.float32)]
        elif op == "Add":
            res = [(x[0] + x[1]).astype(np.float32)]
        elif op == "Log":
            res = [np.log(x[0]).astype(np.float32)]
        elif op == "MatMul":
            res = [(x[0] @ x[1]).astype(np.float32)]
        elif op == "Sigmoid":
            res = [(1 / (1 + np.exp(-x[0].astype(np.float64)))).astype(np.float32)]
        elif op == "Concat":
            res = [np.concatenate(x, axis=a["axis"])]
        elif op == "Gather":
            res = [np.take(x[0], x[1], axis=a["axis"])]
        elif op == "Identity":
            res = [x[0]]
        elif op == "ArgMax":
            assert a.get("keepdims") == 0 and a.get("axis") == 1
            res = [np.argmax(x[0], axis=1).astype(np.int64)]
        else:
            raise AssertionError(f"unexpected operator {op}")
        for name, value in zip(node.output, res):
            env[name] = value
    return {o.name: env[o.name] for o in model.graph.output}


class Exporter(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rng = np.random.RandomState(0)
        n = 600
        # Large integer counts (float32 spacing 16 near 2.4e8) and decimals, as in the real data.
        X = np.column_stack([
            rng.randint(0, 240_000_000, n), rng.poisson(2, n), rng.normal(size=n).round(2), rng.randint(0, 2, n),
        ]).astype(np.float64)
        y = (((X[:, 0] > 1.2e8) & (X[:, 1] > 1)) | (X[:, 2] > 1.0) ^ (X[:, 3] == 1)).astype(np.int64)
        cls.X, cls.y = X, y
        cls.X32 = X.astype(np.float32).astype(np.float64)

    def check(self, est, X=None, y=None):
        X = self.X if X is None else X
        y = self.y if y is None else y
        est.fit(X, y)
        model = export(est, X.shape[1], "test")
        onnx.checker.check_model(model)
        self.assertEqual([i.name for i in model.graph.input], ["input"])
        self.assertEqual([o.name for o in model.graph.output], ["label", "probabilities"])
        self.assertEqual(to_bytes(export(est, X.shape[1], "test")), to_bytes(model))  # deterministic
        X32 = X.astype(np.float32).astype(np.float64)
        out = run_onnx(model, X32)
        np.testing.assert_allclose(out["probabilities"], est.predict_proba(X32), atol=1e-5, rtol=0)
        np.testing.assert_array_equal(out["label"], est.predict(X32))
        return model

    def test_decision_tree(self):
        from sklearn.tree import DecisionTreeClassifier

        self.check(DecisionTreeClassifier(random_state=0))

    def test_random_forest_with_class_weights_and_column_selection(self):
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.pipeline import Pipeline

        self.check(RandomForestClassifier(n_estimators=15, min_samples_leaf=3, class_weight="balanced_subsample", random_state=0))
        model = self.check(Pipeline([("s", SelectColumns([2, 0])), ("rf", RandomForestClassifier(n_estimators=5, random_state=0))]))
        feats = {f for n in model.graph.node if n.op_type == "TreeEnsembleRegressor"
                 for a in n.attribute if a.name == "nodes_featureids" for f in a.ints}
        self.assertLessEqual(feats, {0, 2})

    def test_forests_are_single_target_ensembles(self):
        # onnxruntime's single-target path is the faster one: class-1 fractions, then [1 - p, p].
        from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

        for est in (RandomForestClassifier(n_estimators=7, random_state=0), ExtraTreesClassifier(n_estimators=7, random_state=0)):
            model = self.check(est)
            ops = [n.op_type for n in model.graph.node]
            self.assertNotIn("TreeEnsembleClassifier", ops)
            (tree,) = [n for n in model.graph.node if n.op_type == "TreeEnsembleRegressor"]
            a = _attrs(tree)
            self.assertEqual(a["n_targets"], 1)
            self.assertEqual(set(a["target_ids"]), {0})
            self.assertEqual(a["aggregate_function"], b"SUM")

    def test_gradient_boosting(self):
        from sklearn.ensemble import GradientBoostingClassifier

        self.check(GradientBoostingClassifier(n_estimators=20, max_depth=2, subsample=0.8, random_state=0))

    def test_logistic_regression_with_log1p_and_scaling(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer, StandardScaler

        X = np.abs(self.X)
        model = self.check(Pipeline([("log", FunctionTransformer(np.log1p)), ("sc", StandardScaler()),
                                     ("lr", LogisticRegression(max_iter=2000))]), X)
        self.assertFalse([n.op_type for n in model.graph.node if n.op_type.startswith("TreeEnsemble")])

    def test_float32_threshold_rounding(self):
        # Two adjacent float32 values: sklearn splits at their float64 midpoint, which
        # rounds (half to even) up to the larger one in float32. Naive casting would send
        # the larger value left; the exporter must keep it right.
        from sklearn.tree import DecisionTreeClassifier

        a = np.float32(2.0**27 + 16)  # spacing 16 here, odd last mantissa bit
        b = np.nextafter(a, np.float32(np.inf))
        X = np.array([[a], [b]] * 5, dtype=np.float64)
        y = np.array([0, 1] * 5)
        model = self.check(DecisionTreeClassifier(random_state=0), X, y)
        t64 = DecisionTreeClassifier(random_state=0).fit(X, y).tree_.threshold[0]
        self.assertGreater(np.float64(np.float32(t64)), t64)  # the naive cast would flip b
        out = run_onnx(model, X)
        self.assertEqual(out["label"].tolist(), [0, 1] * 5)

    def test_float32_floor(self):
        rng = np.random.RandomState(1)
        t = np.r_[rng.uniform(-1e9, 1e9, 2000), rng.normal(size=2000), 0.5, 1.0, 263358.03]
        f = float32_floor(t)
        self.assertEqual(f.dtype, np.float32)
        self.assertTrue(np.all(f.astype(np.float64) <= t))
        up = np.nextafter(f, np.float32(np.inf)).astype(np.float64)
        self.assertTrue(np.all(up > t))


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
        from prognos_train.pipeline import SEED_THRESHOLD
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
