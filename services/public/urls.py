from django.urls import path

from services.public import views

app_name = "services"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("policies/<slug:slug>/", views.policy, name="policy"),
    path("guides/<slug:slug>/", views.guide, name="guide"),
    path("referral/<str:services>/", views.referral, name="referral"),
    path("report/", views.report, name="report"),
    path("report/sent/", views.report_sent, name="report_sent"),
    path("useful/", views.useful, name="useful"),
    path("useful/sent/", views.useful_sent, name="useful_sent"),
    path("<slug:slug>/", views.category, name="category"),
    path("<slug:category>/<slug:slug>/", views.service, name="service"),
    path(
        "<slug:category>/<slug:slug>/print/", views.service_print, name="service_print"
    ),
]
