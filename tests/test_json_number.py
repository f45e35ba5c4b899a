"""The JSON report's figures: 4 decimals, null when not finite, whatever was rounded before."""

from __future__ import annotations

import math

import numpy as np

from roadmap_audit.model import _json_number


def _reference(value: float) -> float | None:
    return round(float(value), 4) if math.isfinite(value) else None


def test_a_figure_is_written_as_rounded_every_time_it_repeats():
    values = [0.123456, 0.0, -0.0, 0.0, -0.0, 13, True, 2.5e-05, -1e-05, 1e20, 0.3, 0.1 + 0.2]
    values += [float("inf"), float("-inf"), float("nan"), np.float64(0.123456), np.float64(-0.0)]
    for _ in range(3):  # the first time rounds, the next ones remember
        for value in values:
            got, want = _json_number(value), _reference(value)
            assert repr(got) == repr(want), value  # -0.0 stays -0.0, 13 becomes 13.0
            assert type(got) is type(want)
