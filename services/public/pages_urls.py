"""The residents' pages under their language prefix (/es/, /ar/, ...), as a URLconf
of their own: config/urls.py serves them, and their addresses are reversed here
(services.pages.page_url). Django keeps a copy of a URLconf's addresses for each
language it reverses in; the pages' own are a few dozen, where the whole site's,
the admin's among them, are hundreds."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = i18n_patterns(path("", include("services.public.urls")))
