"""The layout of every main page, as each role of the seeded demo sees it, on a laptop and on a phone.

For each demo role, every page its navigation links to (and one detail page
of each kind it opens) is loaded at 1440 px and at 390 px wide. A page fails
when it scrolls sideways, when a table runs past the screen without a scroll
box of its own around it, when text is cut off by its box (an ellipsis is
allowed where the element carries the whole text as its ``title``), or when
the browser logs an error to its console.

The same run takes the screenshots in ``docs/screens/``: ``make screens`` sets
``SCREENS_DIR`` and the main pages of each role are saved at both widths.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from prm.tenancy.demo import DEMO_PASSWORD
from tests.browser.test_main_pages import detail_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"laptop": (1440, 900), "phone": (390, 844)}

#: the pages kept as screenshots per role (a name for the file, the path)
SCREENS = {
    "acme-admin": [
        ("dashboard", "/t/acme/"),
        ("programme", "/t/acme/programme/"),
        ("members", "/t/acme/members/"),
    ],
    "acme-manager": [
        ("dashboard", "/t/acme/"),
        ("partners", "/t/acme/partners/"),
        ("pipeline", "/t/acme/pipeline/"),
    ],
    "acme-lead": [("dashboard", "/t/acme/"), ("approvals", "/t/acme/approvals/")],
    "acme-finance": [("dashboard", "/t/acme/"), ("payouts", "/t/acme/payouts/")],
    "acme-partner": [("dashboard", "/t/acme/"), ("my-programme", "/t/acme/my-programme/")],
}

#: what a page must not do, measured in the page (a list of problems, empty when the layout holds)
LAYOUT_PROBLEMS = """
() => {
  const width = document.documentElement.clientWidth;
  const describe = (e) => {
    const id = e.id ? `#${e.id}` : "";
    const cls = typeof e.className === "string" && e.className.trim() ? `.${e.className.trim().split(/\\s+/).join(".")}` : "";
    const text = (e.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${e.tagName.toLowerCase()}${id}${cls} "${text}"`;
  };
  const inScrollBox = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const shown = (e) => {
    const box = e.getBoundingClientRect();
    return box.width > 2 && box.height > 2 && getComputedStyle(e).visibility !== "hidden";
  };
  const problems = [];
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width + 1) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => shown(e) && e.getBoundingClientRect().right > width + 1 && !inScrollBox(e))
      .slice(-3).map(describe);
    problems.push(`the page is ${pageWidth}px wide on a ${width}px screen: ${wide.join(" | ")}`);
  }
  for (const table of document.querySelectorAll("table")) {
    if (shown(table) && table.getBoundingClientRect().right > width + 1 && !inScrollBox(table)) {
      problems.push(`a table runs past the screen without a scroll box: ${describe(table)}`);
    }
  }
  for (const e of document.querySelectorAll("body *")) {
    if (!shown(e) || !e.textContent.trim()) continue;
    const style = getComputedStyle(e);
    const clipsX = ["hidden", "clip"].includes(style.overflowX);
    const clipsY = ["hidden", "clip"].includes(style.overflowY);
    if (!clipsX && !clipsY) continue;
    const cutX = clipsX && e.scrollWidth > e.clientWidth + 1;
    const cutY = clipsY && e.scrollHeight > e.clientHeight + 1;
    if (!cutX && !cutY) continue;
    if (cutX && !cutY && style.textOverflow === "ellipsis" && e.title) continue;
    problems.push(`text cut off by its box: ${describe(e)}`);
  }
  return problems;
}
"""


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def role_pages(page, username: str) -> list[str]:
    nav = page.locator("nav a[href^='/t/acme/']")
    pages = {nav.nth(i).get_attribute("href") for i in range(nav.count())} | {"/t/acme/"}
    pages |= {path for _name, path in SCREENS[username]}
    return sorted(pages) + detail_pages(username)


@pytest.mark.parametrize("username", list(SCREENS))
def test_every_main_page_holds_its_layout_on_a_laptop_and_a_phone(
    demo, browser, live_server, login, username
):
    screens = Path(os.environ["SCREENS_DIR"]) if os.environ.get("SCREENS_DIR") else None
    problems: dict[str, list[str]] = {}
    errors: list[str] = []
    for device, (width, height) in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=device == "phone",
            locale="en-GB",
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            login(page, username, password=DEMO_PASSWORD)
            for path in role_pages(page, username):
                errors.clear()
                response = page.goto(path)
                page.wait_for_load_state("networkidle")
                found = page.evaluate(LAYOUT_PROBLEMS)
                if response.status >= 400:
                    found.append(f"answered {response.status}")
                found += [f"console: {text}" for text in errors]
                if found:
                    problems[f"{path} at {width}px"] = found
                if screens is not None:
                    for name, screen_path in SCREENS[username]:
                        if screen_path == path:
                            screens.mkdir(parents=True, exist_ok=True)
                            page.screenshot(path=str(screens / f"{username}-{name}-{device}.png"))
        finally:
            context.close()
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())
