"""The import form: its label, help and messages are the words people read."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField


class ImportForm(FlaskForm):
    files = MultipleFileField(
        "Profile files",
        description="Choose one or more profile files (.json), saved from One-Page Profiles "
        "or from another system that uses the one-page profile format. If any file has a "
        "problem, nothing is imported, so you can fix it and try again.",
        validators=[FileRequired("Choose at least one profile file to import")],
        render_kw={"accept": ".json,application/json"},
    )
