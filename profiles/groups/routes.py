"""Views for groups: the list, one group's profiles, renaming and deleting."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from . import bp
from .forms import DeleteGroupForm, GroupForm, MembersForm
from .services import (
    all_profiles,
    by_name,
    create_group,
    delete_group,
    get_group,
    groups_with_counts,
    rename_group,
    set_members,
)


@bp.route("", methods=["GET", "POST"])
def index():
    """Every group with how many profiles it holds, and a form to make one."""
    form = GroupForm()
    if form.validate_on_submit():
        group = create_group(form.name.data)
        flash(f"The group “{group.name}” was made. Now choose who is in it.", "success")
        return redirect(url_for(".show", group_id=group.id))
    return render_template(
        "groups/index.html", form=form, groups=groups_with_counts()
    ), 400 if form.errors else 200


@bp.route("/<id:group_id>", methods=["GET", "POST"])
def show(group_id: int):
    """A group's profiles, and checkboxes to choose who is in it."""
    group = get_group(group_id)
    profiles = all_profiles()
    form = MembersForm()
    form.profiles.choices = [SelectChoice(p.id, p.name) for p in profiles]
    if form.validate_on_submit():
        set_members(group, form.profiles.data)
        count = len(group.profiles)
        flash(f"Saved: {count} profile{'' if count == 1 else 's'} in “{group.name}”.", "success")
        return redirect(url_for(".show", group_id=group.id))
    if not form.is_submitted():
        form.profiles.data = [p.id for p in group.profiles]
    return render_template(
        "groups/show.html", group=group, members=by_name(group.profiles), form=form
    ), 400 if form.errors else 200


@bp.route("/<id:group_id>/rename", methods=["GET", "POST"])
def rename(group_id: int):
    """Give a group another name."""
    group = get_group(group_id)
    form = GroupForm(group=group, data={"name": group.name})
    if form.validate_on_submit():
        rename_group(group, form.name.data)
        flash(f"The group is now called “{group.name}”.", "success")
        return redirect(url_for(".show", group_id=group.id))
    return render_template(
        "groups/rename.html", group=group, form=form
    ), 400 if form.errors else 200


@bp.route("/<id:group_id>/delete", methods=["GET", "POST"])
def delete(group_id: int):
    """Ask before deleting a group, then delete it; its profiles stay."""
    group = get_group(group_id)
    form = DeleteGroupForm()
    if form.validate_on_submit():
        name = group.name
        delete_group(group)
        flash(f"The group “{name}” was deleted. Its profiles were not changed.", "success")
        return redirect(url_for(".index"))
    return render_template("groups/delete.html", group=group, form=form)
