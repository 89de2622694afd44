"""Shared test setup: the order the suite runs in.

Unit tests run first; then every chapter executes (filling the execution cache), then the book
builds from that cache, then the built pages open in a browser. Each stage needs the one before.
"""

import pytest
import torch

STAGES = ("notebook", "book", "browser")


def _stage(item) -> int:
    for rank, marker in enumerate(STAGES, start=1):
        if item.get_closest_marker(marker) is not None:
            return rank
    return 0


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_stage)  # stable: keeps file order within a stage


@pytest.fixture(scope="module")
def one_thread():
    """Run a module's training on one torch thread: small tensors train faster that way, and far
    faster when the machine is busy."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (the system's, /usr/bin/chromium) for every browser test."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from tests.browser_tools import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (tools/install.sh does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
