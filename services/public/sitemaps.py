"""`/sitemap.xml`: every public page in every language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from services.models import Category, Guide, Policy, Service


class GuideSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class FixedPages(GuideSitemap):
    def items(self):
        return ["services:home", "services:about"]

    def location(self, item):
        return reverse(item)


class Categories(GuideSitemap):
    def items(self):
        return Category.objects.order_by("sort_order", "slug").only("slug")


class Services(GuideSitemap):
    def items(self):
        return (
            Service.objects.published()
            .filter(draft_of__isnull=True)
            .select_related("category")
            .only("slug", "category__slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


class Policies(GuideSitemap):
    def items(self):
        return Policy.objects.published().filter(draft_of__isnull=True).only("slug")


class Guides(GuideSitemap):
    def items(self):
        return Guide.objects.published().filter(draft_of__isnull=True).only("slug")


SITEMAPS = {
    "pages": FixedPages,
    "categories": Categories,
    "services": Services,
    "policies": Policies,
    "guides": Guides,
}
