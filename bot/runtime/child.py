"""``python -m bot.runtime.child PARENT_PID -- COMMAND...``: run COMMAND so that it dies with its supervisor.

Linux's ``PR_SET_PDEATHSIG`` asks the kernel to send SIGTERM to this process when
its parent dies, also when the parent is killed with -9 (an out-of-memory
kill, a container runtime) and cannot stop its children itself.  The setting
survives ``exec``, so it is made here, in the child, and then COMMAND replaces
this process (same pid, nothing in between).  Done this way rather than in
``preexec_fn``, which is unsafe in a parent that runs threads.  The signal
follows the *thread* that started the child: start children from a thread that
lives as long as the supervisor (the run command and the test fixtures use the
main thread).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: the supervisor's stop and the next start's clean-up still apply
    if os.getppid() != parent_pid:  # the parent died before the setting was made
        sys.exit(1)


def main(argv: list) -> None:
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: python -m bot.runtime.child PARENT_PID -- COMMAND...")
    die_with_parent(int(argv[0]))
    os.execvp(argv[2], argv[2:])


if __name__ == "__main__":
    main(sys.argv[1:])
