"""Where the files shipped with the app are: page templates, stylesheets, fonts and scripts.

In a checkout, and in an editable install, they sit at the top of the project beside the
package; a built wheel carries them inside the package (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shipped(name: str, package: Path = PACKAGE_DIR) -> Path:
    """The shipped folder with this name: inside the installed package, else beside it."""
    inside = package / name
    return inside if inside.is_dir() else package.parent / name


TEMPLATES_DIR = shipped("templates")
STATIC_DIR = shipped("static").resolve()
