"""Run `training.pretrain` and SIGKILL the process right after optimizer step $KILL_AFTER_STEP.

A test helper (not a test): the crash happens at a known step on every rank, whatever the
machine's speed, which is what the exact-resume tests need. Works alone or under torchrun.
"""
import os
import signal
import sys

from training import metrics, pretrain

KILL_AFTER_STEP = int(os.environ["KILL_AFTER_STEP"])
_log_train = metrics.MetricsLogger.log_train


def _log_then_die(self, row):
    _log_train(self, row)
    if row["step"] >= KILL_AFTER_STEP:
        os.kill(os.getpid(), signal.SIGKILL)


metrics.MetricsLogger.log_train = _log_then_die
sys.exit(pretrain.main(sys.argv[1:]))
