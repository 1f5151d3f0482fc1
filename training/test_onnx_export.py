"""Tests of the ONNX exporter: every estimator the recipes use is exported, checked by onnx's
checker, exported again to the same bytes, and run by a small numpy interpreter of the
operators the exporter emits (float32, like onnxruntime) against scikit-learn's own output.

    /usr/bin/python3 -m unittest discover -s training -p 'test_*.py'

onnx 1.12 has no reference evaluator, hence the interpreter (run_onnx, also used by
test_history.py). The Vitest golden-parity test runs the real files in onnxruntime-web.
"""
from __future__ import annotations

import os
import sys
import unittest

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from prognos_train.onnx_export import export, float32_floor, to_bytes  # noqa: E402
from prognos_train.select_columns import SelectColumns  # noqa: E402


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


if __name__ == "__main__":
    unittest.main()
