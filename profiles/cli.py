"""The command line: import, export and render profiles."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""
