"""Record ids in addresses: a whole number the database's id column can hold, or 404."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from .models import MAX_ID


class RecordId(IntegerConverter):
    """`<id:profile_id>`: an id from 1 up to the largest the database holds.

    A number beyond that is no record's id, so the address is simply not found, before
    any query could fail on a number the database cannot hold.
    """

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app) -> None:
    app.url_map.converters["id"] = RecordId
