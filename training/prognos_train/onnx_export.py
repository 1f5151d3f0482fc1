"""Our own exporter from fitted scikit-learn estimators to ONNX (there is no skl2onnx here).

Every graph has one input `input` (float32 [N, F], raw values in manifest order) and two
outputs: `label` (int64 [N]) and `probabilities` (float32 [N, 2]). No ZipMap.

Supported estimators (binary classification, classes 0 and 1):
- DecisionTreeClassifier, RandomForestClassifier, ExtraTreesClassifier ->
  ai.onnx.ml TreeEnsembleRegressor with one target, the leaf's class-1 fraction, summed
  over trees, then Div by the number of trees (sklearn averages the per-tree leaf class
  fractions), then [1 - p, p]. onnxruntime scores a single-target ensemble about 20 %
  faster than the two-class TreeEnsembleClassifier with both fractions on every leaf.
- GradientBoostingClassifier (log-loss) -> TreeEnsembleRegressor (raw score) -> Sigmoid.
- LogisticRegression -> MatMul + Add -> Sigmoid.
- Pipeline: optional SelectColumns (folded into the tree feature ids or the linear
  weights), optional FunctionTransformer(np.log1p) (Add 1 -> Log) and optional
  StandardScaler (Sub mean -> Div scale) before a linear model, then one of the above.
- VotingClassifier(voting="soft") of the above: mean of the members' probabilities.

label = ArgMax(probabilities) with ties to the first index, which is sklearn's
np.argmax rule (ties go to class 0).

Float32 thresholds: sklearn compares float32(x) <= threshold (a float64). Each threshold
is written as the largest float32 <= the float64 threshold, which gives exactly the same
decision for every float32 input under BRANCH_LEQ.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
    VotingClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from .select_columns import SelectColumns

PRODUCER_NAME = "prognos-training"
PRODUCER_VERSION = "1.0.0"
IR_VERSION = 8
OPSET_DEFAULT = 13
OPSET_ML = 1
INPUT_NAME = "input"
LABEL_NAME = "label"
PROBA_NAME = "probabilities"


def float32_floor(t: np.ndarray) -> np.ndarray:
    """Largest float32 <= t, elementwise (t float64)."""
    t = np.asarray(t, dtype=np.float64)
    t32 = t.astype(np.float32)
    up = t32.astype(np.float64) > t
    t32[up] = np.nextafter(t32[up], np.float32(-np.inf))
    return t32


class _Graph:
    """Collects nodes and initializers with deterministic names."""

    def __init__(self):
        self.nodes = []
        self.inits = []
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def const(self, prefix: str, array: np.ndarray) -> str:
        n = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), n))
        return n

    def op(self, op_type: str, inputs: list, outputs: list | None = None, domain: str = "", **attrs) -> list:
        outs = outputs or [self.name(op_type.lower())]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=self.name("n_" + op_type.lower()), domain=domain, **attrs))
        return outs


# ---------------------------------------------------------------- trees


def _tree_arrays(tree, feature_map: list, tree_id: int):
    """Node attributes of one fitted sklearn tree (tree_ object)."""
    n = tree.node_count
    left, right = tree.children_left, tree.children_right
    is_leaf = left == -1
    feat = np.where(is_leaf, 0, tree.feature)
    feat = np.asarray([feature_map[f] if not leaf else 0 for f, leaf in zip(feat, is_leaf)], dtype=np.int64)
    thr = float32_floor(np.where(is_leaf, 0.0, tree.threshold))
    return {
        "nodes_treeids": [tree_id] * n,
        "nodes_nodeids": list(range(n)),
        "nodes_featureids": feat.tolist(),
        "nodes_values": [float(v) for v in thr],
        "nodes_modes": ["LEAF" if leaf else "BRANCH_LEQ" for leaf in is_leaf],
        "nodes_truenodeids": np.where(is_leaf, 0, left).astype(np.int64).tolist(),
        "nodes_falsenodeids": np.where(is_leaf, 0, right).astype(np.int64).tolist(),
    }, is_leaf


def _merge(into: dict, part: dict):
    for k, v in part.items():
        into.setdefault(k, []).extend(v)


def _check_binary(est):
    classes = list(getattr(est, "classes_", []))
    if classes != [0, 1]:
        raise ValueError(f"only binary classifiers with classes [0, 1] are supported, got {classes}")


def _forest_proba(g: _Graph, X: str, trees: list, feature_map: list) -> str:
    """Mean over trees of the leaf fraction of class 1 -> p1, then [1 - p1, p1] -> float32 [N, 2]."""
    attrs: dict = {}
    t_tree, t_node, t_w = [], [], []
    for t_id, est in enumerate(trees):
        tree = est.tree_
        if tree.n_outputs != 1 or tree.n_classes[0] != 2:
            raise ValueError("only single-output binary trees are supported")
        part, is_leaf = _tree_arrays(tree, feature_map, t_id)
        _merge(attrs, part)
        value = tree.value[:, 0, :]
        for node in np.flatnonzero(is_leaf):
            v = value[node].astype(np.float64)
            s = v.sum()
            t_tree.append(t_id)
            t_node.append(int(node))
            t_w.append(float(np.float32(v[1] / s if s > 0 else v[1])))
    summed = g.op(
        "TreeEnsembleRegressor", [X], domain="ai.onnx.ml",
        n_targets=1, target_ids=[0] * len(t_tree), target_treeids=t_tree, target_nodeids=t_node,
        target_weights=t_w, base_values=[0.0], aggregate_function="SUM", post_transform="NONE",
        **attrs,
    )[0]
    if len(trees) == 1:
        return _p1_to_proba(g, summed)
    # Sum of fractions (exact for pure leaves), then one division, as sklearn's mean.
    p1 = g.op("Div", [summed, g.const("n_trees", np.array([float(len(trees))], dtype=np.float32))])[0]
    return _p1_to_proba(g, p1)


def _gb_proba(g: _Graph, X: str, gb: GradientBoostingClassifier, feature_map: list) -> str:
    if gb.estimators_.shape[1] != 1:
        raise ValueError("only binary gradient boosting is supported")
    loss_name = type(getattr(gb, "_loss", None)).__name__
    if loss_name not in ("BinomialDeviance",):
        raise ValueError(f"unsupported gradient boosting loss {loss_name}")
    attrs: dict = {}
    t_tree, t_node, t_w = [], [], []
    for t_id, est in enumerate(gb.estimators_[:, 0]):
        tree = est.tree_
        part, is_leaf = _tree_arrays(tree, feature_map, t_id)
        _merge(attrs, part)
        for node in np.flatnonzero(is_leaf):
            t_tree.append(t_id)
            t_node.append(int(node))
            t_w.append(float(np.float32(gb.learning_rate * tree.value[node, 0, 0])))
    init = gb._raw_predict_init(np.zeros((1, gb.n_features_in_), dtype=np.float32))
    raw = g.op(
        "TreeEnsembleRegressor", [X], domain="ai.onnx.ml",
        n_targets=1, target_ids=[0] * len(t_tree), target_treeids=t_tree, target_nodeids=t_node,
        target_weights=t_w, base_values=[float(np.float32(init[0, 0]))], aggregate_function="SUM",
        post_transform="NONE", **attrs,
    )[0]
    return _p1_to_proba(g, g.op("Sigmoid", [raw])[0])


# ---------------------------------------------------------------- linear


def _p1_to_proba(g: _Graph, p1: str) -> str:
    one = g.const("one", np.array([1.0], dtype=np.float32))
    p0 = g.op("Sub", [one, p1])[0]
    return g.op("Concat", [p0, p1], axis=1)[0]


def _linear_proba(g: _Graph, X: str, pre: list, lr: LogisticRegression, n_inputs: int, columns: list) -> str:
    if lr.coef_.shape[0] != 1:
        raise ValueError("only binary logistic regression is supported")
    x = X
    if columns is not None and list(columns) != list(range(n_inputs)):
        x = g.op("Gather", [x, g.const("columns", np.asarray(columns, dtype=np.int64))], axis=1)[0]
    for step in pre:
        if isinstance(step, FunctionTransformer):
            x = g.op("Add", [x, g.const("one", np.array([1.0], dtype=np.float32))])[0]
            x = g.op("Log", [x])[0]
        elif isinstance(step, StandardScaler):
            if step.with_mean:
                x = g.op("Sub", [x, g.const("mean", step.mean_.astype(np.float32))])[0]
            if step.with_std:
                x = g.op("Div", [x, g.const("scale", step.scale_.astype(np.float32))])[0]
    w = g.const("coef", lr.coef_.astype(np.float32).reshape(-1, 1))
    z = g.op("MatMul", [x, w])[0]
    z = g.op("Add", [z, g.const("intercept", lr.intercept_.astype(np.float32).reshape(1))])[0]
    return _p1_to_proba(g, g.op("Sigmoid", [z])[0])


# ---------------------------------------------------------------- dispatch


def _unwrap(est, n_inputs: int):
    """Split a Pipeline into (column indices or None, preprocessing steps, final estimator)."""
    columns, pre = None, []
    steps = [s for _, s in est.steps] if isinstance(est, Pipeline) else [est]
    final = steps[-1]
    for s in steps[:-1]:
        if s == "passthrough" or s is None:
            continue
        if isinstance(s, SelectColumns):
            if columns is not None or pre:
                raise ValueError("SelectColumns must be the first step")
            columns = list(s.columns)
        elif isinstance(s, FunctionTransformer) and s.func is np.log1p and s.inverse_func is None:
            pre.append(s)
        elif isinstance(s, StandardScaler):
            pre.append(s)
        else:
            raise ValueError(f"unsupported pipeline step {type(s).__name__}")
    if columns is None:
        columns = list(range(n_inputs))
    return columns, pre, final


def _proba(g: _Graph, X: str, est, n_inputs: int) -> str:
    columns, pre, final = _unwrap(est, n_inputs)
    _check_binary(final)
    if isinstance(final, VotingClassifier):
        if pre or columns != list(range(n_inputs)):
            raise ValueError("a VotingClassifier must be the whole model")
        if final.voting != "soft" or final.weights is not None:
            raise ValueError("only unweighted soft voting is supported")
        members = [_proba(g, X, m, n_inputs) for m in final.estimators_]
        total = members[0]
        for m in members[1:]:
            total = g.op("Add", [total, m])[0]
        if len(members) == 1:
            return total
        return g.op("Div", [total, g.const("n_members", np.array([float(len(members))], dtype=np.float32))])[0]
    if isinstance(final, (DecisionTreeClassifier, RandomForestClassifier, ExtraTreesClassifier)):
        if pre:
            raise ValueError("trees take raw inputs: no transform before them")
        trees = [final] if isinstance(final, DecisionTreeClassifier) else list(final.estimators_)
        return _forest_proba(g, X, trees, columns)
    if isinstance(final, GradientBoostingClassifier):
        if pre:
            raise ValueError("trees take raw inputs: no transform before them")
        return _gb_proba(g, X, final, columns)
    if isinstance(final, LogisticRegression):
        return _linear_proba(g, X, pre, final, n_inputs, columns)
    raise ValueError(f"unsupported estimator {type(final).__name__}")


def export(est, n_inputs: int, graph_name: str) -> onnx.ModelProto:
    """Build a deterministic ONNX model for a fitted binary classifier."""
    g = _Graph()
    proba = _proba(g, INPUT_NAME, est, n_inputs)
    g.op("Identity", [proba], [PROBA_NAME])
    g.op("ArgMax", [PROBA_NAME], [LABEL_NAME], axis=1, keepdims=0)
    graph = helper.make_graph(
        g.nodes, graph_name,
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", n_inputs])],
        [
            helper.make_tensor_value_info(LABEL_NAME, TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info(PROBA_NAME, TensorProto.FLOAT, ["N", 2]),
        ],
        initializer=g.inits,
    )
    uses_ml = any(n.domain == "ai.onnx.ml" for n in g.nodes)
    opsets = [helper.make_opsetid("", OPSET_DEFAULT)]
    if uses_ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", OPSET_ML))
    model = helper.make_model(graph, opset_imports=opsets, producer_name=PRODUCER_NAME, producer_version=PRODUCER_VERSION)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


def to_bytes(model: onnx.ModelProto) -> bytes:
    return model.SerializeToString(deterministic=True)
