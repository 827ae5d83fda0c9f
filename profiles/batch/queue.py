"""Where print jobs run: on an RQ queue in Redis when PROFILES_REDIS_URL is set, for
workers on any machine; otherwise in a background thread of the process that started them,
so the embedded default needs nothing more. Either way the same job function runs, and the
job's state lives in the database."""

from __future__ import annotations

import threading

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError

from .runner import give_up, run_job

QUEUE = "profiles-print"


def start(job_id: int) -> None:
    """Run the saved job: on the queue if there is one, else in a thread of this process."""
    app = current_app._get_current_object()
    if not app.config["REDIS_URL"]:
        threading.Thread(
            target=run_in_thread, args=(app, job_id), name=f"print-job-{job_id}", daemon=True
        ).start()
        return
    try:
        queue(app).enqueue(
            run_queued,
            job_id,
            # The job keeps its own heartbeat, and its prints their own time limits; a large
            # batch may take many minutes.
            job_timeout=-1,
            result_ttl=0,
            failure_ttl=24 * 3600,
            description=f"print job {job_id}",
        )
    except RedisError as exc:
        # Shown as stopped, with a retry, rather than waiting for ever.
        app.logger.warning("Print job %s was not queued: %s", job_id, type(exc).__name__)
        give_up(job_id)


def run_in_thread(app: Flask, job_id: int) -> None:
    """The job, in a thread of its own with the app it was started from."""
    with app.app_context():
        run_job(job_id)


def run_queued(job_id: int) -> None:
    """The job as a queue's worker runs it: inside the worker command's app."""
    run_job(job_id)


def connection(app: Flask) -> Redis:
    """A connection to the Redis named by PROFILES_REDIS_URL."""
    return Redis.from_url(app.config["REDIS_URL"])


def queue(app: Flask):
    """The print queue that every web node and worker of this installation shares."""
    # RQ is loaded only where jobs go through Redis: the embedded default never needs it.
    from rq import Queue

    return Queue(QUEUE, connection=connection(app))
