from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import LocalePrefixPattern, URLResolver, include, path

from services import views
from services.sitemaps import SITEMAPS

# The pages first: Django tries the patterns in order, and nearly every request
# is for a page. What i18n_patterns(path("", include("services.urls"))) makes,
# in one resolver instead of two nested ones: each level of resolving costs a
# page's address a match object of its own.
urlpatterns = [
    URLResolver(
        LocalePrefixPattern(),
        "services.urls",
        app_name="services",
        namespace="services",
    ),
]
urlpatterns += [
    path("", views.choose_language, name="choose-language"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sw.js", views.service_worker, name="service-worker"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("hsds/", include("services.hsds_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler404 = "services.views.page_not_found"
handler500 = "services.views.server_error"
