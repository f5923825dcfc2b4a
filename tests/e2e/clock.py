"""Run a Python module with the wall clock moved (time-machine, ticking), so a browser journey
can step to "the day of the meeting" without touching the app:

    CHIBO_E2E_CLOCK_OFFSET=<seconds> python -m tests.e2e.clock gunicorn chibo.wsgi ...

An offset, not an instant: processes started seconds apart (web, worker) then agree on the
time. Monotonic clocks (gunicorn's heartbeat, Celery timers) are left alone. The moved clock
does not reach Celery's prefork children, so a moved worker uses the threads pool.
"""

import os
import runpy
import sys

if __name__ == "__main__":
    offset = os.environ.get("CHIBO_E2E_CLOCK_OFFSET")
    if offset:
        import time

        import time_machine

        time_machine.travel(time.time() + float(offset), tick=True).start()
    module, *rest = sys.argv[1:]
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
