"""Child processes for the tests: the package run as a user would, with what a shell may hand it.

- :func:`ignoring_sigint`: a ``preexec_fn`` that starts the child with SIGINT ignored, as a shell
  does for a background job (``&``), whatever the test runner itself was started with.
- :func:`obeying_file_modes`: a ``preexec_fn`` under which even root obeys file permissions
  (root ignores them by the capability CAP_DAC_OVERRIDE, dropped here before ``exec``), so that a
  folder made read-only with ``chmod`` is read-only for the child. :func:`read_only_folder`
  makes such a folder and checks that a child really cannot write in it.
"""

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PR_CAPBSET_DROP = 24  # prctl option: remove a capability from the bounding set (kept over exec)
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def ignoring_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def obeying_file_modes() -> None:
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def child_env(tmp_path: Path, **extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "MLEBOOK_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1", **extra}


def read_only_folder(path: Path) -> Path:
    """``path`` made as a folder with mode 0555; raises AssertionError if a child could still write in it."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o555)
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(path / 'probe')!r}, 'w')"], preexec_fn=obeying_file_modes, capture_output=True
    )
    assert probe.returncode != 0, "a child process could write in a folder of mode 0555"
    return path
