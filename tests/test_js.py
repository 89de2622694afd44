"""The explorers' JavaScript under node's own test runner: ``node --test tests/js/``.

Each ``tests/js/*.test.mjs`` imports a module of ``mlebook/explorers/js`` and checks its maths;
a failing JS test fails this test (and so CI), with node's report in the message.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))


def test_node_runner_passes_every_js_test():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js (tools/install.sh does)")
    assert JS_TESTS, "no JavaScript tests found"
    result = subprocess.run([node, "--test", *map(str, JS_TESTS)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", report, flags=re.M))
    assert result.returncode == 0 and counts.get("fail") == "0", report[-8000:]
    assert int(counts["pass"]) == int(counts["tests"]) >= 25, report[-2000:]
