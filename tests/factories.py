"""Factories for every model, and a registry the isolation walker uses to make objects.

Factories write through ``_base_manager`` (plain Django), since a test's
setup builds rows for several tenants at once. Each row is written inside its
own tenant's scope, so row-level security admits it when the tests connect
as the web role (as .ci/run does); the scope of the test is left as it was.
"""

import datetime
import io
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfWriter

from conversations.models import PartnerRequest, RequestMessage
from incentives.models import (
    IncentiveRule,
    MdfClaim,
    MdfRequest,
    Payment,
    PayoutLine,
    PayoutRun,
    PointsEntry,
)
from leads.models import Lead, LeadOffer, LeadRule
from onboarding.models import (
    Agreement,
    AgreementTemplate,
    Announcement,
    Application,
    ChecklistStep,
    ChecklistTemplateStep,
    Completion,
    Course,
)
from partners.lifecycle.criteria import CRITERIA
from partners.models import (
    Assessment,
    Contact,
    DealRegistration,
    Objection,
    ObjectionResponse,
    Partner,
    PartnerUser,
    ReferenceItem,
    Sale,
    StageChange,
    TierBenefit,
    TierChange,
    Visit,
    VisitPlan,
)
from partners.selling.conversion import sales_reconvert, spans_of_new_rates
from pricing.models import ListPrice, TierTerms
from prm.audit.models import AuditEntry
from prm.currency.models import ExchangeRate
from prm.jobs.models import Job
from prm.notifications.models import NotificationPreference, SentEmail
from prm.sso.models import IdentityProvider
from prm.tenancy.choices import Role
from prm.tenancy.context import current_scope, tenant_context
from prm.tenancy.models import Invitation, Membership, Tenant
from prm.tenancy.scoping import TenantOwned
from prm.webhooks.models import Delivery, Endpoint
from prm.webhooks.models import Event as WebhookEvent
from rewards.catalogue.models import Redemption, RewardItem
from rewards.contests.models import Contest
from rewards.preferences.models import RewardPreference
from rewards.recognition.models import Award, AwardCategory
from scorecards.models import (
    BusinessPlan,
    Kpi,
    ManualValue,
    PlanActivity,
    ProductRegistration,
    SatisfactionResult,
    Scorecard,
    ScorecardLine,
    ServiceReminder,
    Target,
)
from surveys.models import CustomerSurvey, PartnerSurvey

REGISTRY: dict = {}


def real_pdf(pages: int = 1) -> bytes:
    """A small, valid PDF (uploads are checked by opening them)."""

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


REAL_PDF = real_pdf()


def registered(factory_class):
    REGISTRY[factory_class._meta.model] = factory_class
    return factory_class


class BaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class._base_manager

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tenant = kwargs.get("tenant")
        if tenant is None or not (issubclass(model_class, TenantOwned) or model_class is Membership):
            return super()._create(model_class, *args, **kwargs)
        scope = current_scope()
        with tenant_context(tenant, scope.partner_id if scope.tenant_id == tenant.pk else None):
            return super()._create(model_class, *args, **kwargs)


@registered
class TenantFactory(BaseFactory):
    class Meta:
        model = Tenant
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"tenant-{n}")
    name = factory.Sequence(lambda n: f"Vendor {n}")
    currency = "EUR"


class UserFactory(BaseFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


@registered
class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = Role.CHANNEL_MANAGER


@registered
class InvitationFactory(BaseFactory):
    """A pending invitation (its link's token is unknown: tests that open links invite through the service)."""

    class Meta:
        model = Invitation

    tenant = factory.SubFactory(TenantFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.CHANNEL_MANAGER
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


@registered
class PartnerFactory(BaseFactory):
    class Meta:
        model = Partner

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    region = "North"
    country = "DE"


@registered
class PartnerUserFactory(BaseFactory):
    class Meta:
        model = PartnerUser

    tenant = factory.SubFactory(TenantFactory)
    partner = factory.SubFactory(PartnerFactory, tenant=factory.SelfAttribute("..tenant"))
    membership = factory.SubFactory(
        MembershipFactory, tenant=factory.SelfAttribute("..tenant"), role=Role.PARTNER
    )


class PartnerOwnedFactory(BaseFactory):
    """Rows that belong to a partner of the same tenant."""

    class Meta:
        abstract = True

    tenant = factory.SubFactory(TenantFactory)
    partner = factory.SubFactory(PartnerFactory, tenant=factory.SelfAttribute("..tenant"))


@registered
class ContactFactory(PartnerOwnedFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.LazyAttribute(lambda c: f"{c.name.replace(' ', '.').lower()}@partner.example")


@registered
class StageChangeFactory(PartnerOwnedFactory):
    class Meta:
        model = StageChange

    from_stage = "prospecting"
    to_stage = "first_talks"


@registered
class VisitFactory(PartnerOwnedFactory):
    class Meta:
        model = Visit

    date = factory.LazyFunction(timezone.localdate)
    summary = "Met the owner"


@registered
class VisitPlanFactory(PartnerOwnedFactory):
    class Meta:
        model = VisitPlan

    date = factory.LazyFunction(timezone.localdate)
    area = "Centre"
    goal = "Introduce the programme"
    checklist = factory.LazyFunction(
        lambda: [{"item": "Business cards", "done": False}, {"item": "The case book", "done": False}]
    )


@registered
class ObjectionFactory(BaseFactory):
    class Meta:
        model = Objection

    tenant = factory.SubFactory(TenantFactory)
    visit = factory.SubFactory(VisitFactory, tenant=factory.SelfAttribute("..tenant"))
    type = "price"


@registered
class ObjectionResponseFactory(BaseFactory):
    class Meta:
        model = ObjectionResponse

    tenant = factory.SubFactory(TenantFactory)
    type = "brand"
    response = "Show the reference cases."


@registered
class AssessmentFactory(PartnerOwnedFactory):
    class Meta:
        model = Assessment

    kind = "tier"
    #: every criterion of the kind rated 3 (as the service requires them all)
    ratings = factory.LazyAttribute(lambda o: {c: {"score": 3, "note": ""} for c in CRITERIA[o.kind]})


@registered
class SaleFactory(PartnerOwnedFactory):
    class Meta:
        model = Sale

    external_id = factory.Sequence(lambda n: f"S-{n:06d}")
    date = factory.LazyFunction(timezone.localdate)
    product = "Robot arm"
    quantity = Decimal("1")
    amount = Decimal("1000.00")
    currency = "EUR"


@registered
class DealRegistrationFactory(PartnerOwnedFactory):
    class Meta:
        model = DealRegistration

    customer = factory.Sequence(lambda n: f"Customer {n}")
    customer_key = factory.LazyAttribute(lambda d: d.customer.lower())
    expected_amount = Decimal("5000.00")
    currency = "EUR"
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=90))


@registered
class TierChangeFactory(PartnerOwnedFactory):
    class Meta:
        model = TierChange

    to_tier = "B"


@registered
class KpiFactory(BaseFactory):
    class Meta:
        model = Kpi

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"kpi_{n}")
    name = factory.LazyAttribute(lambda k: k.code.replace("_", " ").title())
    source = "sales"
    direction = "higher"
    weight = Decimal("1")
    dimension = "performance"


@registered
class TargetFactory(PartnerOwnedFactory):
    class Meta:
        model = Target

    period = "2026-Q3"
    kpi = factory.SubFactory(KpiFactory, tenant=factory.SelfAttribute("..tenant"))
    value = Decimal("1000")


@registered
class ReferenceItemFactory(BaseFactory):
    class Meta:
        model = ReferenceItem

    tenant = factory.SubFactory(TenantFactory)
    kind = "region"
    name = factory.Sequence(lambda n: f"Region {n}")


@registered
class BusinessPlanFactory(PartnerOwnedFactory):
    class Meta:
        model = BusinessPlan

    year = factory.Sequence(lambda n: 2027 + n)
    summary = "Grow in the North together"


@registered
class TierBenefitFactory(BaseFactory):
    class Meta:
        model = TierBenefit

    tenant = factory.SubFactory(TenantFactory)
    tier = "A"
    kind = "other"
    description = "Invitations to the partner summit"


@registered
class LeadRuleFactory(BaseFactory):
    class Meta:
        model = LeadRule

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Rule {n}")


@registered
class LeadFactory(PartnerOwnedFactory):
    """An offered lead (of a partner, so partner users reach it)."""

    class Meta:
        model = Lead

    customer = factory.Sequence(lambda n: f"Customer {n} GmbH")
    currency = "EUR"
    region = "North"
    status = "offered"
    offered_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=48))


@registered
class LeadOfferFactory(BaseFactory):
    class Meta:
        model = LeadOffer

    tenant = factory.SubFactory(TenantFactory)
    lead = factory.SubFactory(LeadFactory, tenant=factory.SelfAttribute("..tenant"))
    partner = factory.SelfAttribute("lead.partner")
    respond_by = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=48))


@registered
class PlanActivityFactory(BaseFactory):
    class Meta:
        model = PlanActivity

    tenant = factory.SubFactory(TenantFactory)
    plan = factory.SubFactory(BusinessPlanFactory, tenant=factory.SelfAttribute("..tenant"))
    title = "Joint customer day"


@registered
class ManualValueFactory(PartnerOwnedFactory):
    class Meta:
        model = ManualValue

    period = "2026-Q3"
    kpi = factory.SubFactory(KpiFactory, tenant=factory.SelfAttribute("..tenant"), source="manual")
    value = Decimal("5")


@registered
class ProductRegistrationFactory(PartnerOwnedFactory):
    class Meta:
        model = ProductRegistration

    customer = "Contoso"
    product = "RX-200"
    serial = factory.Sequence(lambda n: f"SN{n:06d}")
    date = factory.LazyFunction(timezone.localdate)


@registered
class ServiceReminderFactory(BaseFactory):
    class Meta:
        model = ServiceReminder

    tenant = factory.SubFactory(TenantFactory)
    registration = factory.SubFactory(ProductRegistrationFactory, tenant=factory.SelfAttribute("..tenant"))
    kind = "service"
    due_on = factory.LazyFunction(timezone.localdate)


@registered
class SatisfactionResultFactory(PartnerOwnedFactory):
    class Meta:
        model = SatisfactionResult

    score = 9
    date = factory.LazyFunction(timezone.localdate)


@registered
class ScorecardFactory(PartnerOwnedFactory):
    class Meta:
        model = Scorecard

    period = "2026-Q3"
    score = Decimal("62.50")
    rank = 1
    cohort_size = 1
    computed_at = factory.LazyFunction(timezone.now)
    dimensions = factory.LazyFunction(lambda: {"performance": 62.5})


@registered
class ScorecardLineFactory(BaseFactory):
    class Meta:
        model = ScorecardLine

    tenant = factory.SubFactory(TenantFactory)
    scorecard = factory.SubFactory(ScorecardFactory, tenant=factory.SelfAttribute("..tenant"))
    code = "revenue"
    name = "Revenue"
    dimension = "performance"
    direction = "higher"
    weight = Decimal("1")


@registered
class ExchangeRateFactory(BaseFactory):
    """A rate, and the tenant's sales it applies to re-converted, as the rate services do."""

    class Meta:
        model = ExchangeRate

    tenant = factory.SubFactory(TenantFactory)
    currency = "USD"
    date = datetime.date(2026, 1, 1)
    rate = Decimal("0.9")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        rate = super()._create(model_class, *args, **kwargs)
        scope = current_scope()
        with tenant_context(rate.tenant, scope.partner_id if scope.tenant_id == rate.tenant_id else None):
            for span in spans_of_new_rates(tenant=rate.tenant, added=[rate]):
                sales_reconvert(tenant=rate.tenant, span=span)
        return rate


@registered
class IncentiveRuleFactory(BaseFactory):
    class Meta:
        model = IncentiveRule

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Rule {n}")
    kind = "commission"
    params = factory.LazyFunction(lambda: {"rate": "5"})


@registered
class PayoutRunFactory(BaseFactory):
    class Meta:
        model = PayoutRun

    tenant = factory.SubFactory(TenantFactory)
    period = factory.Sequence(lambda n: f"{2000 + n // 4}-Q{n % 4 + 1}")
    currency = "EUR"


@registered
class PayoutLineFactory(PartnerOwnedFactory):
    class Meta:
        model = PayoutLine

    run = factory.SubFactory(PayoutRunFactory, tenant=factory.SelfAttribute("..tenant"))
    kind = "commission"
    amount = Decimal("100.00")
    currency = "EUR"
    explanation = "5% of 2 000.00"


@registered
class PaymentFactory(PartnerOwnedFactory):
    """A payment of an approved run (made approved here, as payments only exist for those)."""

    class Meta:
        model = Payment

    run = factory.SubFactory(PayoutRunFactory, tenant=factory.SelfAttribute("..tenant"), status="approved")
    amount = Decimal("100.00")
    currency = "EUR"
    paid_on = datetime.date(2026, 10, 5)
    reference = factory.Sequence(lambda n: f"BANK-{n:06}")


@registered
class PointsEntryFactory(PartnerOwnedFactory):
    class Meta:
        model = PointsEntry

    points = 10
    reason = "Club points"


@registered
class MdfRequestFactory(PartnerOwnedFactory):
    class Meta:
        model = MdfRequest

    rule = factory.SubFactory(
        IncentiveRuleFactory, tenant=factory.SelfAttribute("..tenant"), kind="mdf", params={"budget": "5000"}
    )
    period = "2026-Q3"
    plan = "Trade show booth"
    amount = Decimal("2000")


@registered
class MdfClaimFactory(BaseFactory):
    class Meta:
        model = MdfClaim

    tenant = factory.SubFactory(TenantFactory)
    request = factory.SubFactory(
        MdfRequestFactory, tenant=factory.SelfAttribute("..tenant"), status="approved"
    )
    amount = Decimal("1500")
    description = "Booth at the fair"
    proof = factory.django.FileField(filename="proof.pdf", data=REAL_PDF)


@registered
class AgreementTemplateFactory(BaseFactory):
    class Meta:
        model = AgreementTemplate

    tenant = factory.SubFactory(TenantFactory)
    name = "Cooperation agreement"
    version = factory.Sequence(lambda n: f"test-{n}")


@registered
class AgreementFactory(PartnerOwnedFactory):
    class Meta:
        model = Agreement

    template = factory.SubFactory(AgreementTemplateFactory, tenant=factory.SelfAttribute("..tenant"))
    version = "2026.1"
    signed_on = datetime.date(2026, 9, 1)
    signatories = "Ana Lima, CEO"
    document = factory.django.FileField(filename="agreement.pdf", data=REAL_PDF)


@registered
class ChecklistTemplateStepFactory(BaseFactory):
    class Meta:
        model = ChecklistTemplateStep

    tenant = factory.SubFactory(TenantFactory)
    title = "Partner file completed"


@registered
class ChecklistStepFactory(PartnerOwnedFactory):
    class Meta:
        model = ChecklistStep

    title = "Partner file completed"


@registered
class CourseFactory(BaseFactory):
    class Meta:
        model = Course

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Course {n}")
    required_for_certification = True


@registered
class CompletionFactory(PartnerOwnedFactory):
    class Meta:
        model = Completion

    course = factory.SubFactory(CourseFactory, tenant=factory.SelfAttribute("..tenant"))
    person = "Jo Silva"


@registered
class AnnouncementFactory(BaseFactory):
    class Meta:
        model = Announcement

    tenant = factory.SubFactory(TenantFactory)
    title = "New price list"
    body = "From the first of the month."


@registered
class ApplicationFactory(BaseFactory):
    class Meta:
        model = Application

    tenant = factory.SubFactory(TenantFactory)
    company = "Candidate Ltd"
    contact_name = "Jo"
    email = "jo@candidate.example"


@registered
class NotificationPreferenceFactory(BaseFactory):
    class Meta:
        model = NotificationPreference

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    category = "payouts"


@registered
class JobFactory(BaseFactory):
    class Meta:
        model = Job

    tenant = factory.SubFactory(TenantFactory)
    kind = "data_summary"


@registered
class AuditEntryFactory(BaseFactory):
    class Meta:
        model = AuditEntry

    tenant = factory.SubFactory(TenantFactory)
    action = "test.changed"
    target_type = "tenancy.tenant"
    target_id = "1"
    target_repr = "something"


def make_object(model, *, tenant, partner=None):
    """One object of ``model`` in ``tenant`` (and of ``partner`` where it has one)."""
    factory_class = REGISTRY.get(model)
    if factory_class is None:
        raise LookupError(f"No factory for {model._meta.label}: add one to tests/factories.py")
    if model is Tenant:
        return tenant
    if model is Partner:
        return partner or factory_class(tenant=tenant)
    if model is Membership:
        return factory_class(tenant=tenant)
    kwargs = {"tenant": tenant}
    if partner is not None and any(f.name == "partner" for f in model._meta.fields):
        kwargs["partner"] = partner
    if partner is not None and model is Objection:
        kwargs["visit__partner"] = partner
    if partner is not None and model is ScorecardLine:
        kwargs["scorecard__partner"] = partner
    if partner is not None and model is MdfClaim:
        kwargs["request__partner"] = partner
    if partner is not None and model is PlanActivity:
        kwargs["plan__partner"] = partner
    return factory_class(**kwargs)


@registered
class EndpointFactory(BaseFactory):
    class Meta:
        model = Endpoint

    tenant = factory.SubFactory(TenantFactory)
    url = "https://hooks.example.com/prm"
    events = factory.LazyFunction(lambda: ["*"])
    secret = factory.Sequence(lambda n: f"whsec_test{n:08}")


class WebhookEventFactory(BaseFactory):
    class Meta:
        model = WebhookEvent

    tenant = factory.SubFactory(TenantFactory)
    name = "partner.created"
    data = factory.LazyFunction(lambda: {"id": 1})


class DeliveryFactory(BaseFactory):
    class Meta:
        model = Delivery

    tenant = factory.SubFactory(TenantFactory)
    endpoint = factory.SubFactory(EndpointFactory, tenant=factory.SelfAttribute("..tenant"))
    event = factory.SubFactory(WebhookEventFactory, tenant=factory.SelfAttribute("..tenant"))


@registered
class SentEmailFactory(BaseFactory):
    class Meta:
        model = SentEmail

    tenant = factory.SubFactory(TenantFactory)
    kind = "invitations"
    subject = factory.Sequence(lambda n: f"You are invited ({n})")
    from_email = "prm@localhost"
    to = factory.LazyFunction(lambda: ["jo@nordwind.example"])
    text = "Set your password: https://prm.example/accounts/reset/x/y/"


@registered
class IdentityProviderFactory(BaseFactory):
    class Meta:
        model = IdentityProvider

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Company sign-in {n}")
    protocol = "oidc"
    email_domains = factory.Sequence(lambda n: [f"company{n}.example"])
    discovery_url = "https://idp.example/.well-known/openid-configuration"
    client_id = "prm"
    client_secret = "secret"
    role_mapping = factory.LazyFunction(lambda: {"staff": "channel_manager"})


@registered
class ContestFactory(BaseFactory):
    """A contest running this month, open to every partner (so every partner user reaches it)."""

    class Meta:
        model = Contest

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Contest {n}")
    starts_on = factory.LazyFunction(lambda: datetime.date.today().replace(day=1))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


@registered
class RewardPreferenceFactory(PartnerOwnedFactory):
    class Meta:
        model = RewardPreference

    kinds = factory.LazyFunction(lambda: ["points", "training"])


@registered
class RewardItemFactory(BaseFactory):
    """A gift of the rewards catalogue, 50 points, unlimited, offered to every partner."""

    class Meta:
        model = RewardItem

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Reward {n}")
    points = 50


@registered
class RedemptionFactory(PartnerOwnedFactory):
    """A requested redemption (no ledger rows: tests that count points redeem through the service)."""

    class Meta:
        model = Redemption

    item = factory.SubFactory(RewardItemFactory, tenant=factory.SelfAttribute("..tenant"))
    item_name = factory.SelfAttribute("item.name")
    points = factory.SelfAttribute("item.points")


@registered
class AwardCategoryFactory(BaseFactory):
    class Meta:
        model = AwardCategory

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Award category {n}")


@registered
class AwardFactory(PartnerOwnedFactory):
    class Meta:
        model = Award

    category = factory.SubFactory(AwardCategoryFactory, tenant=factory.SelfAttribute("..tenant"))
    period = "2026"
    citation = "For a year that stood out."


@registered
class CustomerSurveyFactory(PartnerOwnedFactory):
    class Meta:
        model = CustomerSurvey

    source = "registration"
    customer = factory.Sequence(lambda n: f"Customer {n}")
    email = "buyer@customer.example"
    nonce = factory.Sequence(lambda n: f"{n:032x}")
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


@registered
class PartnerSurveyFactory(BaseFactory):
    class Meta:
        model = PartnerSurvey

    tenant = factory.SubFactory(TenantFactory)
    title = factory.Sequence(lambda n: f"Programme survey {n}")


@registered
class PartnerRequestFactory(BaseFactory):
    class Meta:
        model = PartnerRequest

    tenant = factory.SubFactory(TenantFactory)
    partner = factory.SubFactory(PartnerFactory, tenant=factory.SelfAttribute("..tenant"))
    category = "request"
    subject = factory.Sequence(lambda n: f"Request {n}")
    first_due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    due_at = factory.SelfAttribute("first_due_at")
    attachment = factory.django.FileField(filename="note.pdf", data=REAL_PDF)
    attachment_name = "note.pdf"


@registered
class RequestMessageFactory(BaseFactory):
    class Meta:
        model = RequestMessage

    tenant = factory.SubFactory(TenantFactory)
    request = factory.SubFactory(PartnerRequestFactory, tenant=factory.SelfAttribute("..tenant"))
    text = "Can we get two demo units?"


@registered
class ListPriceFactory(BaseFactory):
    class Meta:
        model = ListPrice

    tenant = factory.SubFactory(TenantFactory)
    product = factory.Sequence(lambda n: f"Product {n}")
    currency = "EUR"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    list_price = Decimal("1000.00")


@registered
class TierTermsFactory(BaseFactory):
    class Meta:
        model = TierTerms

    tenant = factory.SubFactory(TenantFactory)
    price = factory.SubFactory(ListPriceFactory, tenant=factory.SelfAttribute("..tenant"))
    tier = "A"
    max_discount = Decimal("20.00")
    minimum_price = Decimal("700.00")
