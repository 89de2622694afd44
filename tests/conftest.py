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
