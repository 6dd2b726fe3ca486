"""Reading an admin form back into the data a browser would post, for the licensing tests."""

from bs4 import BeautifulSoup


def posted_fields(form):
    """The fields of the BeautifulSoup `form`, as a browser would post them unchanged."""
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            data[name] = field.string or ""
        elif field.name == "select":
            # A browser posts the first option of a single select when none is marked selected.
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            # A ticked box without a value is sent as "on" by browsers.
            default = "on" if field.get("type") in ("checkbox", "radio") else ""
            data[name] = field.get("value", default)
    return data


def parse(html):
    return BeautifulSoup(html, "html.parser")
