"""Journey: a channel manager moves a partner on the board and logs a visit beside the playbook."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import Partner, Visit
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import ContactFactory, PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_moves_a_partner_on_the_board_and_logs_a_visit(page, login, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER, username="carla")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    ContactFactory(tenant=tenant, partner=partner)
    login(page, "carla")

    # when: on the board, move it from prospecting to first talks
    page.goto("/t/alpha/pipeline/")
    card = page.locator(f"[data-testid=card-{partner.pk}]")
    assert card.locator("xpath=ancestor::section").get_attribute("data-stage") == "prospecting"
    card.locator("button").click()
    page.wait_for_load_state("networkidle")

    # then it stands in the first-talks column
    moved = page.locator(f"[data-testid=card-{partner.pk}]")
    assert moved.locator("xpath=ancestor::section").get_attribute("data-stage") == "first_talks"
    assert "moved to First talks" in page.locator(".messages").inner_text()

    # when: the manager logs a visit with a price objection
    moved.locator("a").first.click()
    page.click("text=Log a visit")
    assert "propose one trial deal" in page.locator("[data-testid=playbook]").inner_text()
    page.fill("textarea[name=summary]", "Met the owner; keen on the RX line.")
    page.check("input[name=goal_met]")
    page.fill("textarea[name=objection_price]", "Margin too thin")
    page.click("text=Log the visit")
    page.wait_for_load_state("networkidle")

    # then the timeline shows it
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "Met the owner; keen on the RX line." in timeline and "Price" in timeline
    # and the partner's live figures count the visit already (refreshed once the visit committed)
    visits = page.locator("[data-testid=live-figures] tr", has_text="Visits").inner_text()
    assert visits.split()[-1] == "1"
    assert "Figures updated" in page.locator("[data-testid=live-figures]").inner_text()
    with tenant_context(tenant):
        assert Visit.objects.filter(partner=partner, goal_met=True).count() == 1
        assert Partner.objects.get(pk=partner.pk).stage == "first_talks"


def test_a_move_back_asks_first_and_a_missing_step_links_to_its_fix(page, login, tenant, member):
    # given: a strategic partner
    member(tenant, Role.CHANNEL_MANAGER, username="carla")
    partner = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="strategic")
    login(page, "carla")
    page.goto(f"/t/alpha/partners/{partner.pk}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    # when: moving it back to selection, and saying no when asked
    page.select_option("[data-testid=transition-form] select", "selection")
    page.fill("[data-testid=transition-form] textarea", "Needs a second look")
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click("[data-testid=transition-form] button")

    # then: nothing moved
    assert questions == ["Move the partner back to an earlier stage? Its time box starts again there."]
    with tenant_context(tenant):
        assert Partner.objects.get(pk=partner.pk).stage == "strategic"

    # when: saying yes
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.click("[data-testid=transition-form] button")
    page.wait_for_load_state("networkidle")

    # then: it is in selection, and the page says what strategic needs, with a link to each fix
    with tenant_context(tenant):
        assert Partner.objects.get(pk=partner.pk).stage == "selection"
    page.click("[data-testid=gates] >> text=Strategic needs a selection assessment.")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/partners/{partner.pk}/assessments/selection/")


def test_a_manager_filters_the_board_to_its_partners_and_shows_more_of_a_long_column(
    page, login, tenant, member
):
    # given: 30 of carla's partners in selection, due one day after another, and one of someone else's

    carla = member(tenant, Role.CHANNEL_MANAGER, username="carla", first_name="Carla", last_name="Ruiz")
    other = member(tenant, Role.CHANNEL_MANAGER, username="otto", first_name="Otto")
    now = timezone.now()
    for n in range(30):
        PartnerFactory(
            tenant=tenant,
            name=f"Reseller {n:02}",
            stage="selection",
            owner=carla,
            stage_due_at=now + timedelta(days=n),
        )
    PartnerFactory(tenant=tenant, name="Otto's Partner", stage="selection", owner=other)
    login(page, "carla")

    # when: carla filters the board to her partners
    page.goto("/t/alpha/pipeline/")
    page.select_option("[data-testid=board-filters] select[name=owner]", label="Carla Ruiz")
    page.click("[data-testid=board-filters] button[type=submit]")
    page.wait_for_load_state("networkidle")

    # then: the column counts her 30 and shows the 25 soonest due
    column = page.locator("section[data-stage=selection]")
    assert column.locator(".count").inner_text() == "30"
    assert column.locator("article").count() == 25 and "Otto's Partner" not in column.inner_text()

    # when: she asks for more in that column
    column.locator("[data-testid=show-more-selection]").click()
    page.wait_for_selector("section[data-stage=selection] >> text=Reseller 29")

    # then: the last five follow the first 25 in the column, still filtered, with nothing more to ask for
    assert column.locator("article").count() == 30
    assert column.locator("[data-testid=show-more-selection]").count() == 0
    assert "Otto's Partner" not in column.inner_text()
    assert "owner=" in page.url
