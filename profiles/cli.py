"""The command line: import, export and render profiles (the contract is in the README)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register each area's commands on the app's CLI."""
    from .accounts.commands import create_admin_command, sign_in_link_command
    from .printing.commands import render_command
    from .transfer.commands import export_command, import_command

    for command in (
        import_command,
        export_command,
        render_command,
        create_admin_command,
        sign_in_link_command,
    ):
        app.cli.add_command(command)
