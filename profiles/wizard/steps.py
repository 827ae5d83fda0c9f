"""The wizard's steps for a profile: about, key facts (for kinds that ask for them), one per
section, photo, agreement, review."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Profile
from ..services import get_kind
from .agreement import CURRENT, agreement


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    done: bool = False  # saved with something in it (for the last step: marked ready)


def profile_steps(profile: Profile) -> list[Step]:
    """The steps in order; sections follow the profile's own order and headings.

    Key facts come straight after the person, where a hospital passport's NHS number and
    next of kin are asked for while the person's details are at hand.
    """
    kind = get_kind(profile.kind)
    facts = [Step("facts", "Key facts", done=bool(profile.facts))] if kind.facts else []
    return [
        Step("about", "About the person", done=bool(profile.name)),
        *facts,
        *(
            Step(s.key, s.heading or kind.section(s.key).heading("en"), done=bool(s.statements))
            for s in profile.sections
        ),
        Step("photo", "Photo", done=profile.photo is not None),
        # Asked once the profile is written, so that what is agreed is what it says.
        Step("agree", "Agreement", done=agreement(profile) == CURRENT),
        Step("review", "Check and print", done=profile.status == "ready"),
    ]


def neighbour(steps: list[Step], name: str, offset: int) -> str:
    """The step before (offset -1) or after (+1) this one, staying within the wizard."""
    names = [s.name for s in steps]
    index = max(0, min(len(names) - 1, names.index(name) + offset))
    return names[index]
