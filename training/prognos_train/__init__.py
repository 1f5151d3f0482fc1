"""Prognos training pipeline: load, evaluate, fit, export to ONNX, write the manifest."""
