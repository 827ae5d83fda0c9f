"""The command line: import, export and render profiles (the contract is in the README)."""

import atexit
import gc

import click
from flask import Flask

from .accounts.commands import create_admin_command, forget_expired_sessions_command
from .batch.commands import render_many_command, worker_command
from .printing.commands import render_command
from .reviews.commands import reviews_due_command
from .staff.commands import sign_in_link_command
from .transfer.commands import export_command, import_command

COMMANDS = (
    import_command,
    export_command,
    render_command,
    render_many_command,
    worker_command,
    reviews_due_command,
    create_admin_command,
    sign_in_link_command,
    forget_expired_sessions_command,
)


def init_app(app: Flask) -> None:
    """Register each area's commands on the app's CLI."""
    for command in COMMANDS:
        app.cli.add_command(command)
    if click.get_current_context(silent=True) is not None:
        # Built for the command line: the process ends with its one command. What it has
        # imported by then is never garbage, so the collection as it exits need not walk
        # it (a quarter of a second of every command).
        atexit.register(gc.freeze)
