"""Shared fixtures: a small corpus with two obvious themes."""

import pytest

ALERTS = [
    "Too many alerts: alert fatigue is real",
    "Alert fatigue makes staff ignore alerts",
    "Pop-up alerts cause fatigue",
    "Constant alerts and alarms, alert fatigue everywhere",
    "Fewer alerts please, the alert fatigue is dangerous",
]
TRAINING = [
    "Train staff on the new system",
    "More training for staff please",
    "Staff training on digital systems",
    "Training sessions for nurses on the system",
    "Give staff proper training time",
]


@pytest.fixture
def alerts():
    return list(ALERTS)


@pytest.fixture
def training():
    return list(TRAINING)


@pytest.fixture
def corpus():
    """Ten responses: five about alert fatigue, then five about staff training."""
    return ALERTS + TRAINING
