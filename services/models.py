"""The guide's content: what a service offers and what it does about status.

Translated fields (see translation.py) get one column per language from
django-modeltranslation; slugs stay untranslated so one URL works in every language.
"""

import datetime
import re
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES
from services.hours import week as hours_week
from services.pages import page_url

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

phone_validator = RegexValidator(
    regex=r"^\+?[0-9][0-9 ().-]{1,24}$",
    message=_(
        "Enter a phone number with digits, spaces, dashes or brackets, "
        "for example 617-635-4500 or 911."
    ),
)


# Category addresses share the URL space with the site's fixed pages.
RESERVED_SLUGS = frozenset(
    {"about", "search", "policies", "guides", "print", "referral", "report", "useful"}
)


def validate_category_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("%(slug)s is the address of another page; choose another."),
            params={"slug": value},
        )


def phone_to_tel(number: str) -> str:
    """The dialable form of a displayed number, for `tel:` links."""
    return re.sub(r"[^0-9+]", "", number)


# A check is due at the latest ten years on: every database stores the date.
MAX_REVIEW_INTERVAL_DAYS = 3650
# The longest text a field holds where the English needs no tighter limit: far
# more than any text of the guide, and still a page a phone can load. A content
# file is held to the same limits (services/content_io/importer.py).
LONG_TEXT = 10_000
# The days a record can be checked or a rule be in force: no rule of the guide
# is older, none is planned centuries ahead, and a check's next due date (the
# day plus the interval) is still a date every database stores.
EARLIEST_DAY = datetime.date(1800, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)
DAY_VALIDATORS = [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft (not public)")
    IN_REVIEW = "in_review", _("In review (not public yet)")
    PUBLISHED = "published", _("Published")


_V = TypeVar("_V", bound="Verified")


class PublishedQuerySet(models.QuerySet[_V]):
    def published(self) -> Self:
        """What residents may see: published records, never a working copy."""
        return self.filter(status=Status.PUBLISHED, draft_of__isnull=True)

    def due_for_review(self, *, today: datetime.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.filter(Q(review_due_on__lte=today) | Q(last_verified_on=None))


# Named, so that each kind of record below can give its manager's type.
PublishedManager = models.Manager.from_queryset(PublishedQuerySet)


class Translatable(models.Model):
    """A record whose texts are translated, with the state of each translation.

    ``translation_status`` maps a language to its translated fields, each with who
    made it (a machine or a person) and a fingerprint of the English it was made
    from: ``{"es": {"summary": ["reviewed", "3f2a9c0e1b7d"]}}``. Whether a
    translation is missing or outdated is worked out from it, never ticked by hand
    (see services/translations/state.py).
    """

    translation_status = models.JSONField(
        _("translation status"), default=dict, blank=True, editable=False
    )
    # Also tells the admin whether someone else saved since a form was opened.
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class Verified(Translatable):
    """When a person last checked a record against its source, and when to again."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Only published records are shown to residents."),
    )
    last_verified_on = models.DateField(
        _("last verified on"),
        validators=DAY_VALIDATORS,
        null=True,
        blank=True,
        help_text=_(
            "The day a person last checked this against its official source. "
            "Residents see this date. Set by 'Still correct' or by publishing with "
            "a check, never typed in."
        ),
    )
    verified_by = models.CharField(
        _("verified by"),
        max_length=200,
        blank=True,
        help_text=_("Who checked it: a name or a team."),
    )
    sources_gathered_on = models.DateField(
        _("sources gathered on"),
        validators=DAY_VALIDATORS,
        null=True,
        blank=True,
        help_text=_(
            "The day its facts were gathered, before any person checked them. "
            "Residents see it until someone does."
        ),
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("check again every (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEW_INTERVAL_DAYS)],
        help_text=_(
            "How often this must be checked again. 180 days is six months; at "
            "most 3650 days (ten years)."
        ),
    )
    review_due_on = models.DateField(
        _("review due on"),
        null=True,
        editable=False,
        db_index=True,
        help_text=_("Worked out from the last check and the interval."),
    )
    verification_note = models.TextField(
        _("note for reviewers"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Internal: what to re-check and where. Never shown to residents."),
    )
    draft_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        related_name="drafts",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("draft of"),
        help_text=_(
            "A working copy of a published record: the published one stays public "
            "until a reviewer publishes this copy over it."
        ),
    )
    needs_review_reason = models.CharField(
        _("needs review because"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Set when a rule this relies on changed; cleared when checked."),
    )
    # What Django adds for draft_of, declared for type checkers, which do not
    # follow a relation of an abstract model to itself: its column, and a record's
    # draft copies.
    draft_of_id: int | None
    drafts: "RelatedManager[Self]"

    # Each kind of record below declares the type of its own manager:
    # modeltranslation replaces this one with a class it makes as the app starts,
    # so type checkers would otherwise know it only as a manager of Verified.
    objects = PublishedManager()

    class Meta(Translatable.Meta):
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Stored rather than computed in queries so the admin can filter and sort
        # on it with the same SQL on SQLite and PostgreSQL.
        self.review_due_on = (
            self.last_verified_on + datetime.timedelta(days=self.review_interval_days)
            if self.last_verified_on
            else None
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "last_verified_on" in update_fields:
            kwargs["update_fields"] = {*update_fields, "review_due_on"}
        super().save(*args, **kwargs)


class Icon(models.TextChoices):
    SCHOOL = "school", _("School")
    EMERGENCY = "emergency", _("Emergency")
    HEALTH = "health", _("Health care")
    FOOD = "food", _("Food")
    HOME = "home", _("Housing and shelter")
    LEGAL = "legal", _("Legal help")
    BOOK = "book", _("Libraries and learning")
    CITY = "city", _("City services")
    RIGHTS = "rights", _("Your rights")


class Category(Translatable):
    slug = models.SlugField(
        _("web address"),
        max_length=60,
        unique=True,
        validators=[validate_category_slug],
        help_text=_(
            "The last part of the page's address, the same in every language. "
            "Lowercase letters, digits and dashes."
        ),
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(
        _("short description"),
        max_length=200,
        blank=True,
        help_text=_("One line shown under the name on the home page."),
    )
    search_words = models.CharField(
        _("words residents search with"),
        max_length=300,
        blank=True,
        help_text=_(
            "Other words for its services that residents type, separated by "
            "commas: school, schools, enrolment. Search finds every service of "
            "the category by them. Never shown on a page."
        ),
    )
    icon = models.CharField(_("icon"), max_length=20, choices=Icon.choices)
    sort_order = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_url("services:category", slug=self.slug)


class Policy(Verified):
    """A rule a service's assurance rests on: an ordinance, a ruling, a statute."""

    slug = models.SlugField(_("web address"), max_length=80)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example: Boston Trust Act.")
    )
    citation = models.CharField(
        _("citation"),
        max_length=200,
        blank=True,
        help_text=_("The formal reference, for example 477 Mass. 517 (2017)."),
    )
    summary = models.TextField(
        _("what it does"),
        max_length=LONG_TEXT,
        help_text=_("In plain words: what the rule requires, for whom."),
    )
    limits = models.TextField(
        _("what it does not do"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_(
            "What the rule does not cover or cannot promise. Residents rely on this."
        ),
    )
    official_url = models.URLField(
        _("official source"),
        max_length=500,
        help_text=_("A link to the text of the rule on an official site."),
    )
    in_force_since = models.DateField(
        _("in force since"), null=True, blank=True, validators=DAY_VALIDATORS
    )

    objects: ClassVar[PublishedManager["Policy"]]

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(draft_of__isnull=True),
                name="policy_slug_unique",
                violation_error_message=_("Another record already has this address."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_url("services:policy", slug=self.slug)


class OperatingStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    MOVED = "moved", _("Moved")
    ENDED = "ended", _("No longer offered")


class Service(Verified):
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("category"),
    )
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        help_text=_(
            "The last part of the page's address, the same in every language. "
            "Lowercase letters, digits and dashes."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences: what this service is, in plain words."),
    )
    offers = models.TextField(
        _("what it offers"),
        blank=True,
        max_length=LONG_TEXT,
        help_text=_("What a resident can get here."),
    )
    eligibility = models.TextField(
        _("who can use it"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_(
            "Who qualifies. Say plainly when immigration status does not matter."
        ),
    )
    cost = models.CharField(
        _("cost"), max_length=200, blank=True, help_text=_("For example: Free.")
    )
    interpreters = models.BooleanField(
        _("free interpreters"),
        default=False,
        help_text=_("Tick if the service offers a free interpreter."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    confidential_location = models.BooleanField(
        _("confidential location"),
        default=False,
        help_text=_(
            "Tick for a place whose address must never be published, such as a "
            "domestic-violence shelter. Residents, handouts and every export then "
            "see only phone numbers and meeting points, never an address."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first.")
    )
    operating_status = models.CharField(
        _("running or not"),
        max_length=20,
        choices=OperatingStatus.choices,
        default=OperatingStatus.RUNNING,
        help_text=_(
            "Residents see it at the top of the page, on the handout, on referral "
            "cards and in search results."
        ),
    )
    closed_from = models.DateField(
        _("closed from"),
        null=True,
        blank=True,
        validators=DAY_VALIDATORS,
        help_text=_("For a temporary closure: its first day."),
    )
    closed_until = models.DateField(
        _("closed until"),
        null=True,
        blank=True,
        validators=DAY_VALIDATORS,
        help_text=_(
            "Its last day. Empty: until further notice. From the day after, the "
            "page says it is running again, without anyone editing it."
        ),
    )
    status_note = models.CharField(
        _("why, or where to go instead"),
        max_length=300,
        blank=True,
        help_text=_("For example: Closed for repairs. Shown beside the status."),
    )
    moved_to = models.URLField(
        _("moved to"),
        max_length=500,
        blank=True,
        help_text=_("Where the service is now, when it has moved."),
    )

    objects: ClassVar[PublishedManager["Service"]]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["sort_order", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(draft_of__isnull=True),
                name="service_slug_unique",
                violation_error_message=_("Another record already has this address."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_url("services:service", category=self.category.slug, slug=self.slug)

    def clean(self) -> None:
        super().clean()
        closing = self.operating_status == OperatingStatus.TEMPORARILY_CLOSED
        if closing and not self.closed_from:
            raise ValidationError(
                {"closed_from": _("Give the first day of the closure.")}
            )
        if (
            self.closed_from
            and self.closed_until
            and self.closed_until < self.closed_from
        ):
            raise ValidationError(
                {"closed_until": _("The last day comes before the first day.")}
            )
        if self.operating_status == OperatingStatus.MOVED and not self.moved_to:
            raise ValidationError(
                {"moved_to": _("Give the address of the page where it is now.")}
            )

    def closure_on(self, day: datetime.date) -> bool:
        """Whether a temporary closure covers this day."""
        return (
            self.operating_status == OperatingStatus.TEMPORARILY_CLOSED
            and self.closed_from is not None
            and self.closed_from <= day
            and (self.closed_until is None or day <= self.closed_until)
        )

    def is_running_on(self, day: datetime.date) -> bool:
        return self.operating_status not in (
            OperatingStatus.MOVED,
            OperatingStatus.ENDED,
        ) and not self.closure_on(day)


class Step(Translatable):
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("service"),
    )
    position = models.PositiveSmallIntegerField(_("step number"), default=1)
    text = models.TextField(_("what to do"), max_length=500)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("how to get it (steps)")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:40]}"


class Document(Translatable):
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("service"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(
        _("document"),
        max_length=300,
        help_text=_("For example: a passport from any country."),
    )
    is_alternative = models.BooleanField(
        _("alternative document"),
        default=False,
        help_text=_(
            "Tick when this is accepted in place of the usual papers, for someone "
            "who has no government ID or proof of address."
        ),
    )

    class Meta:
        verbose_name = _("document accepted")
        verbose_name_plural = _("what to bring (documents accepted)")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ContactPoint(Translatable):
    """One way to reach a service: a phone line, an office, or both."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("service"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("For example: Hotline, TTY, or Welcome Center, Roxbury."),
    )
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[phone_validator]
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Street address as it appears on a letter."),
    )
    opening_hours = models.JSONField(
        _("opening hours"),
        default=dict,
        blank=True,
        validators=[hours_week.validate],
        help_text=_(
            "For each day: closed, open 24 hours, by appointment, or the times it "
            "opens. Residents see whether it is open now."
        ),
    )
    closed_on_holidays = models.BooleanField(
        _("closed on city holidays"),
        default=False,
        help_text=_("Tick if it closes on the city's holidays (see Holidays)."),
    )
    hours = models.CharField(
        _("note on the hours"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only what the hours above cannot say, for example: Last entry 30 "
            "minutes before closing."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_confidential = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_(
            "Tick to keep this address out of every public page, handout and "
            "export. Give a meeting point or an intake phone instead."
        ),
    )
    meeting_point = models.CharField(
        _("meeting point"),
        max_length=300,
        blank=True,
        help_text=_(
            "Where to meet instead of the address, for example: Call first; staff "
            "will tell you where to meet."
        ),
    )
    last_verified_on = models.DateField(
        _("last verified on"),
        validators=DAY_VALIDATORS,
        null=True,
        blank=True,
        help_text=_("The day a person last checked this phone number or address."),
    )

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("how to reach it (contact points)")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(address=""),
                name="contact_point_has_phone_or_address",
                violation_error_message=_("Give a phone number, an address, or both."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tel(self) -> str:
        return phone_to_tel(self.phone)

    @property
    def is_address_private(self) -> bool:
        return self.is_confidential or self.service.confidential_location

    @property
    def public_address(self) -> str:
        """The address residents may see: none for a confidential place."""
        return "" if self.is_address_private else self.address


class AssuranceKind(models.TextChoices):
    OPEN_TO_ALL = "open_to_all", _("Open whatever your immigration status")
    DOES_NOT_ASK = "does_not_ask", _("Does not ask about immigration status")
    DOES_NOT_RECORD = "does_not_record", _("Does not record immigration status")
    SHARES_ONLY_BY_LAW = (
        "shares_only_by_law",
        _("Shares information only when a court order or law requires it"),
    )
    LIMITS_SHARING = (
        "limits_sharing",
        _("Limits what it shares, as its rule says"),
    )
    DOES_NOT_ENFORCE = (
        "does_not_enforce",
        _("Does not take part in civil immigration enforcement"),
    )
    DOES_NOT_HOLD = (
        "does_not_hold",
        _("No holding on a civil immigration detainer alone"),
    )
    OFFERS_INTERPRETATION = "offers_interpretation", _("Offers free interpretation")
    FEDERAL_LAW_REQUIRES = "federal_law_requires", _("Required by law")
    DOES_NOT_PROMISE = "does_not_promise", _("What this service does not promise")
    CANNOT_CONTROL = "cannot_control", _("What the city cannot control")


# The limits of what a service says, shown after what it does: first what the
# service itself does not promise, then what is beyond the city's control.
LIMIT_KINDS = (AssuranceKind.DOES_NOT_PROMISE, AssuranceKind.CANNOT_CONTROL)


class Assurance(Translatable):
    """One statement of what a service does about immigration status, and why."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="assurances",
        verbose_name=_("service"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=30, choices=AssuranceKind.choices)
    statement = models.TextField(
        _("statement"),
        max_length=600,
        help_text=_(
            "What this service does, in plain words. Name who does it and under "
            "which rule. Never promise what the city cannot control: no 'safe "
            "zone', no 'ICE cannot come', no 'never shared'."
        ),
    )
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        related_name="assurances",
        null=True,
        blank=True,
        verbose_name=_("rule it rests on"),
        help_text=_("The policy, law or ruling this statement rests on."),
    )
    source_url = models.URLField(
        _("source"),
        max_length=500,
        help_text=_("Where a resident or reviewer can read it for themselves."),
    )
    last_verified_on = models.DateField(
        _("last verified on"),
        validators=DAY_VALIDATORS,
        null=True,
        blank=True,
        help_text=_("The day a person last checked this statement against its source."),
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("Set when the rule it rests on changed; cleared when checked."),
    )

    class Meta:
        verbose_name = _("assurance")
        verbose_name_plural = _("your safety (assurances)")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_url=""),
                name="assurance_has_source",
                violation_error_message=_("Every assurance needs a source link."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LIMIT_KINDS) | Q(policy__isnull=False),
                name="assurance_names_its_rule",
                violation_error_message=_(
                    "Name the rule this statement rests on (only what the service "
                    "does not promise, or the city cannot control, may go without "
                    "one)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def limit_section(self) -> int:
        """0 for what the service does; then 1 and 2, the sections of LIMIT_KINDS."""
        kind = AssuranceKind(self.kind)
        return LIMIT_KINDS.index(kind) + 1 if kind in LIMIT_KINDS else 0


class Guide(Verified):
    """A longer page, such as Know your rights."""

    slug = models.SlugField(_("web address"), max_length=80)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        related_name="guides",
        null=True,
        blank=True,
        verbose_name=_("category"),
        help_text=_("Also list this guide on a category page."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=400)
    attribution = models.CharField(
        _("based on"),
        max_length=300,
        blank=True,
        help_text=_("Credit the organisation whose material this guide adapts."),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("position"), default=0)

    objects: ClassVar[PublishedManager["Guide"]]

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["sort_order", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(draft_of__isnull=True),
                name="guide_slug_unique",
                violation_error_message=_("Another record already has this address."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_url("services:guide", slug=self.slug)


class GuideSection(Translatable):
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("guide"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=LONG_TEXT,
        help_text=_("Plain text. Leave an empty line between paragraphs."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading


# The parts of a record, declared once. A draft copy and publishing, the content
# file, the PO files and the translation states all follow these relations; the
# admin shows each with an inline.
RECORD_PARTS: dict[type[models.Model], tuple[str, ...]] = {
    Service: ("assurances", "documents", "steps", "contacts"),
    Guide: ("sections",),
}


def field_of(model: type[models.Model], name: str) -> models.Field:
    """A field of the model's own, by name (not a relation that points to it)."""
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"“{name}” is not a field of {model.__name__}.")
    return found


def target_of(field: models.Field) -> type[models.Model]:
    """The model a relation points to ("self" is resolved once models are loaded)."""
    target = field.related_model
    if not isinstance(target, type):
        raise TypeError(f"{field} points to no model.")
    return target


def part_link(model: type[models.Model], relation: str) -> models.ForeignKey:
    """The foreign key by which a part points to its record: Step.service for
    (Service, "steps")."""
    found = model._meta.get_field(relation)
    if not isinstance(found, models.ManyToOneRel):
        raise TypeError(f"“{relation}” is not a kind of part of {model.__name__}.")
    return found.field


def parts_of(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """(relation, model) of each part of a record: [("steps", Step), ...]."""
    return [
        (relation, part_link(model, relation).model)
        for relation in RECORD_PARTS.get(model, ())
    ]


class Holiday(Translatable):
    """A day the city's offices close. Contact points marked "closed on city
    holidays" show as closed on it, in every language, without a note."""

    slug = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("The holiday and its year, for example thanksgiving-2027."),
    )
    day = models.DateField(_("day"), unique=True, validators=DAY_VALIDATORS)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("city holiday")
        verbose_name_plural = _("city holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class Alert(Translatable):
    """A dated notice: for the whole site, a category or one service. It shows
    from its start to its end, and then is gone without anyone editing it."""

    slug = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("A short name for the alert, for example snow-closure-2027-01."),
    )
    text = models.CharField(
        _("text"),
        max_length=300,
        help_text=_("One or two sentences: what changed, and what to do."),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
        verbose_name=_("category"),
        help_text=_("Show it on this category and its services' pages."),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
        verbose_name=_("service"),
        help_text=_("Show it on this service's page. Neither: on every page."),
    )
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"))

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="alert_ends_after_it_starts",
                violation_error_message=_("An alert must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(service__isnull=True),
                name="alert_for_one_place",
                violation_error_message=_("Choose a category or a service, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def place(self) -> str:
        if self.service_id:
            return str(self.service)
        if self.category_id:
            return str(self.category)
        return str(_("Every page"))


class Hotline(Translatable):
    """A number shown across the site: 911, 311, legal help lines."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, validators=[phone_validator])
    description = models.CharField(
        _("what it is for"), max_length=300, help_text=_("Who should call, and when.")
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    is_published = models.BooleanField(_("shown on the site"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("position"), default=0)
    last_verified_on = models.DateField(
        _("last verified on"),
        validators=DAY_VALIDATORS,
        null=True,
        blank=True,
        help_text=_(
            "The day a person last called or checked this number. Empty until "
            "someone has."
        ),
    )
    verification_note = models.TextField(
        _("note for reviewers"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Internal: what to re-check and where. Never shown to residents."),
    )

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"

    @property
    def tel(self) -> str:
        return phone_to_tel(self.phone)


class SiteProfile(Translatable):
    """The city running this copy of the guide. There is exactly one."""

    city_name = models.CharField(_("city"), max_length=100)
    site_name = models.CharField(_("site name"), max_length=150)
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=20,
        default="911",
        validators=[phone_validator],
    )
    emergency_note = models.CharField(
        _("emergency note"),
        max_length=300,
        help_text=_(
            "One line shown beside the emergency number on every page. Say what "
            "the police do and do not do, and what the city cannot control."
        ),
    )
    interpreter_note = models.CharField(
        _("interpreter note"),
        max_length=300,
        help_text=_("How a resident gets a free interpreter."),
    )
    operator = models.TextField(
        _("who runs this site"),
        max_length=LONG_TEXT,
        help_text=_("Shown on the About page."),
    )
    disclaimer = models.TextField(
        _("disclaimer"),
        max_length=LONG_TEXT,
        help_text=_("Shown at the foot of every page. Not legal advice, and so on."),
    )

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")
        # What each role may do with the content (see services/roles.py); they sit
        # here because they concern the whole guide, not one kind of record.
        permissions = [
            ("publish_content", _("Can publish and unpublish content")),
            ("verify_content", _("Can record that content was checked")),
            ("edit_source", _("Can edit English and untranslated fields")),
            *[
                (f"translate_{code.replace('-', '_')}", f"Can translate into {name}")
                for code, name in LANGUAGES
                if code != "en"
            ],
        ]
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="site_profile_singleton")
        ]

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def emergency_tel(self) -> str:
        return phone_to_tel(self.emergency_number)


class ContentVersion(models.Model):
    """When any content last changed: the key of every cached public page.

    Bumped by every save or delete of content (services/signals.py), so a
    caseworker's edit shows at once on every worker and every host.
    """

    changed_at = models.DateTimeField(_("content last changed"))

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content version")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="content_version_singleton")
        ]

    def __str__(self) -> str:
        return self.changed_at.isoformat()


class AuditEvent(models.Model):
    """Who signed in, and who published what. Keeps no network address."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")
        SIGN_OUT = "sign_out", _("signed out")
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")
        VERIFY = "verify", _("confirmed still correct")
        DRAFT = "draft", _("started a draft copy")
        IMPORT_TRANSLATIONS = "import_translations", _("imported translations")
        REMOVE_COMMENT = "remove_comment", _("removed a resident's comment")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.CharField(_("what"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"


class TranslationUpload(models.Model):
    """A translated PO file between its check and its import.

    Kept on the server so that confirming sends a short signed reference, not
    the file again; only the person who uploaded it may confirm it, and it is
    removed after a day (services/translations/actions.py).
    """

    text = models.TextField(_("file"))
    language = models.CharField(_("language"), max_length=10)
    made_by = models.CharField(
        _("translated by"),
        max_length=20,
        choices=[
            ("reviewed", _("a person (translator or vendor)")),
            ("machine", _("a machine, not yet reviewed")),
        ],
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("translation upload")
        verbose_name_plural = _("translation uploads")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.language} {self.created:%Y-%m-%d %H:%M}"


class SearchEntry(models.Model):
    """The folded text of a service or guide in one language, for search.

    Kept up to date on every save (services/signals.py); `manage.py
    rebuild_search_index` rebuilds it whole. Holds the language's text and the
    English, since every record has English.
    """

    language = models.CharField(_("language"), max_length=10)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entries",
        verbose_name=_("service"),
    )
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entries",
        verbose_name=_("guide"),
    )
    name = models.TextField(_("name, folded"))
    text = models.TextField(_("text, folded"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, guide__isnull=True)
                | Q(service__isnull=True, guide__isnull=False),
                name="search_entry_for_one_record",
            ),
            models.UniqueConstraint(
                fields=["language", "service"], name="search_entry_service_language"
            ),
            models.UniqueConstraint(
                fields=["language", "guide"], name="search_entry_guide_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.name}"


class Problem(models.TextChoices):
    """What a resident can report about a page."""

    PHONE = "phone", _("The phone number does not work")
    HOURS = "hours", _("The hours are wrong")
    CLOSED = "closed", _("It is closed or has moved")
    ASKED_STATUS = "asked_status", _("They asked about my immigration status")
    TRANSLATION = "translation", _("The translation is hard to understand")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """A resident's report that something on a page is wrong.

    Holds only the page, its language, the choice, the comment and the day:
    nothing about who sent it (see services/feedback/).
    """

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("service"),
    )
    policy = models.ForeignKey(
        Policy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("policy"),
    )
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("guide"),
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    problem = models.CharField(_("what is wrong"), max_length=20, choices=Problem)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    made_on = models.DateField(_("sent on"), db_index=True)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("Set when someone edits the record or confirms it still correct."),
    )

    class Meta:
        verbose_name = _("resident report")
        verbose_name_plural = _("resident reports")
        ordering = ["-made_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(service__isnull=False, policy__isnull=True, guide__isnull=True)
                    | Q(service__isnull=True, policy__isnull=False, guide__isnull=True)
                    | Q(service__isnull=True, policy__isnull=True, guide__isnull=False)
                ),
                name="report_about_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.made_on} {self.get_problem_display()}"

    @property
    def record(self) -> "Service | Policy | Guide":
        found = self.service or self.policy or self.guide
        assert found is not None  # noqa: S101 (the constraint above)
        return found


class PageCount(models.Model):
    """How often a page was read in a language on a day, and how many readers
    said it was useful or not. Totals only: no address, browser, referrer, time
    of day or order of pages, so no visit can be rebuilt from them."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind of page"), max_length=20)
    page = models.CharField(_("page"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    views = models.PositiveIntegerField(_("views"), default=0)
    useful = models.PositiveIntegerField(_("useful"), default=0)
    not_useful = models.PositiveIntegerField(_("not useful"), default=0)

    class Meta:
        verbose_name = _("page count")
        verbose_name_plural = _("page counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "page", "language"], name="page_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.language} {self.page}: {self.views}"
