"""What the commands share: finding a profile by id and writing a file, with plain errors."""

from __future__ import annotations

from pathlib import Path

import click

from .models import Profile
from .services import find_profile


def profile_or_exit(profile_id: int) -> Profile:
    """The profile with this id, or a message and exit status 1."""
    profile = find_profile(profile_id)
    if profile is None:
        raise click.ClickException(
            f"There is no profile with the id {profile_id}. Check the id and try again."
        )
    return profile


def write_or_exit(path: Path, data: bytes) -> None:
    """Write the file, or a message and exit status 1."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"Could not write {path}: {exc.strerror}.") from None
