from django.urls import path, re_path

from services.opendata import views

app_name = "hsds"

# Open Referral HSDS 3.0 endpoints: see services/opendata/hsds.py.
urlpatterns: list = [
    path("", views.index, name="index"),
    # Before the languages: no language is called "profile".
    path("profile/", views.profile, name="profile"),
    path("<str:language>/", views.dataset, name="dataset"),
    path("<str:language>/services/", views.service_list, name="service-list"),
    path(
        "<str:language>/services/<str:service_id>/",
        views.service_detail,
        name="service-detail",
    ),
    path(
        "<str:language>/services/<str:service_id>/assurances/",
        views.service_assurances,
        name="service-assurances",
    ),
    path(
        "<str:language>/organizations/",
        views.organization_list,
        name="organization-list",
    ),
    path(
        "<str:language>/organizations/<str:organization_id>/",
        views.organization_detail,
        name="organization-detail",
    ),
    # Anything else under /hsds/ ending in a slash: a JSON 404, not the HTML page.
    # (Without the slash, CommonMiddleware first adds it.)
    re_path(r"^(?P<rest>.*/)$", views.not_found, name="not-found"),
]
