from chibo.logging import clean_request_id, new_request_id, request_id_var

REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when it is a sane token), makes it
    available to log records through a contextvar, and returns it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class StripNullCharactersMiddleware:
    """Removes NUL characters from query and form values (and their names) before any view
    or middleware reads them. No browser sends one from a text field; PostgreSQL refuses them
    in text and the views that read request.POST directly would fail with a 500. A path with
    a NUL answers 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            from django.http import HttpResponseNotFound

            return HttpResponseNotFound("Không tìm thấy trang.")
        for name in ("GET", "POST"):
            values = getattr(request, name)
            if any("\x00" in key or any("\x00" in v for v in items) for key, items in values.lists()):
                clean = values.copy()
                clean.clear()
                for key, items in values.lists():
                    clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in items])
                clean._mutable = False
                setattr(request, name, clean)
        return self.get_response(request)
