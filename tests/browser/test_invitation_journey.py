"""Journey: an admin invites a new colleague by e-mail; the colleague opens the e-mailed link,
chooses a username and password, and lands in the tenant as the invited role."""

import re

import pytest
from django.core import mail

from prm.tenancy.choices import Role
from prm.tenancy.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_invites_and_the_new_person_accepts_and_lands_in_the_tenant(page, login, tenant, member):
    # given
    member(tenant, Role.ADMIN, username="ada")
    login(page, "ada")

    # when: the admin invites by e-mail
    page.goto("/t/alpha/members/")
    form = page.locator("[data-testid=invite]")
    form.locator("input[name=email]").fill("fiona@new.example")
    form.locator("input[name=first_name]").fill("Fiona")
    form.locator("select[name=role]").select_option("finance")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    sent = page.locator(".messages").inner_text()
    waiting = page.locator("[data-testid=invitations]").inner_text()

    # and the person opens the e-mail's link, signed out, and accepts with a new account
    [message] = mail.outbox
    link = re.search(r"/invitations/[^/\s]+/", message.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    offer = page.locator("[data-testid=invitation]").inner_text()
    page.fill("input[name=username]", "fiona")
    page.fill("input[name=password1]", "Quiet-harbour-7391")
    page.fill("input[name=password2]", "Quiet-harbour-7391")
    page.click("[data-testid=create]")
    page.wait_for_load_state("networkidle")

    # then
    assert "Invitation sent to fiona@new.example." in sent
    assert "fiona@new.example" in waiting
    assert message.to == ["fiona@new.example"]
    assert "ada invites you to join Alpha Robotics" in offer and "Finance" in offer
    assert page.url.endswith("/t/alpha/")
    assert "Welcome to Alpha Robotics." in page.locator(".messages").inner_text()
    assert Membership.objects.for_tenant(tenant).get(user__username="fiona").role == Role.FINANCE

    # and the link is spent
    page.goto(link)
    assert "accepted already" in page.locator("[data-testid=invitation-closed]").inner_text()
