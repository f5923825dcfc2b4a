"""Warm-up of a serving process: what Django otherwise does on a worker's first requests.

gunicorn (deploy/gunicorn.conf.py) loads the application in the master and calls this before
forking the workers, so each worker, including one recycled after `max_requests`, answers
its first request at full speed instead of spending most of a second importing views and
compiling templates (the load test's logins, all cold, waited up to 2 s for that).
"""

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)


def _template_names(directory: Path):
    for path in sorted(directory.rglob("*")):
        if path.suffix in (".html", ".txt") and path.is_file():
            yield str(path.relative_to(directory))


def warm_up() -> int:
    """Imports every view (URL resolver) and the PDF renderer, compiles the project's
    templates and the form templates; leaves no database connection open (the caller forks)."""
    import crispy_bootstrap5
    import django.forms
    from django.conf import settings
    from django.db import connections
    from django.forms.renderers import get_default_renderer
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver

    started = time.monotonic()
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view module)
    import meetings.documents.minutes  # noqa: F401 (WeasyPrint and its fonts: the slowest import)

    project = engines["django"].get_template
    forms = get_default_renderer().get_template  # Django's form widgets have their own engine
    sources = [(Path(d), project) for d in settings.TEMPLATES[0]["DIRS"]]
    sources += [
        (Path(crispy_bootstrap5.__file__).parent / "templates", project),
        (Path(django.forms.__file__).parent / "templates", forms),
    ]
    compiled = 0
    for directory, get_template in sources:
        for name in _template_names(directory):
            try:
                get_template(name)
            except (TemplateSyntaxError, TemplateDoesNotExist):
                log.exception("Template %s does not compile", name)
            else:
                compiled += 1
    connections.close_all()
    log.info("Warm-up: %s templates compiled in %.1f s", compiled, time.monotonic() - started)
    return compiled
