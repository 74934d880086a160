"""The seeded demo's forms, submitted as their users would: once with valid values, once blank.

For every demo login (each role ``seed_demo`` creates, in both demo tenants;
the consultant in each tenant it belongs to), the pages of the reading crawl
(``test_demo_pages.crawl``) are read and every ``<form method="post">`` on
them is parsed and submitted the way a browser submits it, following
redirects:

* **valid**: the fields keep their current values and selected options; an
  empty required field gets what a user would type for its type and name
  (today for a date, the minimum or 1 for a number, a demo-like address for
  an e-mail, the first suggestion of a suggesting box, the first real option
  of a select, a small PDF for a file). Refused with 400, the user tries
  again the way people do: filling the optional fields too (free text last),
  then choosing the next options of each list, then on another row of the
  same form (another partner, another member). The answer must be a 200 page that says what
  happened: a flash message, a download, or (the few forms in
  ``SAYS_WITHOUT_MESSAGE``) what the page shows by itself.
* **blank**: every field a user fills (not the hidden ones) left empty. The
  answer must be 400 with the errors on the page; a form whose fields are
  all optional may instead be saved as above.

Never 405, never 5xx. Each submission is rolled back before the next (a
savepoint), so every form meets the demo as its page showed it, and forms that
delete, remove or revoke are submitted like the others; the language switch
chooses the page's own language; signing out is not submitted
(``SKIP_FORMS``), nor a form that only uploads a file of an import's own
layout. One form is
submitted once per role: forms are the same when they post to the same URL
shape with the same field names. Every failure of a role is collected and
reported together, naming the user, the page, the form's action and the
answer.
"""

from __future__ import annotations

import datetime
import io
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import unescape
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from pypdf import PdfWriter

from onboarding import selectors
from partners.models import Partner
from prm.tenancy.context import tenant_context
from prm.tenancy.demo import DEMO_PASSWORD, TENANTS
from prm.tenancy.models import Tenant
from scorecards.models import BusinessPlan
from scorecards.selectors import kpi_list

from .test_demo_pages import crawl

ROLES = ["admin", "manager", "lead", "finance", "partner", "consultant"]

#: Forms never submitted (by the shape of their action), with the reason.
SKIP_FORMS = {
    r"^/accounts/logout/$": "signing out ends the session the crawl runs in (the auth tests cover it)",
}

#: An upload of its own file layout is all these forms do; their own tests send real files.
IMPORT_ONLY = "an import: its file layout is tested by the import's own tests"

#: Forms whose answer says what happened without a flash message: (what the page shows, why).
SAYS_WITHOUT_MESSAGE = {
    r"^/i18n/setlang/$": (
        r'<html lang="en"',
        "Django's language switch: the page comes back in the language",
    ),
    r"^/t/<tenant>/incentives/what-if/$": (
        r"data-testid=\"what-if-result\">\s*<h2>",
        "a preview: the cost is shown",
    ),
}

#: Forms whose blank submission is not an error, with the reason.
BLANK_IS_VALID = {
    r"^/i18n/setlang/$": "Django's language switch keeps the page's language for an unknown one",
}

#: Forms that the demo's data refuses whatever a user enters (400 with the reason), with why.
REFUSED_IN_DEMO = {
    r"^/t/<tenant>/payouts/<n>/payments/$": "the picker suggests every partner; a run owes only some, paid but one",
    r"^/t/<tenant>/leads/<n>/route/$": "the globex demo keeps no lead rules, so no partner fits a lead",
}

#: How many rows of one form (another partner, another member) a refused valid submission tries.
OTHER_ROWS = 3
#: Upper bound of forms one role submits (a form explosion fails instead of running for ever).
MAX_FORMS = 300

SAYS_SOMETHING = re.compile(r'class="messages"')
SHOWS_ERRORS = re.compile(r'class="(?:error|form-errors|message message-error)"')
_serial = count(1)


# --- forms as the browser sees them ------------------------------------------------------


@dataclass
class Control:
    name: str
    type: str  # the input's type, or "select", "select-multiple", "textarea"
    value: str = ""
    attrs: dict = field(default_factory=dict)
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # value, selected, disabled
    checked: bool = False

    @property
    def required(self) -> bool:
        return "required" in self.attrs

    @property
    def hidden(self) -> bool:
        return self.type == "hidden"


@dataclass
class Form:
    page: str
    action: str
    attrs: dict
    datalists: dict[str, list[str]]  # the page's, by id
    controls: list[Control] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    @property
    def shape(self) -> str:
        shape = re.sub(r"^/t/[^/]+/", "/t/<tenant>/", self.path)
        return re.sub(r"/\d+(?=/|$)", "/<n>", shape)

    def key(self) -> tuple:
        return self.shape, tuple(sorted({c.name for c in self.controls}))

    def visible(self) -> list[Control]:
        return [c for c in self.controls if not c.hidden]


class _Forms(HTMLParser):
    """Every ``<form method="post">`` of a page with its successful controls (disabled ones left out)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.datalists: dict[str, list[str]] = {}
        self.form: Form | None = None
        self.select: Control | None = None
        self.datalist: list[str] | None = None
        self.option: list | None = None  # [value or None, selected, disabled, text]
        self.textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "option":
            self._close_option()
            if self.select is not None or self.datalist is not None:
                self.option = [attrs.get("value"), "selected" in attrs, "disabled" in attrs, ""]
            return
        if tag == "datalist":
            self.datalist = self.datalists.setdefault(attrs.get("id", ""), [])
            return
        if tag == "form":
            self.form = None
            if attrs.get("method", "get").lower() == "post":
                action = urljoin(self.page, attrs.get("action") or self.page)
                self.form = Form(page=self.page, action=action, attrs=attrs, datalists=self.datalists)
                self.forms.append(self.form)
            return
        name = attrs.get("name")
        if self.form is None or not name or "disabled" in attrs:
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.form.buttons.append((name, attrs.get("value", "")))
            elif kind not in ("button", "reset"):
                self.form.controls.append(
                    Control(name, kind, attrs.get("value", ""), attrs, checked="checked" in attrs)
                )
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.form.buttons.append((name, attrs.get("value", "")))
        elif tag == "select":
            self.select = Control(name, "select-multiple" if "multiple" in attrs else "select", attrs=attrs)
            self.form.controls.append(self.select)
        elif tag == "textarea":
            self.textarea = Control(name, "textarea", attrs=attrs)
            self.form.controls.append(self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option[3] += data
        elif self.textarea is not None:
            self.textarea.value += data

    def _close_option(self):
        if self.option is None:
            return
        value, selected, disabled, text = self.option
        value = text.strip() if value is None else value
        if self.select is not None:
            self.select.options.append((value, selected, disabled))
        elif self.datalist is not None:
            self.datalist.append(value)
        self.option = None

    def handle_endtag(self, tag):
        if tag in ("option", "select", "datalist"):
            self._close_option()
        if tag == "select":
            self.select = None
        elif tag == "datalist":
            self.datalist = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.form = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def forms_of(page: str, html: str) -> list[Form]:
    parser = _Forms(page)
    parser.feed(html)
    parser.close()
    return parser.forms


# --- what a user enters ------------------------------------------------------------------


@dataclass(frozen=True)
class Filling:
    """How thoroughly the user fills the form, and which choice of each list it takes."""

    everything: bool = False  # the optional fields too (not free text: a date, a number, a period, a pick)
    text: bool = False  # the optional free text too ("why", "note")
    choice: int = 0  # 0: the preselected (or first real) option; n: the n-th after it


FILLINGS = [
    Filling(),
    Filling(everything=True),
    Filling(everything=True, text=True),
    *[Filling(everything=True, text=True, choice=n) for n in (1, 2, 3)],
]


def _pdf() -> bytes:

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


def _suggestions(client, form: Form, control: Control) -> list[str]:
    """The suggestions of a text box tied to a datalist: in the page, or as htmx fetches them."""
    listed = form.datalists.get(control.attrs.get("list", ""))
    if listed:
        return listed
    url = control.attrs.get("hx-get")
    if not control.attrs.get("list") or not url:
        return []
    response = client.get(urljoin(form.page, url), {control.name: ""}, HTTP_HX_REQUEST="true")
    return [unescape(v) for v in re.findall(r'<option value="([^"]*)"', response.content.decode())]


def _number(control: Control) -> str:
    try:
        low = Decimal(control.attrs.get("min", ""))
    except InvalidOperation:
        low = None
    return str(low) if low is not None and low > 0 else "1"


def _typed(control: Control, form: Form, client, filling: Filling):
    """What a user would enter into this empty field, or None for free text nobody needs to fill."""
    today = datetime.date.today()
    kind, name = control.type, control.name.lower()
    by_type = {
        "date": today.isoformat(),
        "datetime-local": f"{today.isoformat()}T09:00",
        "month": today.strftime("%Y-%m"),
        "url": "https://example.com/",
        "tel": "+49 30 1234567",
        "color": "#1f5f8b",
        "password": DEMO_PASSWORD,
    }
    if kind in by_type:
        return by_type[kind]
    if kind in ("number", "range"):
        return _number(control)
    if "domain" in name:  # e-mail domains a sign-in provider serves
        return f"demo{next(_serial)}.example.com"
    if kind == "email" or "email" in name:
        return f"demo.visitor{next(_serial)}@example.com"
    if kind == "file":
        if "csv" in control.attrs.get("accept", "") or "csv" in name:
            return SimpleUploadedFile("demo.csv", b"name\nDemo\n", content_type="text/csv")
        return SimpleUploadedFile("demo.pdf", _pdf(), content_type="application/pdf")
    suggestions = _suggestions(client, form, control)
    if suggestions:
        return suggestions[min(filling.choice, len(suggestions) - 1)]
    by_name = {
        "period": today.strftime("%Y-%m"),
        "currency": "USD",
        "website": "https://example.com/",
        "role_mapping": "Channel team = channel_manager",  # a sign-in provider's groups, one per line
        "metadata_xml": "",  # a SAML provider's metadata: pasted from the provider, never typed
    }
    if name in by_name:
        return by_name[name]
    if not (control.required or filling.text):
        return None
    text = f"demo-{name.replace('_', '-')}-{next(_serial)}"  # fits a name, a username, a key and a note
    limit = control.attrs.get("maxlength", "")
    return text[-int(limit) :] if limit.isdigit() else text


def valid_data(form: Form, client, filling: Filling = FILLINGS[0]) -> dict[str, list]:
    """What the browser sends when the user fills the form so and presses its (first) button."""
    data: dict[str, list] = {}
    for control in form.controls:
        values: list = []
        if control.type in ("select", "select-multiple"):
            usable = [value for value, _, disabled in control.options if not disabled]
            real = [value for value in usable if value]
            values = [value for value, selected, disabled in control.options if selected and not disabled]
            if not values and control.type == "select" and usable:
                values = [usable[0]]  # a browser sends the first option when none is selected
            if filling.choice and control.type == "select" and len(real) > 1:
                at = real.index(values[0]) if values[0] in real else -1
                values = [real[(at + filling.choice) % len(real)]]
            elif (control.required or filling.everything) and not any(values) and real:
                values = [real[0]]
        elif control.type == "checkbox":
            values = [control.value or "on"] if control.checked or control.required else []
        elif control.type == "radio":
            if control.name in data:
                continue
            group = [c for c in form.controls if c.type == "radio" and c.name == control.name]
            chosen = next((c for c in group if c.checked), group[0] if control.required else None)
            values = [chosen.value or "on"] if chosen else []
        elif control.type == "file":
            values = [_typed(control, form, client, filling)] if control.required else []
        else:
            value = control.value
            if not value and not control.hidden and (control.required or filling.everything):
                value = _typed(control, form, client, filling) or ""
            values = [value]
        if values:
            data.setdefault(control.name, []).extend(values)
    if any(data.get("role_mapping", [])) and any(data.get("partner", [])):
        data["role_mapping"] = ["Partner staff = partner"]  # a partner's own provider maps to its users
    _press_first_button(form, data)
    return data


def blank_data(form: Form) -> dict[str, list]:
    """Every field a user fills left empty: hidden fields as they are, no box ticked, no file."""
    data: dict[str, list] = {}
    for control in form.controls:
        if control.hidden:
            data.setdefault(control.name, []).append(control.value)
        elif control.type not in ("checkbox", "radio", "file"):
            data.setdefault(control.name, []).append("")
    _press_first_button(form, data)
    return data


def _press_first_button(form: Form, data: dict[str, list]) -> None:
    if form.buttons:
        name, value = form.buttons[0]
        data.setdefault(name, []).append(value)


def _listed(table: dict, form: Form):
    return next((entry for pattern, entry in table.items() if re.search(pattern, form.shape)), None)


def _import_only(form: Form) -> bool:
    visible = form.visible()
    return bool(visible) and all(c.type == "file" for c in visible)


# --- submitting --------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    chain: list[str]
    html: str
    download: bool

    def describe(self) -> str:
        hops = " → ".join([*self.chain, str(self.status)])
        errors = re.findall(
            r'class="(?:error|form-errors|message message-error)"[^>]*>(?:<p>)?([^<]*)', self.html
        )
        said = re.findall(r'class="message message-\w+">([^<]*)', self.html)
        detail = f"; errors: {errors[:3]}" if errors else (f"; said: {said[:2]}" if said else "")
        return f"{hops}{detail}"


def submit(client, form: Form, data: dict[str, list]) -> Answer:
    """Post ``data`` as the form would and follow redirects; the database is put back afterwards."""
    cookies = client.cookies
    client.cookies = type(cookies)()
    client.cookies.update(cookies)
    savepoint = transaction.savepoint()
    try:
        response = client.post(form.action, data, follow=True, HTTP_REFERER=f"http://testserver{form.page}")
        html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        return Answer(
            status=response.status_code,
            chain=[f"{status} {urlsplit(url).path}" for url, status in response.redirect_chain],
            html=html,
            download="attachment" in response.get("Content-Disposition", ""),
        )
    finally:
        transaction.savepoint_rollback(savepoint)
        if connection.needs_rollback:  # the view broke the transaction; the savepoint put it back
            transaction.set_rollback(False)
        client.cookies = cookies


def _says_what_happened(answer: Answer, form: Form) -> bool:
    if answer.download or SAYS_SOMETHING.search(answer.html):
        return True
    shows = _listed(SAYS_WITHOUT_MESSAGE, form)
    return bool(shows and re.search(shows[0], answer.html))


def submit_valid(client, rows: list[Form]) -> tuple[Form, Answer]:
    """The form filled as a user would, trying again (more fields, other choices, other rows) while refused."""
    first = None
    for form in rows[:OTHER_ROWS]:
        for filling in FILLINGS:
            answer = submit(client, form, valid_data(form, client, filling))
            if answer.status != 400:
                return form, answer
            first = first or (form, answer)
    return first  # refused every way: the answer to the plainest try


def check_form(client, who: str, rows: list[Form]) -> list[str]:
    """Submit the form (``rows``: its instances on the pages) valid and blank; what went wrong, one line each."""
    form, valid = submit_valid(client, rows)
    where = f"{who} on {form.page}: POST {form.path}"
    failures = []
    refused_in_demo = (
        valid.status == 400 and SHOWS_ERRORS.search(valid.html) and _listed(REFUSED_IN_DEMO, form)
    )
    if valid.status != 200 and not refused_in_demo:
        failures.append(f"{where} with valid values answered {valid.describe()}")
    elif valid.status == 200 and not _says_what_happened(valid, form):
        failures.append(f"{where} with valid values answered {valid.describe()} without saying what happened")
    if not form.visible():
        return failures  # nothing to leave blank: the valid submission was the only one
    blank = submit(client, form, blank_data(form))
    may_save = not any(c.required for c in form.visible()) or _listed(BLANK_IS_VALID, form)
    if blank.status == 400 and SHOWS_ERRORS.search(blank.html):
        pass
    elif blank.status == 400:
        failures.append(f"{where} left blank answered {blank.describe()} without showing the errors")
    elif not (may_save and blank.status == 200 and _says_what_happened(blank, form)):
        failures.append(f"{where} left blank answered {blank.describe()}, not 400 with its errors")
    return failures


def collect_into(rows: dict[tuple, list[Form]]):
    """A crawl's ``on_page`` keeping every post form of every page, its instances by form."""

    def on_page(path: str, html: str) -> None:
        for form in forms_of(path, html):
            rows.setdefault(form.key(), []).append(form)

    return on_page


def logins(role: str) -> list[tuple[str, str]]:
    """(username, tenant slug) of every demo login of ``role``."""
    if role == "consultant":
        return [("consultant", spec.slug) for spec in TENANTS]
    return [(f"{spec.slug}-{role}", spec.slug) for spec in TENANTS]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once for the module in a transaction rolled back at its end (tests run in savepoints)."""
    media = str(tmp_path_factory.mktemp("media"))  # uploaded documents stay out of the work tree
    # no DNS in CI: a webhook's host, an identity provider's URL are not looked up
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, WEBHOOK_ALLOW_PRIVATE_NETWORKS=True, PRM_SSO_ALLOW_PRIVATE_ADDRESSES=True
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    """The seeded demo; what a test changes is rolled back after it."""


@pytest.mark.parametrize("role", ROLES)
def test_every_form_a_demo_user_reaches_answers_what_happened(demo, client, role):

    client.raise_request_exception = False  # a 500 is a finding, not the end of the crawl
    seen: set[tuple] = set()
    failures: list[str] = []
    skipped: dict[str, str] = {}
    submitted = 0
    started = time.monotonic()
    for username, slug in logins(role):
        client.force_login(
            get_user_model().objects.get(username=username),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        rows: dict[tuple, list[Form]] = {}
        crawl(client, f"/t/{slug}/", on_page=collect_into(rows))
        for key, instances in rows.items():
            if key in seen:
                continue
            seen.add(key)
            reason = _listed(SKIP_FORMS, instances[0]) or (
                IMPORT_ONLY if _import_only(instances[0]) else None
            )
            if reason:
                skipped[key[0]] = reason
                continue
            submitted += 1
            assert submitted <= MAX_FORMS, f"{role}: more than {MAX_FORMS} distinct forms"
            failures.extend(check_form(client, f"{username}@{slug}", instances))
    print(f"{role}: {submitted} forms in {time.monotonic() - started:.0f} s; skipped: {skipped}")
    assert submitted > 0, f"{role} reached no form at all"
    assert not failures, f"{len(failures)} broken forms for {role}:\n" + "\n".join(failures)


# --- the saves of the onboarding and business plan pages, one by one ----------------------


def _as(client, username: str):

    client.force_login(
        get_user_model().objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )


def _demo_rows(**wanted):
    """Rows of the acme demo: ``name=callable(tenant)`` each returns the first of a queryset."""

    tenant = Tenant.objects.get(slug="acme")
    with tenant_context(tenant):
        return {name: query(tenant).first() for name, query in wanted.items()}


def _lands_on(response, page: str, said: str) -> None:
    html = response.content.decode()
    assert response.status_code == 200, (page, response.status_code, response.redirect_chain)
    assert response.redirect_chain and urlsplit(response.redirect_chain[-1][0]).path == page, (
        response.redirect_chain
    )
    assert 'class="messages"' in html and said in html, f"{page} does not say “{said}”"


def test_every_save_of_a_partners_onboarding_page_lands_back_on_it_saying_what_was_saved(demo, client):

    _as(client, "acme-manager")
    rows = _demo_rows(
        partner=lambda t: Partner.objects.for_tenant(t).filter(stage="signed").order_by("pk"),
        template=lambda t: selectors.agreement_templates(tenant=t, active_only=True),
        course=lambda t: selectors.course_list(tenant=t),
    )
    page, today = f"/t/acme/onboarding/{rows['partner'].pk}/", datetime.date.today().isoformat()
    saves = {
        "agreement/": (
            {
                "template": rows["template"].pk,
                "signed_on": today,
                "signatories": "Ana Silva (CEO)",
                "document": SimpleUploadedFile("signed.pdf", _pdf(), content_type="application/pdf"),
            },
            "Agreement recorded.",
        ),
        "completions/": (
            {"course": rows["course"].pk, "person": "Ana Silva", "completed_on": today},
            "Completion recorded.",
        ),
        "invite/": ({"email": "ana.silva@example.com"}, "Invitation sent to ana.silva@example.com."),
    }

    for action, (data, said) in saves.items():
        _lands_on(client.post(page + action, data, follow=True), page, said)


def test_every_save_of_a_business_plan_lands_back_on_the_plan_saying_what_was_saved(demo, client):

    _as(client, "acme-manager")
    rows = _demo_rows(
        plan=lambda t: BusinessPlan.objects.for_tenant(t).exclude(status="agreed").order_by("pk"),
        kpi=lambda t: kpi_list(tenant=t).filter(active=True),
    )
    page = f"/t/acme/plans/{rows['plan'].pk}/"
    saves = {
        "terms/": ({"summary": "Grow in the north", "mdf_planned": "5000"}, "Saved."),
        "goals/": ({"kpi": rows["kpi"].pk, "target": "120000", "note": ""}, "Goal set."),
        "activities/": ({"title": "Joint webinar", "side": "vendor", "due": ""}, "Activity added."),
    }

    for action, (data, said) in saves.items():
        _lands_on(client.post(page + action, data, follow=True), page, said)


def test_a_value_added_to_a_reference_list_lands_on_that_list(demo, client):
    _as(client, "acme-admin")
    response = client.post("/t/acme/reference/add/?kind=product", {"name": "RX-900 arm"}, follow=True)

    _lands_on(response, "/t/acme/reference/", "Added.")
    assert (
        response.redirect_chain[-1][0].endswith("?kind=product") and "RX-900 arm" in response.content.decode()
    )
