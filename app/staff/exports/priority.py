"""Exports give way to respondents: the thread streaming one runs at a lower CPU priority.

An export of 100,000 responses keeps a core busy for 15-70 s. With three at once on a 2-core
server, respondents' p95 went from about 0.6 s to 1.0 s at normal priority and stayed at
0.54-0.66 s at nice 10 (bench/export_contention.py, side by side). At nice 10 the kernel gives a
respondent's request about ten times an export's share of a busy core, and an export still uses
every cycle nobody else wants, so on a quiet server it is no slower.

Linux keeps a nice value per thread, so only the streaming thread is lowered. It is lowered only
when it can be put back afterwards (a worker must not serve later requests slowly): with
CAP_SYS_NICE, or when RLIMIT_NICE allows it, which deploy/systemd's unit grants with LimitNICE.
Anywhere else the export runs at the normal priority, as before.
"""

from __future__ import annotations

import functools
import os
import resource
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

EXPORT_NICE = 10
_CAP_SYS_NICE = 23  # bit number in /proc/self/status's CapEff

T = TypeVar("T")


@functools.cache  # a process's capabilities do not change while it runs
def _has_cap_sys_nice() -> bool:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> _CAP_SYS_NICE & 1)
    except OSError:
        pass
    return False


def can_return_to(nice: int, rlimit_nice: int, has_cap_sys_nice: bool) -> bool:
    """Whether a thread may lower its nice value back to `nice` (the kernel's can_nice rule)."""
    return has_cap_sys_nice or rlimit_nice == resource.RLIM_INFINITY or 20 - nice <= rlimit_nice


def _lowering_allowed(current: int) -> bool:
    if not sys.platform.startswith("linux"):  # elsewhere the nice value is per process, not per thread
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_NICE)
    return current < EXPORT_NICE and can_return_to(current, soft, _has_cap_sys_nice())


def yielding_to_visitors(chunks: Iterable[T]) -> Iterator[T]:
    """Yields `chunks`, producing them at EXPORT_NICE when the thread can be restored after."""
    thread = threading.get_native_id()
    current = os.getpriority(os.PRIO_PROCESS, thread)
    lowered = _lowering_allowed(current)
    if lowered:
        os.setpriority(os.PRIO_PROCESS, thread, EXPORT_NICE)
    try:
        yield from chunks
    finally:
        # By thread id: a generator closed from another thread still restores the right one.
        if lowered:
            os.setpriority(os.PRIO_PROCESS, thread, current)
