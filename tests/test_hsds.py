"""The Open Referral HSDS 3.0 export: valid, complete, and never a secret address."""

import copy
import datetime
import functools
import json
import math
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from jsonschema import Draft202012Validator, FormatChecker

from services.models import (
    LIMIT_KINDS,
    Assurance,
    AssuranceKind,
    ContactPoint,
    Document,
    Service,
    Status,
    Step,
)
from services.opendata import hsds
from services.workflow.actions import copy_of
from tests.conftest import LANGUAGE_CODES

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data" / "hsds"
# A service: its id, the service and its four kinds of parts, the city, today's
# alerts and next holidays, and the ETag (the content version and the alerts).
QUERY_BUDGET = 10


# --- Validation against the official schemas ------------------------------------


def _forbid_additional_properties(node):
    """As upstream validates: no property an HSDS object does not define."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            node.setdefault("additionalProperties", False)
            for schema in node["properties"].values():
                _forbid_additional_properties(schema)
        for key in ("items", "$defs", "definitions", "allOf", "anyOf", "oneOf"):
            if key in node:
                _forbid_additional_properties(node[key])
    elif isinstance(node, list):
        for item in node:
            _forbid_additional_properties(item)


FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value):
    return not isinstance(value, str) or bool(datetime.datetime.fromisoformat(value))


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value):
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value):
    return not isinstance(value, str) or str(uuid.UUID(value)) == value


@functools.cache
def validator(name):
    """A Draft 2020-12 validator (the HSDS OpenAPI dialect) of a compiled schema."""
    path = DATA / "schema" / "compiled" / f"{name}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema = copy.deepcopy(schema)
    _forbid_additional_properties(schema)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS)


def assert_valid(name, instance):
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: e.path)
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in errors[:10]
    )


def strings(value):
    """Every key and every string value, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def expected_slugs():
    return list(
        Service.objects.published()
        .filter(draft_of=None)
        .order_by("sort_order", "slug")
        .values_list("slug", flat=True)
    )


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"] == "application/json", url
    assert not response.cookies, f"{url} set a cookie"
    return response.json()


def export(tmp_path, *args):
    call_command("export_hsds", "-o", str(tmp_path), *args, verbosity=0)
    return tmp_path


def package(directory):
    descriptor = json.loads((directory / "datapackage.json").read_text("utf-8"))
    return descriptor, {
        resource["name"]: json.loads((directory / resource["path"]).read_text("utf-8"))
        for resource in descriptor["resources"]
    }


def every_api_document(client, language):
    """Every answer of the API in a language: index, lists, each service."""
    documents = [get_json(client, "/hsds/"), get_json(client, f"/hsds/{language}/")]
    listing = get_json(client, f"/hsds/{language}/services/?per_page=200")
    documents.append(listing)
    for item in listing["contents"]:
        base = f"/hsds/{language}/services/{item['id']}/"
        documents += [get_json(client, base), get_json(client, base + "assurances/")]
    organizations = get_json(client, f"/hsds/{language}/organizations/")
    documents.append(organizations)
    for item in organizations["contents"]:
        url = f"/hsds/{language}/organizations/{item['id']}/"
        documents.append(get_json(client, url))
    return documents


# --- The harness itself ---------------------------------------------------------


def test_the_strict_schemas_accept_the_official_examples_and_nothing_extra():
    example = json.loads((DATA / "examples" / "service_full.json").read_text("utf-8"))
    assert_valid("service", example)
    organization = json.loads(
        (DATA / "examples" / "organization_full.json").read_text("utf-8")
    )
    assert_valid("organization", organization)
    assert not validator("service").is_valid({**example, "assurances": []})
    nested = copy.deepcopy(example)
    nested["service_at_locations"][0]["location"]["addresses"][0]["secret"] = "x"
    assert not validator("service").is_valid(nested)


# --- Content ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_language_exports_valid_hsds(language):
    ds = hsds.dataset(language)
    pairs = hsds.all_services(ds)
    assert [service.slug for service, _data in pairs] == expected_slugs()
    for _service, data in pairs:
        assert_valid("service", data)
    page = hsds.service_page(ds, page=1, per_page=hsds.MAX_PAGE_SIZE)
    for item in page["contents"]:
        assert_valid("service", item)
    organization = hsds.organization_detail(ds, ds.organization_id)
    assert_valid("organization", organization)
    assert [s["id"] for s in organization["services"]] == [
        data["id"] for _service, data in pairs
    ]


def test_ids_are_the_same_in_every_language_and_every_export():
    english = [data["id"] for _s, data in hsds.all_services(hsds.dataset("en"))]
    again = [data["id"] for _s, data in hsds.all_services(hsds.dataset("en"))]
    arabic = [data["id"] for _s, data in hsds.all_services(hsds.dataset("ar"))]
    assert english == again == arabic
    assert len(set(english)) == len(english)
    city = uuid.uuid5(hsds.ID_NAMESPACE, "city:boston")
    assert english[0] == str(uuid.uuid5(city, f"service:{expected_slugs()[0]}"))


def test_the_mapping_of_a_service():
    ds = hsds.dataset("en")
    service = Service.objects.get(slug="public-schools", draft_of=None)
    data = hsds.service_detail(ds, ds.service_id(service))
    assert data["name"] == service.name_en
    assert data["description"].startswith(service.summary_en)
    assert data["status"] == "active"
    assert data["url"] == service.website
    # No person has checked the sample yet: no date says one did.
    assert "assured_date" not in data
    assert data["eligibility_description"] == service.eligibility_en
    assert data["organization_id"] == data["organization"]["id"]
    assert [d["document"] for d in data["required_documents"]] == [
        d.name_en for d in service.documents.all()
    ]
    assert data["application_process"].startswith("1. ")
    location = data["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == "2300 Washington St"
    assert location["addresses"][0]["city"] == "Roxbury"
    assert location["addresses"][0]["state_province"] == "MA"
    assert datetime.datetime.fromisoformat(data["last_modified"]).tzinfo

    hotline = Service.objects.get(slug="safelink", draft_of=None)
    data = hsds.service_detail(ds, ds.service_id(hotline))
    assert [p["number"] for p in data["phones"]] == [
        c.phone for c in hotline.contacts.all()
    ]
    schedule = data["schedules"][0]
    assert schedule["service_id"] == data["id"]
    assert schedule["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert (schedule["opens_at"], schedule["closes_at"]) == ("00:00", "23:59")
    assert schedule["description"] == "SafeLink hotline: Every day: Open 24 hours"
    assert data["interpretation_services"].startswith("You can ask for a free")
    assert "service_at_locations" not in data


def test_text_is_what_a_reader_of_the_language_sees():
    from services.translations.state import shown

    for language in ("es", "ar", "zh-hant"):
        ds = hsds.dataset(language)
        for service, data in hsds.all_services(ds):
            assert data["name"] == shown(service, "name", language)[0].strip()


def test_assurances_are_attributes_and_extension_records():
    ds = hsds.dataset("es")
    service = Service.objects.get(slug="public-schools", draft_of=None)
    assurances = list(
        Assurance.objects.filter(service=service).select_related("policy")
    )
    assert assurances
    data = hsds.service_detail(ds, ds.service_id(service))
    extension = hsds.service_assurances(ds, ds.service_id(service))
    records = extension["assurances"]
    assert extension["extension"] == hsds.EXTENSION_NAME
    statements = [
        attribute
        for attribute in data["attributes"]
        if attribute["link_type"] == hsds.ASSURANCE_LINK_TYPE
    ]
    assert len(statements) == len(records) == len(assurances)
    for attribute, record in zip(statements, records, strict=True):
        assert attribute["id"] == record["id"]
        assert attribute["link_id"] == record["service_id"] == data["id"]
        assert attribute["value"] == record["statement"]
        assert attribute["taxonomy_term"]["code"] == record["kind"]
        assert record["kind"] in AssuranceKind.values
        assert record["source_url"].startswith("https://")
        assert record["last_verified_on"] is None  # nobody has checked the sample
        if record["kind"] not in LIMIT_KINDS:
            assert record["rule"]["name"] and record["rule"]["url"]
    by_kind = {a.kind: a for a in assurances}
    first = records[0]
    assurance = by_kind[first["kind"]]
    if assurance.policy:
        assert first["rule"]["citation"] == assurance.policy.citation_es


def test_a_check_a_person_recorded_is_the_date_the_dataset_gives(django_user_model):
    from services.workflow import actions

    staff_user = django_user_model.objects.create_superuser(username="rita")
    service = Service.objects.get(slug="public-schools", draft_of=None)
    actions.content_verify(obj=service, user=staff_user)
    ds = hsds.dataset("en")
    data = hsds.service_detail(ds, ds.service_id(service))
    today = timezone.localdate().isoformat()
    assert data["assured_date"] == today
    records = hsds.service_assurances(ds, ds.service_id(service))["assurances"]
    assert {record["last_verified_on"] for record in records} == {today}


def test_each_machine_translated_text_carries_a_note_in_the_datasets_language():
    service = Service.objects.get(slug="public-schools", draft_of=None)
    english = hsds.dataset("en")
    assert not [
        attribute
        for attribute in hsds.service_detail(english, english.service_id(service))[
            "attributes"
        ]
        if attribute["link_type"] == hsds.TRANSLATION_LINK_TYPE
    ]
    ds = hsds.dataset("es")
    with translation.override("es"):
        data = hsds.service_detail(ds, ds.service_id(service))
        note = gettext("Translated by a machine and not yet checked by a person:")
    notes = [
        attribute["value"]
        for attribute in data["attributes"]
        if attribute["link_type"] == hsds.TRANSLATION_LINK_TYPE
    ]
    # The sample's translations are all machine drafts: every text is noted.
    assert f"{note} {service.name_es}" in notes
    assert f"{note} {service.assurances.first().statement_es}" in notes
    records = hsds.service_assurances(ds, ds.service_id(service))["assurances"]
    assert all(record["statement_machine_translated"] for record in records)
    # Once a person reviews a text, its note goes.
    service.translation_status["es"]["name"][0] = "reviewed"
    service.save()
    data = hsds.service_detail(ds, ds.service_id(service))
    assert not any(
        service.name_es in attribute.get("value", "")
        for attribute in data["attributes"]
        if attribute["link_type"] == hsds.TRANSLATION_LINK_TYPE
    )


# --- What never appears -----------------------------------------------------------


def test_drafts_and_records_in_review_never_appear(client, tmp_path):
    original = Service.objects.get(slug="public-schools", draft_of=None)
    # Even a published-looking copy stays out.
    draft = copy_of(
        original, draft_of=original, status=Status.PUBLISHED, name_en="DRAFT COPY NAME"
    )
    draft.save()
    for status, name in ((Status.DRAFT, "DRAFT SERVICE"), (Status.IN_REVIEW, "REVIEW")):
        Service.objects.create(
            category=original.category,
            slug=f"hidden-{status}",
            name_en=f"{name} NAME",
            summary_en="Not public.",
            status=status,
        )
    hidden = ("DRAFT COPY NAME", "DRAFT SERVICE NAME", "REVIEW NAME")

    for language in ("en", "es"):
        for document in every_api_document(client, language):
            for text in strings(document):
                assert not any(name in text for name in hidden), text
    for _descriptor, files in map(package, export(tmp_path).iterdir()):
        for text in strings(files):
            assert not any(name in text for name in hidden), text
    ds = hsds.dataset("en")
    for slug in ("hidden-draft", "hidden-in_review"):
        get_json(client, f"/hsds/en/services/{ds.id(f'service:{slug}')}/", status=404)
    listing = get_json(client, "/hsds/en/services/?per_page=200")
    assert listing["total_items"] == len(expected_slugs())


def test_confidential_addresses_never_appear_anywhere(client, tmp_path):
    # Before: the export does carry ordinary addresses, so the test can see one.
    ds = hsds.dataset("en")
    schools = Service.objects.get(slug="public-schools", draft_of=None)
    before = json.dumps(hsds.service_detail(ds, ds.service_id(schools)))
    assert "2300 Washington St" in before

    # A confidential service (both its addresses) and a confidential contact point.
    shelters = Service.objects.get(slug="city-shelters", draft_of=None)
    shelters.confidential_location = True
    shelters.save()
    contact = schools.contacts.exclude(address="").first()
    contact.is_confidential = True
    contact.meeting_point_en = "Call first; staff will tell you where to meet."
    contact.save()
    safelink = Service.objects.get(slug="safelink", draft_of=None)
    ContactPoint.objects.create(
        service=safelink,
        position=9,
        name_en="Shelter intake",
        phone="617-555-0100",
        address="12 Hidden Lane, Boston, MA 02118",
        is_confidential=True,
    )
    secrets = [
        "2300 Washington",
        "794 Massachusetts",
        "112 Southampton",
        "Hidden Lane",
        "02118",
    ]

    documents = []
    for language in LANGUAGE_CODES:
        documents += every_api_document(client, language)
    for _descriptor, files in map(package, export(tmp_path).iterdir()):
        documents.append(files)
    assert len(list(tmp_path.iterdir())) == len(LANGUAGE_CODES)
    for document in documents:
        for text in strings(document):
            assert not any(secret in text for secret in secrets), text

    ds = hsds.dataset("en")
    schools_data = hsds.service_detail(ds, ds.service_id(schools))
    location = schools_data["service_at_locations"][0]["location"]
    assert set(location) == {"id", "location_type", "name", "description"}
    assert location["description"].startswith("Call first")
    shelters_data = hsds.service_detail(ds, ds.service_id(shelters))
    for sal in shelters_data.get("service_at_locations", []):
        assert "addresses" not in sal["location"]
        assert "latitude" not in sal["location"]
    safelink_data = hsds.service_detail(ds, ds.service_id(safelink))
    assert "617-555-0100" in [phone["number"] for phone in safelink_data["phones"]]
    assert_valid("service", schools_data)


# --- The API ------------------------------------------------------------------------


def test_service_list_pages(client):
    slugs = expected_slugs()
    first = get_json(client, "/hsds/fr/services/?per_page=4")
    pages = math.ceil(len(slugs) / 4)
    assert first["total_items"] == len(slugs)
    assert first["total_pages"] == pages
    assert (first["page_number"], first["size"]) == (1, 4)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    ids = [item["id"] for item in first["contents"]]
    for number in range(2, pages + 1):
        page = get_json(client, f"/hsds/fr/services/?per_page=4&page={number}")
        assert page["page_number"] == number and not page["first_page"]
        ids += [item["id"] for item in page["contents"]]
    assert page["last_page"]
    ds = hsds.dataset("fr")
    assert ids == [ds.id(f"service:{slug}") for slug in slugs]
    for item in first["contents"]:
        assert not {"phones", "service_at_locations", "attributes"} & set(item)


def test_organizations_and_indexes(client):
    index = get_json(client, "/hsds/")
    assert len(index["datasets"]) == len(LANGUAGE_CODES)
    assert {d["language"] for d in index["datasets"]} >= {"pt-BR", "zh-Hans"}
    dataset = get_json(client, "/hsds/pt-br/")
    assert dataset["version"] == "3.0"
    organizations = get_json(client, "/hsds/pt-br/organizations/")
    assert organizations["total_items"] == 1
    org_id = organizations["contents"][0]["id"]
    assert org_id == dataset["organization_id"]
    organization = get_json(client, f"/hsds/pt-br/organizations/{org_id}/")
    assert_valid("organization", organization)
    assert client.get("/hsds/pt-br/services/")["Content-Language"] == "pt-BR"


# A well-formed id that no record has.
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/hsds/xx/", 404),
        ("/hsds/xx/services/", 404),
        ("/hsds/EN/services/", 404),
        ("/hsds/en/services/not-a-uuid/", 404),
        (f"/hsds/en/services/{NO_SUCH_ID}/", 404),
        (f"/hsds/en/services/{NO_SUCH_ID}/assurances/", 404),
        (f"/hsds/en/organizations/{NO_SUCH_ID}/", 404),
        ("/hsds/en/organizations/nope/", 404),
        ("/hsds/en/nothing-here/", 404),
        ("/hsds/en/services/?page=0", 400),
        ("/hsds/en/services/?page=-1", 400),
        ("/hsds/en/services/?page=abc", 400),
        ("/hsds/en/services/?page=1.5", 400),
        ("/hsds/en/services/?per_page=0", 400),
        ("/hsds/en/services/?per_page=100000", 400),
        ("/hsds/en/services/?page=99999", 404),
        ("/hsds/en/organizations/?page=2", 404),
        ("/hsds/en/services/?page=" + "9" * 400, 404),
    ],
)
def test_bad_requests_get_a_clear_json_error(client, url, status):
    body = get_json(client, url, status=status)
    assert body["status"] == status
    assert body["error"]


def test_the_api_is_read_only(client):
    response = client.post("/hsds/en/services/")
    assert response.status_code == 405
    assert response.json()["error"]
    assert "GET" in response["Allow"]
    assert client.head("/hsds/en/services/").status_code == 200


def _add_services(count):
    template = Service.objects.get(slug="public-schools", draft_of=None)
    for number in range(count):
        service = Service.objects.create(
            category=template.category,
            slug=f"extra-{number}",
            name_en=f"Extra {number}",
            summary_en="More.",
            status=Status.PUBLISHED,
            interpreters=True,
        )
        Step.objects.create(service=service, text_en="Call.")
        Document.objects.create(service=service, name_en="Any ID")
        ContactPoint.objects.create(
            service=service, name_en="Desk", phone="311", address="1 A St, Boston, MA"
        )
        Assurance.objects.create(
            service=service,
            kind=AssuranceKind.CANNOT_CONTROL,
            statement_en="Limits.",
            source_url="https://example.org/",
            last_verified_on=datetime.date(2026, 11, 1),
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_each_request_runs_a_few_queries_however_many_services(
    client, django_assert_max_num_queries
):
    ds = hsds.dataset("vi")
    service_id = ds.service_id(Service.objects.get(slug="safelink", draft_of=None))
    urls = [
        "/hsds/vi/",
        "/hsds/vi/services/?per_page=200",
        f"/hsds/vi/services/{service_id}/",
        f"/hsds/vi/services/{service_id}/assurances/",
        "/hsds/vi/organizations/",
        f"/hsds/vi/organizations/{ds.organization_id}/",
    ]
    for url in urls:
        with django_assert_max_num_queries(QUERY_BUDGET):
            assert client.get(url).status_code == 200
    before = [_queries(client, url) for url in urls]
    _add_services(25)
    assert [_queries(client, url) for url in urls] == before


# --- The command ----------------------------------------------------------------------


def test_the_command_writes_a_valid_package_per_language(tmp_path):
    export(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(LANGUAGE_CODES)
    slugs = expected_slugs()
    for language in LANGUAGE_CODES:
        descriptor, files = package(tmp_path / language)
        assert descriptor["profile"] == "data-package"
        assert descriptor["hsds_version"] == "3.0"
        assert descriptor["name"].endswith(f"-{language}")
        assert len(files["services"]) == len(slugs)
        for service in files["services"]:
            assert_valid("service", service)
        for organization in files["organizations"]:
            assert_valid("organization", organization)
        extension = files["assurances"]
        assert extension["extension"] == hsds.EXTENSION_NAME
        attributes = {
            attribute["id"]: attribute["value"]
            for service in files["services"]
            for attribute in service.get("attributes", [])
            if attribute["link_type"] == hsds.ASSURANCE_LINK_TYPE
        }
        records = {r["id"]: r["statement"] for r in extension["assurances"]}
        assert records == attributes
        assert set(extension["assurances"][0]) == {
            "id",
            "service_id",
            "kind",
            "kind_label",
            "statement",
            "statement_language",
            "statement_machine_translated",
            "rule",
            "source_url",
            "last_verified_on",
        }


def test_the_command_exports_one_language(tmp_path):
    export(tmp_path, "--language", "so")
    assert [p.name for p in tmp_path.iterdir()] == ["so"]
    api = hsds.service_page(hsds.dataset("so"), per_page=200)["contents"]
    _descriptor, files = package(tmp_path / "so")
    assert [s["id"] for s in files["services"]] == [s["id"] for s in api]


def test_the_command_refuses_bad_arguments(tmp_path):
    with pytest.raises(CommandError, match="-o"):
        call_command("export_hsds")
    with pytest.raises(CommandError, match="Unknown language xx"):
        call_command("export_hsds", "-o", str(tmp_path), "--language", "xx")
    a_file = tmp_path / "file.json"
    a_file.write_text("{}")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("export_hsds", "-o", str(a_file))
