"""Helpers shared by the Python test peers."""
import json
import os
import signal
import threading
import time

_lock = threading.Lock()
_count = 0


def exit_with_parent():
    """Exits on SIGTERM at once, and when the test process that started this peer goes away."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def write_record(directory, record):
    """Writes record atomically as DIR/<n>.json, n counting from 1."""
    global _count
    with _lock:
        _count += 1
        name = "%d.json" % _count
    path = os.path.join(directory, name)
    with open(path + ".tmp", "w") as handle:
        json.dump(record, handle)
    os.rename(path + ".tmp", path)
