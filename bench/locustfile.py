"""Locust load for bench/run_monitoring.py: one GET endpoint under N concurrent users.

Run by run_monitoring.py (headless); settings come from the environment:
BENCH_PATH (path and query), BENCH_HEADERS (JSON object), BENCH_WAIT ("min,max" seconds of
think time between a user's requests; "0,0" for back-to-back requests).
"""

from __future__ import annotations

import json
import os

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ.get("BENCH_PATH", "/")
HEADERS = json.loads(os.environ.get("BENCH_HEADERS", "{}"))
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("BENCH_WAIT", "0,0").split(","))


class Reader(FastHttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    @task
    def read(self) -> None:
        with self.client.get(
            PATH, headers=HEADERS, name="endpoint", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
