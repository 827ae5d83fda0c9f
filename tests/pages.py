"""What a browser sends back from a page's form, shared by the tests and the benchmarks."""

from __future__ import annotations

from html.parser import HTMLParser


class PageForm(HTMLParser):
    """What a browser would send back from the wizard's page, untouched: every box and
    hidden field as the page has them, and the radios that are chosen."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.inside = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "wizard-form":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("hidden", "text") or (kind == "radio" and "checked" in attrs):
                self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            # A browser drops the newline that starts a text area's content.
            value = self.fields[self.textarea] + data
            self.fields[self.textarea] = value.removeprefix("\r\n").removeprefix("\n")


def form_of(html: str) -> dict[str, str]:
    parser = PageForm()
    parser.feed(html)
    return parser.fields
