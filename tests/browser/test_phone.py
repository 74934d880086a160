"""On a phone: the navigation folds behind a Menu button, and nothing makes the page scroll sideways."""

import pytest

from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_user_opens_the_menu_and_the_board_scrolls_in_its_own_box(
    browser, live_server, login, tenant, member
):
    member(tenant, Role.CHANNEL_MANAGER, username="mia")
    for stage in ("prospecting", "first_talks", "selection", "strategic", "signed", "certified"):
        PartnerFactory(tenant=tenant, stage=stage, name=f"A partner with a rather long name in {stage}")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        login(page, "mia")
        page.goto("/t/alpha/pipeline/")
        page.wait_for_load_state("networkidle")

        assert page.locator("#sidenav").is_hidden()
        page.click(".nav-toggle")
        assert page.locator("#sidenav").is_visible()
        assert page.get_attribute(".nav-toggle", "aria-expanded") == "true"

        page_width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392)
                 .filter(e => !e.closest('.board')).slice(0, 8)
                 .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
        )
        assert page_width <= 390, f"the page is {page_width}px wide on a 390px screen: {wide}"
        board = page.locator(".board").first
        assert board.evaluate("el => el.scrollWidth > el.clientWidth")  # the board scrolls, not the page
    finally:
        context.close()
