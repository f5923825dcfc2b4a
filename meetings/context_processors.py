from meetings.permissions import access_for

# The menu entry each page belongs to, by URL namespace (and, where one namespace feeds two
# entries, by URL name), so the menu can mark the current page with aria-current.
_SECTIONS = {
    "plans": "plans",
    "topics": "plans",
    "meetings": "meetings",
    "minutes": "meetings",
    "library": "library",
    "calendar": "calendar",
    "members": "members",
    "dashboard": "dashboard",
    "archive": "dashboard",
    "notifications": "notifications",
}
_BY_NAME = {
    ("minutes", "verify"): "verify",
    ("portal", "tasks"): "tasks",
    ("reports", "cell_list"): "reports",
    ("reports", "cell_correct"): "reports",
}


def nav_section(match) -> str:
    if match is None:
        return ""
    namespace, name = match.namespace, match.url_name or ""
    if (namespace, name) in _BY_NAME:
        return _BY_NAME[(namespace, name)]
    if namespace == "portal":
        return "tasks" if name.startswith("contribution") else "calendar"
    if namespace == "reports":
        return "inbox"
    if not namespace:
        return "home" if name == "home" else ""
    return _SECTIONS.get(namespace, "")


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"access": access_for(user), "nav_section": nav_section(getattr(request, "resolver_match", None))}
