"""SelectColumns: the one transformer of ours, shared by the recipes and the exporter."""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin


class SelectColumns(BaseEstimator, TransformerMixin):
    """Keep the given column indices (lets a model read a subset of the manifest inputs).

    The exporter folds it into the graph, so the ONNX input stays the model's full feature list.
    """

    def __init__(self, columns=()):
        self.columns = columns

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X)[:, list(self.columns)]
