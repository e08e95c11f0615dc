"""`homeless-monitor ui` runs `dagster dev` as a child and stops cleanly on SIGTERM/SIGINT."""

import signal
import subprocess
import sys
import time

SCRIPT = """
import sys, time
from pathlib import Path
from dagster_project.run.cli import run_ui
child = [sys.executable, "-c", "import signal, sys, time; signal.signal(signal.SIGTERM, lambda *a: sys.exit(3)); time.sleep(60)"]
sys.exit(run_ui(child, Path.cwd(), grace_seconds=5))
"""


def test_sigterm_reaches_the_child_and_the_command_exits_cleanly():
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT])
    time.sleep(2)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert time.monotonic() - started < 10
