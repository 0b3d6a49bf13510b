"""Writes. Views, admin actions and management commands call these."""

import datetime
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from services import sample_content, search, translation_status
from services.models import (
    Assurance,
    AuditEvent,
    Category,
    ContactPoint,
    ContentVersion,
    Document,
    Guide,
    GuideSection,
    Hotline,
    Policy,
    SearchEntry,
    Service,
    SiteProfile,
    Status,
    Step,
)


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    def count(self, bucket, model):
        name = model._meta.verbose_name_plural
        getattr(self, bucket)[name] = getattr(self, bucket).get(name, 0) + 1


class _Texts:
    """Sets every language's text of a record from the English and the translations."""

    def __init__(self, translations, sources):
        self.translations = translations
        self.sources = sources

    def apply(self, obj, key_prefix, record, fields):
        for name in fields:
            self.apply_one(obj, name, record.get(name) or "", f"{key_prefix}.{name}")
        return obj

    def apply_one(self, obj, name, english, key):
        setattr(obj, build_localized_fieldname(name, "en"), english)
        # Made from this very English? Otherwise the translation loads outdated.
        current = self.sources.get(key) == translation_status.fingerprint(english)
        for language, texts in self.translations.items():
            text = texts.get(key, "") if english else ""
            setattr(obj, build_localized_fieldname(name, language), text)
            if current:
                # No person has reviewed the sample translations yet.
                translation_status.mark(
                    obj, language, [name], translation_status.MACHINE
                )


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def sample_content_load(*, content=None, translations=None, today=None) -> LoadReport:
    """Create the sample records that are missing; never touch existing ones.

    A record is matched by its stable key (slug). If a caseworker has created or
    edited a record with that key, it is kept exactly as it is, with its children.
    """
    content = content or sample_content.read_content()
    if translations is None:
        translations = {
            code: sample_content.read_translations(code)
            for code, _name in settings.LANGUAGES
            if code != "en"
        }
    texts = _Texts(translations, sample_content.read_sources())
    report = LoadReport()
    verified_on = datetime.date.fromisoformat(content["verified_on"])
    verified = {
        "status": Status.PUBLISHED,
        "last_verified_on": verified_on,
        "verified_by": content["verified_by"],
    }

    if SiteProfile.objects.filter(pk=1).exists():
        report.count("kept", SiteProfile)
    else:
        site = content["site"]
        profile = SiteProfile(pk=1, emergency_number=site["emergency_number"])
        texts.apply(profile, "site", site, sample_content.TRANSLATED["site"])
        _save(profile)
        report.count("created", SiteProfile)

    categories = {}
    for position, record in enumerate(content["categories"], start=1):
        category = Category.objects.filter(slug=record["slug"]).first()
        if category:
            report.count("kept", Category)
        else:
            category = Category(slug=record["slug"], icon=record["icon"])
            category.sort_order = position * 10
            texts.apply(
                category,
                f"category.{record['slug']}",
                record,
                sample_content.TRANSLATED["category"],
            )
            _save(category)
            report.count("created", Category)
        categories[record["slug"]] = category

    policies = {}
    for record in content["policies"]:
        policy = Policy.objects.filter(slug=record["slug"], draft_of=None).first()
        if policy:
            report.count("kept", Policy)
        else:
            policy = Policy(
                slug=record["slug"],
                citation=record["citation"],
                official_url=record["official_url"],
                in_force_since=record["in_force_since"],
                verification_note=record["note"],
                **verified,
            )
            texts.apply(
                policy,
                f"policy.{record['slug']}",
                record,
                sample_content.TRANSLATED["policy"],
            )
            _save(policy)
            report.count("created", Policy)
        policies[record["slug"]] = policy

    for position, record in enumerate(content["services"], start=1):
        if Service.objects.filter(slug=record["slug"], draft_of=None).exists():
            report.count("kept", Service)
            continue
        _create_service(
            record,
            position=position,
            category=categories[record["category"]],
            policies=policies,
            texts=texts,
            verified=verified,
        )
        report.count("created", Service)

    for position, record in enumerate(content["guides"], start=1):
        if Guide.objects.filter(slug=record["slug"], draft_of=None).exists():
            report.count("kept", Guide)
            continue
        prefix = f"guide.{record['slug']}"
        guide = Guide(
            slug=record["slug"],
            category=categories.get(record["category"]),
            source_url=record["source_url"],
            verification_note=record["note"],
            sort_order=position * 10,
            **verified,
        )
        texts.apply(guide, prefix, record, sample_content.TRANSLATED["guide"])
        _save(guide)
        for number, section_record in enumerate(record["sections"], start=1):
            section = GuideSection(guide=guide, position=number)
            texts.apply(
                section,
                f"{prefix}.sections.{number}",
                section_record,
                sample_content.TRANSLATED["section"],
            )
            _save(section)
        report.count("created", Guide)

    for position, record in enumerate(content["hotlines"], start=1):
        if Hotline.objects.filter(slug=record["slug"]).exists():
            report.count("kept", Hotline)
            continue
        hotline = Hotline(
            slug=record["slug"],
            phone=record["phone"],
            website=record["website"],
            sort_order=position * 10,
            last_verified_on=verified_on,
            verification_note=record["note"],
        )
        texts.apply(
            hotline,
            f"hotline.{record['slug']}",
            record,
            sample_content.TRANSLATED["hotline"],
        )
        _save(hotline)
        report.count("created", Hotline)

    return report


def _create_service(record, *, position, category, policies, texts, verified):
    prefix = f"service.{record['slug']}"
    service = Service(
        slug=record["slug"],
        category=category,
        interpreters=record["interpreters"],
        website=record["website"],
        verification_note=record["note"],
        sort_order=position * 10,
        **verified,
    )
    texts.apply(service, prefix, record, sample_content.TRANSLATED["service"])
    _save(service)
    for number, text in enumerate(record["steps"], start=1):
        step = Step(service=service, position=number)
        texts.apply_one(step, "text", text, f"{prefix}.steps.{number}")
        _save(step)
    for number, document_record in enumerate(record["documents"], start=1):
        document = Document(
            service=service,
            position=number,
            is_alternative=document_record["is_alternative"],
        )
        texts.apply(
            document,
            f"{prefix}.documents.{number}",
            document_record,
            sample_content.TRANSLATED["document"],
        )
        _save(document)
    for number, contact_record in enumerate(record["contacts"], start=1):
        contact = ContactPoint(
            service=service,
            position=number,
            phone=contact_record["phone"],
            address=contact_record["address"],
            last_verified_on=verified["last_verified_on"],
        )
        texts.apply(
            contact,
            f"{prefix}.contacts.{number}",
            contact_record,
            sample_content.TRANSLATED["contact"],
        )
        _save(contact)
    for number, assurance_record in enumerate(record["assurances"], start=1):
        policy_slug = assurance_record["policy"]
        assurance = Assurance(
            service=service,
            position=number,
            kind=assurance_record["kind"],
            policy=policies[policy_slug] if policy_slug else None,
            source_url=assurance_record["source_url"],
            last_verified_on=verified["last_verified_on"],
        )
        texts.apply(
            assurance,
            f"{prefix}.assurances.{number}",
            assurance_record,
            sample_content.TRANSLATED["assurance"],
        )
        _save(assurance)
    return service


def translations_note_edit(*, obj, changed_fields, initial, minor, reviewed) -> None:
    """Update a record's translation states for an edit about to be saved.

    Text typed in a language counts as translated by a person from today's English.
    A real change to the English leaves every translation outdated (nothing to do:
    the fingerprints no longer match); a minor edit carries current ones over.
    `reviewed` lists languages a person checked as a whole in this save.
    """
    fields = translation_status.translated_fields(type(obj))
    changed = set(changed_fields)
    if minor:
        old_english = {
            name: initial.get(build_localized_fieldname(name, "en")) or ""
            for name in fields
            if build_localized_fieldname(name, "en") in changed
        }
        translation_status.carry_over(obj, old_english)
    for language in translation_status.TARGET_LANGUAGES:
        typed = [
            name
            for name in fields
            if build_localized_fieldname(name, language) in changed
        ]
        if language in reviewed:
            typed = fields
        if typed:
            translation_status.mark(obj, language, typed, translation_status.REVIEWED)


def content_version_bump() -> None:
    """Mark all content as changed now: cached public pages are rebuilt."""
    ContentVersion.objects.update_or_create(
        pk=1, defaults={"changed_at": timezone.now()}
    )


def roles_sync() -> None:
    """Create or update the role groups with exactly the permissions of roles.py."""
    from django.contrib.auth.models import Group, Permission

    from services.roles import ROLES

    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for codename in codenames:
            app_label, _dot, code = (
                codename.partition(".")
                if "." in codename
                else ("services", "", codename)
            )
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=code)
            )
        group.permissions.set(permissions)


# The parts copied with a record into its draft copy, and back when published.
DRAFT_PARTS = {
    Service: ("steps", "documents", "contacts", "assurances"),
    Guide: ("sections",),
    Policy: (),
}
# A change to these fields of a policy means the services citing it need review.
POLICY_SOURCE_FIELDS = {"citation", "official_url", "in_force_since"} | {
    build_localized_fieldname(name, "en") for name in ("name", "summary", "limits")
}


def audit(user, action, obj=None) -> None:
    AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=user.get_username() if user else "",
        action=action,
        subject=f"{obj._meta.verbose_name}: {obj}"[:300] if obj is not None else "",
    )


def _parts(obj):
    for relation in DRAFT_PARTS[type(obj)]:
        manager = getattr(obj, relation)
        yield manager.field.name, list(manager.all())


@transaction.atomic
def draft_start(*, original, user):
    """A working copy of a published record, with its parts; the original stays."""
    existing = original.drafts.first()
    if existing is not None:
        return existing
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Draft copy started")
        draft = type(original).objects.get(pk=original.pk)
        draft.pk = draft.id = None
        draft._state.adding = True
        draft.draft_of = original
        draft.status = Status.DRAFT
        draft.save()
        for parent_field, parts in _parts(original):
            for part in parts:
                part.pk = part.id = None
                part._state.adding = True
                setattr(part, parent_field, draft)
                part.save()
    audit(user, AuditEvent.Action.DRAFT, original)
    return draft


@transaction.atomic
def content_publish(*, obj, user):
    """Publish a record; a draft copy replaces its original, keeping its address."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Published")
        if obj.draft_of_id is None:
            obj.status = Status.PUBLISHED
            obj.save()
            published = obj
        else:
            published = obj.draft_of
            for _parent_field, parts in _parts(published):
                for part in parts:
                    part.delete()
            for parent_field, parts in _parts(obj):
                for part in parts:
                    setattr(part, parent_field, published)
                    part.save()
            keep = {"id", "draft_of", "status", "updated_at"}
            for model_field in obj._meta.concrete_fields:
                if model_field.name not in keep:
                    setattr(
                        published,
                        model_field.attname,
                        getattr(obj, model_field.attname),
                    )
            published.status = Status.PUBLISHED
            obj.delete()
            published.save()
    audit(user, AuditEvent.Action.PUBLISH, published)
    return published


@transaction.atomic
def content_verify(*, obj, user) -> None:
    """Record that a person checked this today and it is still correct.

    Nothing else changes: no text, no translation state.
    """
    today = timezone.localdate()
    obj.last_verified_on = today
    obj.verified_by = (user.get_full_name() or user.get_username())[:200]
    obj.needs_review_reason = ""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Confirmed still correct")
        obj.save()
        if isinstance(obj, Service):
            for assurance in obj.assurances.all():
                assurance.last_verified_on = today
                assurance.needs_review = False
                assurance.save()
            for contact in obj.contacts.all():
                contact.last_verified_on = today
                contact.save()
    audit(user, AuditEvent.Action.VERIFY, obj)


def policy_flag_dependents(*, policy) -> int:
    """A rule changed: every service and assurance citing it needs review."""
    assurances = Assurance.objects.filter(policy=policy)
    assurances.update(needs_review=True)
    reason = f"The rule “{policy.name_en}” changed on {timezone.localdate():%Y-%m-%d}."
    return (
        Service.objects.filter(assurances__policy=policy)
        .distinct()
        .update(needs_review_reason=reason[:300])
    )


SEARCHED_FIELDS = {
    Service: ("name", ("name", "summary", "offers", "eligibility")),
    Guide: ("title", ("title", "summary")),
}


def _search_entries(obj):
    """The search entries of one service or guide, one per language, unsaved."""
    model = type(obj)
    owner = "service" if model is Service else "guide"
    name_field, fields = SEARCHED_FIELDS[model]
    sections = list(obj.sections.all()) if model is Guide else []
    entries = []
    for code, _name in settings.LANGUAGES:
        languages = dict.fromkeys([code, "en"])

        def texts(record, names, languages=languages):
            return [
                translation_status.text_in(record, name, language)
                for name in names
                for language in languages
            ]

        body = texts(obj, fields)
        for section in sections:
            body += texts(section, ("heading", "body"))
        entries.append(
            SearchEntry(
                language=code,
                name=search.fold(" ".join(texts(obj, (name_field,)))),
                text=search.fold(" ".join(body)),
                **{owner: obj},
            )
        )
    return entries


def search_index_update(*, obj) -> None:
    """Refresh the search entries of one service or guide, in every language."""
    owner = "service" if isinstance(obj, Service) else "guide"
    SearchEntry.objects.filter(**{owner: obj}).delete()
    if obj.draft_of_id is None:  # a working copy is never searched; its original is
        SearchEntry.objects.bulk_create(_search_entries(obj))


@transaction.atomic
def search_index_rebuild() -> int:
    """Rebuild every search entry, for example after a bulk import."""
    SearchEntry.objects.all().delete()
    count = 0
    batch = []
    records = [
        Service.objects.filter(draft_of=None).iterator(chunk_size=1000),
        Guide.objects.filter(draft_of=None).prefetch_related("sections"),
    ]
    for queryset in records:
        for obj in queryset:
            batch += _search_entries(obj)
            count += 1
            if len(batch) >= 5000:
                SearchEntry.objects.bulk_create(batch)
                batch = []
    SearchEntry.objects.bulk_create(batch)
    return count
