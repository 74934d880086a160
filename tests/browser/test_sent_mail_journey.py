"""Journey: an admin reads what the programme e-mailed, the HTML in a sandboxed frame."""

import pytest

from tests.factories import SentEmailFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_reads_a_sent_invitation_as_it_was_received(page, login, tenant, member):
    admin = member(tenant, "admin")
    admin.username = "ada"
    admin.save()
    SentEmailFactory(
        tenant=tenant,
        subject="You are invited to Alpha Robotics's partner programme",
        to=["jo@nordwind.example"],
        html="<p>Welcome, <b>Jo</b>.</p><script>document.title='pwned'</script>",
    )

    login(page, "ada")
    page.goto(f"/t/{tenant.slug}/")
    page.click("nav >> text=Sent mail")
    table = page.locator("[data-testid=sent-mail]").inner_text()
    assert "jo@nordwind.example" in table and "Invitations" in table
    page.click("text=You are invited to Alpha Robotics")

    assert "Set your password" in page.locator("[data-testid=sent-mail-text]").inner_text()
    frame = page.locator("[data-testid=sent-mail-html]")
    assert frame.get_attribute("sandbox") == ""
    assert "Welcome, Jo." in page.frame_locator("[data-testid=sent-mail-html]").locator("body").inner_text()
    assert page.title() != "pwned"
