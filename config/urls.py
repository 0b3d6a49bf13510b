from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from services.public import errors, pages_urls, views
from services.public.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.choose_language, name="choose-language"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sw.js", views.service_worker, name="service-worker"),
    path(
        "sitemap.xml",
        csrf_exempt(errors.safe_methods_only(sitemap)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("hsds/", include("services.opendata.urls")),
    # A page as residents would see it, for staff: the public page's own view,
    # behind the admin's sign-in.
    path(
        f"{settings.ADMIN_URL}preview/<str:model_name>/<int:pk>/<str:language>/",
        admin.site.admin_view(views.preview),
        name="staff-preview",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]
urlpatterns += pages_urls.urlpatterns

handler404 = errors.page_not_found
handler500 = errors.server_error
