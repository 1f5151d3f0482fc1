"""Tests of the inspection policy simulation (prognos_train/policy.py) on small hand-made logs.
src/domain/fleet-policy.test.ts holds the same cases for the TypeScript side.

    /usr/bin/python3 -m unittest training/test_policy.py
"""
from __future__ import annotations

import os
import sys
import unittest
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from prognos_train.domains import load_domains  # noqa: E402
from prognos_train.policy import policy_table, simulate  # noqa: E402


def log(rows):
    """rows: (day, device, failed, p) -> the four columns simulate takes."""
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]


# Two devices over ten days. "a" always looks riskier and never fails; "b" fails on day 9.
QUIET_A = [(d, "a", 0, 0.9) for d in range(10)] + [(d, "b", int(d == 9), 0.5) for d in range(10)]


class Simulate(unittest.TestCase):
    def test_without_hold_back_the_top_device_takes_every_inspection(self):
        r = simulate(*log(QUIET_A), k=1, hold_days=0, cover_days=2, rise_factor=2)
        self.assertEqual(r, {"failures": 1, "caught": 0, "inspections": 10, "caught_per_100_inspections": 0.0})

    def test_holding_back_a_healthy_device_lets_the_next_one_be_inspected(self):
        # a inspected on day 0 (nothing), held 1..7; b inspected on day 1: fails on 9 > 1 + 2, nothing;
        # b held 2..8; day 2..7 nobody eligible; day 8: a back (held until 7), inspected;
        # day 9: a held, b back (held until 8): inspected on 9, fails on 9: caught.
        r = simulate(*log(QUIET_A), k=1, hold_days=7, cover_days=2, rise_factor=2)
        self.assertEqual(r["caught"], 1)
        self.assertEqual(r["inspections"], 4)
        self.assertEqual(r["caught_per_100_inspections"], 25.0)

    def test_the_cover_window_counts_a_failure_within_cover_days(self):
        rows = [(0, "b", 0, 0.5), (1, "b", 0, 0.5), (3, "b", 1, 0.5)]
        self.assertEqual(simulate(*log(rows[:1] + rows[2:]), 1, 0, 3, 2)["caught"], 1)  # 0 + 3 >= 3
        self.assertEqual(simulate(*log([rows[0], (4, "b", 1, 0.5)]), 1, 7, 3, 2)["caught"], 0)  # day 4 not covered, held

    def test_a_rise_by_the_factor_brings_a_held_device_back_early(self):
        rows = [(0, "a", 0, 0.2), (0, "b", 0, 0.1), (1, "a", 0, 0.39), (1, "b", 0, 0.1),
                (2, "a", 1, 0.4), (2, "b", 0, 0.1)]
        # a held after day 0 (p 0.2); day 1: 0.39 < 0.4, held, b inspected; day 2: 0.4 >= 2 x 0.2: back, caught.
        r = simulate(*log(rows), k=1, hold_days=7, cover_days=0, rise_factor=2)
        self.assertEqual((r["caught"], r["inspections"]), (1, 3))
        r = simulate(*log(rows), k=1, hold_days=7, cover_days=0, rise_factor=3)
        self.assertEqual((r["caught"], r["inspections"]), (0, 2))  # b held too from day 1: nobody on day 2

    def test_equal_risks_are_taken_in_the_order_of_the_rows(self):
        rows = [(0, "z", 1, 0.5), (0, "a", 0, 0.5)]
        self.assertEqual(simulate(*log(rows), 1, 0, 0, 2)["caught"], 1)
        self.assertEqual(simulate(*log(rows[::-1]), 1, 0, 0, 2)["caught"], 0)

    def test_a_fault_found_does_not_hold_the_device_back(self):
        rows = [(0, "b", 0, 0.9), (1, "b", 1, 0.9), (0, "c", 0, 0.1), (1, "c", 0, 0.1)]
        r = simulate(*log(rows), k=1, hold_days=7, cover_days=3, rise_factor=2)
        self.assertEqual((r["caught"], r["inspections"]), (1, 2))  # b inspected on both days


class Table(unittest.TestCase):
    def test_every_k_against_no_hold_back_and_each_hold_length(self):
        spec = SimpleNamespace(evaluate_k=(1, 2), evaluate_hold_days=(3, 7), cover_days=2, rise_factor=2.0, hold_days=7)
        t = policy_table(*log(QUIET_A), spec)
        self.assertEqual([(r["k"], r["hold_days"]) for r in t["rows"]], [(1, 0), (1, 3), (1, 7), (2, 0), (2, 3), (2, 7)])
        self.assertEqual(t["rows"][2]["inspections"], 4)
        self.assertEqual(t["rows"][3], {"k": 2, "hold_days": 0, "failures": 1, "caught": 1, "inspections": 20,
                                        "caught_per_100_inspections": 5.0})

    def test_the_declared_policy_is_read(self):
        device = next(d for d in load_domains(os.path.join(os.path.dirname(HERE), "domains")) if d.id == "device")
        self.assertEqual((device.inspections.cover_days, device.inspections.hold_days), (7, 7))
        self.assertEqual(device.inspections.evaluate_k, (5, 10, 20))
        self.assertIn("nothing_found", device.inspections.outcomes)


if __name__ == "__main__":
    unittest.main()
