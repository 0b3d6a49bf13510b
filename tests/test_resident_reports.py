"""Residents tell the guide what is wrong, and the city sees what is read, and
nobody is tracked: no cookie, no address, nothing that tells two visitors apart."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from services.feedback import counts, reports
from services.models import AuditEvent, PageCount, Problem, Report, Service
from services.workflow import actions, roles

pytestmark = pytest.mark.django_db

PAGE = "/health/mayors-health-line/"
HOST = "testserver"
ORIGIN = {"HTTP_ORIGIN": f"http://{HOST}"}


def token_of(client, language="en", page=PAGE):
    html = client.get(f"/{language}{page}").content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def send(
    client,
    language,
    *,
    problem="phone",
    comment="",
    page=PAGE,
    token=None,
    address="10.0.0.1",
    **headers,
):
    token = token if token is not None else token_of(client, language, page)
    return client.post(
        f"/{language}/report/",
        {"page": page, "token": token, "problem": problem, "comment": comment},
        REMOTE_ADDR=address,
        **{**ORIGIN, **headers},
    )


def a_person(username, group):
    from django.contrib.auth.models import User

    roles_synced = Group.objects.filter(name=group).exists()
    if not roles_synced:
        actions.roles_sync()
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_reports_in_arabic_and_somali_reach_needs_attention_with_their_language(client):
    assert send(client, "ar", comment="الرقم لا يعمل").status_code == 303
    assert (
        send(
            client, "so", comment="Lambarku ma shaqeeyo", address="10.0.0.2"
        ).status_code
        == 303
    )
    reviewer = a_person("reviewer1", roles.REVIEWER)
    client.force_login(reviewer)
    html = unescape(client.get(reverse("admin:attention")).content.decode())
    section = html.split("Reports from residents", 1)[1]
    assert "2 residents report: The phone number does not work" in section
    assert "Arabic" in section and "Somali" in section
    assert "الرقم لا يعمل" in section and "Lambarku ma shaqeeyo" in section
    service = Service.objects.get(slug="mayors-health-line")
    assert reverse("admin:services_service_change", args=[service.pk]) in section


def test_what_a_report_keeps_is_the_page_its_language_the_choice_the_words_and_the_day(
    client,
):
    send(client, "ht", comment="Nimewo a pa mache", HTTP_USER_AGENT="Phone/123")
    report = Report.objects.get()
    kept = {
        field.name: getattr(report, field.attname)
        for field in Report._meta.concrete_fields
        if getattr(report, field.attname) not in (None, "")
    }
    assert kept == {
        "id": report.pk,
        "service": Service.objects.get(slug="mayors-health-line").pk,
        "language": "ht",
        "problem": "phone",
        "comment": "Nimewo a pa mache",
        "made_on": timezone.localdate(),
    }


def test_the_thank_you_page_says_what_happens_and_what_was_not_kept(client):
    response = send(client, "es")
    thanks = client.get(response["Location"])
    with translation.override("es"):
        assert translation.gettext("What we did not keep") in unescape(
            thanks.content.decode()
        )
    assert thanks["Content-Language"] == "es"


@pytest.mark.parametrize(
    ("case", "changes", "status"),
    [
        ("no token", {"token": ""}, 400),
        ("a forged token", {"token": "x:y:z"}, 400),
        ("another page's token", {"page": "/health/emergency-rooms/"}, 400),
        ("another origin", {"HTTP_ORIGIN": "https://evil.example"}, 403),
        (
            "a cross-site post",
            {"HTTP_ORIGIN": "", "HTTP_SEC_FETCH_SITE": "cross-site"},
            403,
        ),
        ("no choice", {"problem": ""}, 400),
        ("a choice not offered", {"problem": "sql"}, 400),
        ("a page that does not exist", {"page": "/health/nothing/"}, 404),
    ],
)
def test_a_report_that_cannot_be_trusted_is_refused_with_a_message(
    client, case, changes, status
):
    token = token_of(client)
    data = {
        "page": PAGE,
        "token": token,
        "problem": "phone",
        "comment": "Keep my words",
    }
    headers = dict(ORIGIN)
    for name, value in changes.items():
        (headers if name.startswith("HTTP_") else data)[name] = value
    if case == "another page's token":
        data["token"] = token  # the token of PAGE, sent for another page
    response = client.post("/en/report/", data, REMOTE_ADDR="10.0.0.9", **headers)
    assert response.status_code == status, case
    html = unescape(response.content.decode())
    assert 'role="alert"' in html
    assert not Report.objects.exists()
    if status == 400 and case not in ("another page's token",):
        assert "Keep my words" in html  # nothing the resident wrote is lost
    assert not response.cookies


def test_an_old_form_is_refused_and_shown_again_with_a_fresh_token(client, monkeypatch):
    token = token_of(client)
    monkeypatch.setattr(reports, "TOKEN_DAYS", -1)
    response = send(client, "en", token=token, comment="My words")
    assert response.status_code == 400
    assert "too old" in unescape(response.content.decode())
    monkeypatch.setattr(reports, "TOKEN_DAYS", 3)
    fresh = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(
        1
    )
    assert send(client, "en", token=fresh, comment="My words").status_code == 303


def test_the_limit_per_page_holds_under_a_burst(client):
    token = token_of(client)
    statuses = [
        send(
            client, "en", token=token, address=f"10.1.{n // 250}.{n % 250}"
        ).status_code
        for n in range(reports.PER_PAGE_PER_HOUR + 5)
    ]
    assert statuses.count(303) == reports.PER_PAGE_PER_HOUR
    assert statuses[-5:] == [429] * 5
    assert Report.objects.count() == reports.PER_PAGE_PER_HOUR


def test_the_limit_per_connection_holds_and_keeps_no_address(client):
    token = token_of(client, page="/health/emergency-rooms/")
    statuses = [
        send(
            client,
            "en",
            token=token,
            page="/health/emergency-rooms/",
            address="10.9.9.9",
        ).status_code
        for _ in range(reports.PER_CONNECTION + 2)
    ]
    assert statuses.count(303) == reports.PER_CONNECTION
    assert statuses[-1] == 429
    assert "10.9.9.9" not in repr(reports.connections.seen)


def test_no_response_of_the_flow_sets_a_cookie(client):
    responses = [client.get(f"/ht{PAGE}")]
    responses.append(send(client, "ht"))
    responses.append(client.get(responses[-1]["Location"]))
    responses.append(send(client, "ht", token="bad"))
    token = token_of(client, "ht")
    responses.append(
        client.post(
            "/ht/useful/", {"page": PAGE, "token": token, "answer": "yes"}, **ORIGIN
        )
    )
    responses.append(client.get(responses[-1]["Location"]))
    responses.append(client.get("/ht/about/"))
    for response in responses:
        assert not response.cookies, response.request["PATH_INFO"]
        assert "Set-Cookie" not in response.headers
    assert "csrftoken" not in client.cookies


def test_counts_after_a_scripted_crawl_equal_the_pages_requested(client):
    requested = {
        ("en", "/"): 3,
        ("es", PAGE): 2,
        ("ar", PAGE): 1,
        ("so", "/about/"): 4,
        ("zh-hans", "/policies/boston-trust-act/"): 1,
    }
    for (language, page), times in requested.items():
        for _ in range(times):
            assert client.get(f"/{language}{page}").status_code == 200
    # A revisit answered "not modified" is a page read too.
    first = client.get(f"/vi{PAGE}")
    assert client.get(f"/vi{PAGE}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    requested[("vi", PAGE)] = 2
    # Searches and errors are not counted.
    client.get("/en/search/?q=clinic")
    client.get("/en/no-such-page/")
    counts.write(1)
    counted = {(row.language, row.page): row.views for row in PageCount.objects.all()}
    assert counted == requested
    # Written once: writing again adds nothing.
    counts.write(1)
    assert sum(PageCount.objects.values_list("views", flat=True)) == sum(
        requested.values()
    )


def test_five_minutes_on_a_web_process_writes_what_it_counted_and_only_that(client):
    for language, page in [("en", "/"), ("ht", PAGE), ("ht", PAGE)]:
        assert client.get(f"/{language}{page}").status_code == 200
    assert not PageCount.objects.exists()
    # Five minutes later, the next reader's request writes the counts, its own
    # included.
    counts.write_now_and_then.last -= counts.WRITE_EVERY_SECONDS
    assert client.get("/so/about/").status_code == 200
    counted = {(row.language, row.page): row.views for row in PageCount.objects.all()}
    assert counted == {("en", "/"): 1, ("ht", PAGE): 2, ("so", "/about/"): 1}
    # Taken off the counters: the full sweep finds nothing more to add.
    counts.write(1)
    assert sum(PageCount.objects.values_list("views", flat=True)) == 4


def test_useful_and_not_useful_are_counted_per_page_and_language(client):
    for answer, language in [("yes", "es"), ("no", "es"), ("no", "es"), ("yes", "ar")]:
        token = token_of(client, language)
        response = client.post(
            f"/{language}/useful/",
            {"page": PAGE, "token": token, "answer": answer},
            **ORIGIN,
        )
        assert response.status_code == 303
    counts.write(1)
    rows = {
        row.language: (row.useful, row.not_useful)
        for row in PageCount.objects.filter(kind="service")
    }
    assert rows["es"] == (1, 2)
    assert rows["ar"] == (1, 0)


def test_editing_a_record_or_still_correct_closes_its_reports_and_deletes_the_words(
    client,
):
    send(client, "en", comment="I called 617-555-0100, my name is Ana")
    send(
        client,
        "en",
        page="/health/emergency-rooms/",
        comment="Wrong address",
        address="10.0.0.3",
    )
    reviewer = a_person("reviewer2", roles.REVIEWER)
    service = Service.objects.get(slug="mayors-health-line")
    actions.content_verify(obj=service, user=reviewer)
    closed = Report.objects.get(service=service)
    assert (closed.closed_on, closed.comment) == (timezone.localdate(), "")
    still_open = Report.objects.get(closed_on=None)
    assert still_open.comment == "Wrong address"


def test_a_reviewer_deletes_a_comment_with_personal_details_and_the_report_counts(
    client,
):
    words = "Magacaygu waa Cali, 617-555-0100"
    send(client, "so", comment=words)
    report = Report.objects.get()
    remove = reverse("admin:report_remove_comment", args=[report.pk])
    attention = reverse("admin:attention")

    client.force_login(a_person("editor5", roles.EDITOR))
    assert "Delete this comment" not in client.get(attention).content.decode()
    assert client.post(remove, {"next": attention}).status_code == 403
    assert Report.objects.get().comment == words

    client.force_login(a_person("reviewer5", roles.REVIEWER))
    html = client.get(attention).content.decode()
    assert words in html and "Delete this comment" in html
    assert client.get(remove).status_code == 405
    # Sent back only to a page of this site.
    response = client.post(remove, {"next": "https://elsewhere.example/"}, follow=True)
    assert response.redirect_chain == [(attention, 302)]
    html = response.content.decode()
    assert "The comment was deleted. The report still counts." in html
    assert words not in html
    assert "1 resident reports: The phone number does not work" in unescape(html)
    assert Report.objects.get().comment == ""
    assert Report.objects.get().closed_on is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.REMOVE_COMMENT)
    assert event.username == "reviewer5"
    assert "Mayor" in event.subject and "617" not in event.subject

    # A page left open after the report went: a message, nothing changed.
    report.delete()
    response = client.post(remove, {"next": attention}, follow=True)
    assert "That report is no longer there" in response.content.decode()


def test_a_report_that_staff_asked_about_status_goes_to_reviewers_first(client):
    send(
        client,
        "es",
        problem=Problem.ASKED_STATUS,
        comment="Me preguntaron por mis papeles",
    )
    editor = a_person("editor1", roles.EDITOR)
    client.force_login(editor)
    html = client.get(reverse("admin:attention")).content.decode()
    assert "Me preguntaron por mis papeles" not in html
    reviewer = a_person("reviewer3", roles.REVIEWER)
    client.force_login(reviewer)
    html = client.get(reverse("admin:attention")).content.decode()
    first = html.split("<h2", 2)[1]
    assert "immigration status" in first and "Me preguntaron por mis papeles" in first


def test_the_charts_render_for_an_empty_month_and_a_busy_one(client):
    reviewer = a_person("reviewer4", roles.REVIEWER)
    client.force_login(reviewer)
    empty = client.get(reverse("admin:usage")).content.decode()
    assert "No page views counted for last week." in empty
    assert "<script" not in empty.split('id="content-main"', 1)[1]
    last_monday = timezone.localdate() - datetime.timedelta(
        days=timezone.localdate().weekday() + 7
    )
    for number, language in enumerate(["en", "es", "ar", "so", "ht"]):
        PageCount.objects.create(
            day=last_monday + datetime.timedelta(days=1),
            kind="service",
            page=PAGE,
            language=language,
            views=100 * (number + 1),
            not_useful=number,
        )
    busy = client.get(reverse("admin:usage")).content.decode()
    chart = busy.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    # A bar for every language, the unread ones at zero.
    assert chart.count("<rect") == 12
    assert len(re.findall(r'<rect [^>]*width="[1-9]', chart)) == 5
    assert "500" in chart and "Haitian Creole" in chart
    assert "Mayor&#x27;s Health Line" in busy or "Mayor's Health Line" in busy


def test_the_about_page_shows_the_months_totals(client):
    today = timezone.localdate()
    PageCount.objects.create(
        day=today.replace(day=1), kind="home", page="/", language="so", views=1234
    )
    html = client.get("/en/about/").content.decode()
    table = html.split('class="monthly-totals"', 1)[1].split("</table>", 1)[0]
    assert "Soomaali" in table and "1,234" in table


def test_the_command_refuses_days_it_cannot_write(capsys):
    with pytest.raises(CommandError):
        call_command("write_page_counts", "--days", "9")
    call_command("write_page_counts")
    assert "Wrote 0 page totals." in capsys.readouterr().out


def test_the_report_form_is_a_page_of_its_own_in_the_readers_language(client):
    response = client.get(f"/so/report/?page={PAGE}")
    assert response.status_code == 200 and not response.cookies
    html = response.content.decode()
    assert 'name="problem"' in html and 'lang="so"' in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert send(client, "so", token=token).status_code == 303
    missing = client.get("/so/report/?page=/nowhere/")
    assert missing.status_code == 404 and 'role="alert"' in missing.content.decode()
