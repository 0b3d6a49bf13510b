"""`/sitemap.xml`: every public page in every language, with hreflang alternates."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from services.models import Category, Guide, Policy, Service
from services.pages import page_url


class GuideSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class FixedPages(GuideSitemap):
    def items(self) -> list[str]:
        return ["services:home", "services:about"]

    def location(self, item: str) -> str:
        return page_url(item)


class Categories(GuideSitemap):
    def items(self) -> QuerySet[Category]:
        return Category.objects.order_by("sort_order", "slug").only("slug")


class Services(GuideSitemap):
    def items(self) -> QuerySet[Service]:
        return (
            Service.objects.published()
            .filter(draft_of__isnull=True)
            .select_related("category")
            .only("slug", "category__slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Service) -> datetime.datetime:
        return item.updated_at


class Policies(GuideSitemap):
    def items(self) -> QuerySet[Policy]:
        return Policy.objects.published().filter(draft_of__isnull=True).only("slug")


class Guides(GuideSitemap):
    def items(self) -> QuerySet[Guide]:
        return Guide.objects.published().filter(draft_of__isnull=True).only("slug")


SITEMAPS = {
    "pages": FixedPages,
    "categories": Categories,
    "services": Services,
    "policies": Policies,
    "guides": Guides,
}
