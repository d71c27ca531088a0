"""The browser fixtures of the end-to-end tests, shared by this folder's browser tests: one Chromium per
test run (a second module importing the session fixture itself would start a second Playwright)."""

from tests.e2e.conftest import browser, page  # noqa: F401
