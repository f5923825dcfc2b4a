from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from chibo import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
]

if settings.CHIBO_BENCH_BARE_VIEW:
    # The load test's reference: the cheapest Django view on the same stack (off by default).
    def bare(request):
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare/", bare, name="bench_bare"))
