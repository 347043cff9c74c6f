"""The worker, run in the test's own process and transaction.

`run_worker` runs every task that is due, the way `manage.py db_worker` does: it takes the
ready tasks of the database backend in its order and runs each through the worker's own
`run_task` (the command's loop also closes database connections, which a test's transaction
cannot allow). Tasks that a task queues and that are due run too.
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def worker() -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def run_worker() -> int:
    """Run the tasks due now; how many ran."""
    runner, ran = worker(), 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(runner.worker_id)
        runner.run_task(task)
        ran += 1
    return ran


def settle(*, steps: int = 20) -> None:
    """Run the worker, moving a fake clock on to each waiting task's time (a retry after a
    failure, a reminder planned for later), until no task waits."""
    import time_machine
    from django.utils import timezone
    from django_tasks_db.models import get_date_max

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _step in range(steps):
            run_worker()
            waiting = DBTaskResult.objects.filter(status="READY").exclude(run_after=get_date_max())
            later = waiting.order_by("run_after").values_list("run_after", flat=True).first()
            if later is None:
                return
            clock.move_to(later)
    raise AssertionError(f"Tasks still waiting after {steps} steps")
