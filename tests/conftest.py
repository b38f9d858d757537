"""Shared test configuration: hypothesis profiles.

``CI=true`` selects the ``ci`` profile (fewer examples, no deadline: CI machines are
shared and slow; derandomised, so CI runs the same examples every time and a failure
there is reproducible); locally the ``dev`` profile runs more, and new, examples.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
