"""Headless Chromium for the browser tests: one browser per test module, fresh profile.

The driving code lives in ``policykg.viz.measure`` (the benchmark and the README screenshot use
it too); this module adds the test suite's rule that a missing tool fails the test.
"""
from __future__ import annotations

from contextlib import contextmanager

from policykg.viz.measure import FLAGS, PageReport, chromium, console_errors, network_requests, open_map
from tests.conftest import require_tool

__all__ = ["FLAGS", "PageReport", "browser", "console_errors", "network_requests", "open_map"]


@contextmanager
def browser():
    """Headless Chromium (``/usr/bin/chromium`` + ``/usr/bin/chromedriver``); fails the test,
    never skips it, when either is missing."""
    chromium_path = require_tool("chromium")
    driver_path = require_tool("chromedriver")
    with chromium(chromium_path=chromium_path, driver_path=driver_path) as driver:
        yield driver
