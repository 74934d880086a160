"""The partners API: partners and their life cycle, visits, assessments, tiers, sales, deals."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from partners import selectors
from partners.benefits import benefit_delete, benefit_list, benefit_save
from partners.exports import partners_csv
from partners.filters import DealFilter, PartnerFilter, SaleFilter, VisitFilter
from partners.models import Assessment, DealRegistration, Partner, ReferenceItem, Sale, TierBenefit
from partners.programme import programme_for
from partners.services import assessments, deals, lifecycle, reference, sales, tiers, visits
from partners.tasks import recompute_tiers
from prm.api.filters import QueryFilterBackend
from prm.api.imports import csv_import
from prm.api.pagination import KeysetPagination, MergedKeysetPagination
from prm.api.schema import seen_by_staff_or_partner
from prm.api.views import TenantViewMixin, TenantViewSet
from prm.jobs.api.serializers import JobSerializer
from prm.portal.responses import CSV, attachment
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from . import serializers as s


@seen_by_staff_or_partner("PartnerAsSeen", s.PartnerSerializer, s.PartnerForPartnerSerializer)
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Partners of the tenant; a partner user sees only its own."""

    model = Partner
    serializer_class = s.PartnerSerializer
    filterset_class = PartnerFilter
    filter_backends = [QueryFilterBackend, OrderingFilter]  # an unfiltered page binds no filter form
    read_capability = C.READ
    write_capability = C.WORK_PIPELINE
    partner_scope = "id"
    ordering_fields = ["name", "stage", "stage_due_at", "created_at", "region"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]  # DELETE: only of a contact
    action_capabilities = {
        "transition": C.MOVE_PARTNER,
        "approve": C.APPROVE_SIGNING,
        "request_approval": C.MOVE_PARTNER,
        "tier_override": C.OVERRIDE_TIER,
        "visits": C.WORK_PIPELINE,
        "assessments": C.WORK_PIPELINE,
        "history": C.READ_VENDOR_SIDE,
        "contacts": C.WORK_PIPELINE,
        "import_partners": C.IMPORT_PARTNERS,
        "relationship": C.WORK_PIPELINE,
        "contact": C.WORK_PIPELINE,
        "export": C.READ_VENDOR_SIDE,
    }

    def base_queryset(self):
        queryset = selectors.partner_list(tenant=self.tenant)
        if self.action == "list":  # its rows name the owner by id; the page's contacts come in one query
            return queryset.select_related(None)
        return queryset.prefetch_related("contacts")

    def list(self, request, *args, **kwargs):
        # (no docstring: it would become the operation's description in the OpenAPI document)
        # a page of partners as plain values, with the contacts of the page's partners in one query
        rows = self.paginate_queryset(selectors.listed_values(self.filter_queryset(self.get_queryset())))
        page = selectors.listed(rows)
        contacts = selectors.contacts_by_partner(page, s.ContactSerializer.Meta.fields)
        context = {**self.get_serializer_context(), "contacts": contacts}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)

    def known_count(self, request) -> int | None:
        """Staff's unfiltered list counts every partner of the tenant: the database keeps that number."""
        return selectors.listed_partner_count(
            tenant=self.tenant, access=self.access, params=request.query_params
        )

    def get_serializer_class(self):
        partner_user = getattr(self.request, "tenant_access", None) is not None and self.access.is_partner
        if self.action == "list":  # the same representation, built row by row without DRF's fields
            return s.PartnerForPartnerListSerializer if partner_user else s.PartnerListSerializer
        if partner_user:
            return s.PartnerForPartnerSerializer
        if self.action in ("update", "partial_update"):
            return s.PartnerUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = lifecycle.partner_create(tenant=self.tenant, actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = lifecycle.partner_update(
            partner=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=s.TransitionSerializer, responses=s.PartnerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, *args, **kwargs):
        """Move the partner to another stage; 400 lists every unmet gate under "to"."""
        partner = self.get_object()
        body = _valid(s.TransitionSerializer, request.data)
        partner = lifecycle.partner_transition(partner=partner, actor=request.user, **body)
        return Response(s.PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(request=s.ApprovalSerializer, responses=s.PartnerSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """The regional lead approves the candidate for signing (a gate of strategic)."""
        partner = self.get_object()  # 404 before 400: never tell what exists elsewhere
        body = _valid(s.ApprovalSerializer, request.data)
        partner = lifecycle.partner_approve_for_signing(partner=partner, actor=request.user, **body)
        return Response(s.PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(request=s.ApprovalSerializer, responses={202: s.ApprovalRequestedSerializer})
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request, *args, **kwargs):
        """Ask the regional leads (by e-mail) to approve the candidate for signing; once a day at most."""
        partner = self.get_object()
        body = _valid(s.ApprovalSerializer, request.data)
        told = lifecycle.partner_request_approval(partner=partner, actor=request.user, **body)
        return Response({"told": told}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request={"multipart/form-data": s.ImportFileSerializer},
        responses={
            200: s.PartnerImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_partners(self, request, *args, **kwargs):
        """Prospects from a CSV or XLSX (a trade-show list, a reseller roster): all or nothing, every bad
        row reported; companies that exist (normalised name or web domain) are listed in ``duplicates``
        and not created again."""
        from partners.services.partner_import import partners_import

        return csv_import(
            request,
            lambda upload: partners_import(tenant=self.tenant, actor=request.user, file=upload),
            duplicates=True,
        )

    @extend_schema(methods=["get"], responses=s.ContactSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=s.ContactSerializer, responses={201: s.ContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def contacts(self, request, *args, **kwargs):
        """The partner's contact persons (GET), or add one (POST)."""
        partner = self.get_object()
        if request.method == "GET":
            return Response(s.ContactSerializer(partner.contacts.all(), many=True).data)
        body = _valid(s.ContactSerializer, request.data)
        contact = lifecycle.contact_add(partner=partner, **body)
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["patch"], request=s.ContactSerializer(partial=True), responses=s.ContactSerializer
    )
    @extend_schema(methods=["delete"], request=None, responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"contacts/(?P<contact_id>\d+)")
    def contact(self, request, *args, contact_id=None, **kwargs):
        """Change (PATCH) or remove (DELETE) one contact person; both audited."""
        partner = self.get_object()
        contact = get_object_or_404(partner.contacts.all(), pk=contact_id)
        if request.method == "DELETE":
            lifecycle.contact_remove(contact=contact, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = s.ContactSerializer(contact, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        contact = lifecycle.contact_change(contact=contact, actor=request.user, **body.validated_data)
        return Response(s.ContactSerializer(contact).data)

    @extend_schema(request=s.RelationshipSerializer, responses=s.PartnerSerializer)
    @action(detail=True, methods=["post"])
    def relationship(self, request, *args, **kwargs):
        """The referral relationship's depth now (business, friendship, partnership), kept with its history."""
        partner = self.get_object()
        body = _valid(s.RelationshipSerializer, request.data)
        partner = lifecycle.relationship_set(partner=partner, actor=request.user, **body)
        return Response(s.PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(responses=s.HistoryEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=MergedKeysetPagination)
    def history(self, request, *args, **kwargs):
        """Stage and tier changes, newest first, with who, when and why."""
        events = selectors.partner_history(partner=self.get_object())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.HistoryEventSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=s.VisitSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=s.VisitSerializer, responses={201: s.VisitSerializer})
    @action(detail=True, methods=["get", "post"])
    def visits(self, request, *args, **kwargs):
        """Visits, calls and meetings with their objections."""
        partner = self.get_object()
        if request.method == "POST":
            serializer = s.VisitSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            visit = visits.visit_log(partner=partner, actor=request.user, **serializer.validated_data)
            return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
        queryset = selectors.visit_list(tenant=self.tenant).filter(partner=partner)
        return self._paginated(VisitFilter(request.query_params, queryset=queryset).qs, s.VisitSerializer)

    @extend_schema(methods=["get"], responses=s.AssessmentSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=s.AssessmentSerializer, responses={201: s.AssessmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, *args, **kwargs):
        """Selection, strategic and tier assessments (ratings 1–5 per criterion)."""
        partner = self.get_object()
        if request.method == "POST":
            serializer = s.AssessmentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            assessment = assessments.assessment_record(
                partner=partner, actor=request.user, **serializer.validated_data
            )
            return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
        queryset = (
            Assessment.objects.for_tenant(self.tenant).filter(partner=partner).select_related("assessed_by")
        )
        return self._paginated(queryset, s.AssessmentSerializer)

    @extend_schema(request=s.TierOverrideSerializer, responses=s.PartnerSerializer)
    @action(detail=True, methods=["post"], url_path="tier-override")
    def tier_override(self, request, *args, **kwargs):
        """Override the computed tier with a reason; ``{"tier": null}`` removes the override."""
        partner = self.get_object()
        body = _valid(s.TierOverrideSerializer, request.data)
        partner = tiers.tier_override(partner=partner, actor=request.user, **body)
        return Response(s.PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="The filtered list as CSV")})
    @action(detail=False, methods=["get"])
    def export(self, request, *args, **kwargs):
        """The filtered partner list as CSV (same filters as the list)."""
        queryset = self.filter_queryset(self.get_queryset())
        return attachment(partners_csv(queryset), CSV, f"partners-{self.tenant.slug}.csv")

    def _paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


@extend_schema_view(list=extend_schema(responses=s.SaleSerializer(many=True)))  # SaleListSerializer's answer
class SaleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Sales records; ``import/`` takes a CSV all-or-nothing. Finance reads, never edits."""

    model = Sale
    serializer_class = s.SaleSerializer
    filterset_class = SaleFilter
    filter_backends = [QueryFilterBackend, OrderingFilter]  # an unfiltered page binds no filter form
    pagination_class = KeysetPagination
    cursor_ordering = ("-date", "-id")  # the index (tenant, date desc, id desc)
    read_capability = C.READ
    write_capability = C.RECORD_SALES
    partner_scope = "partner"
    ordering_fields = ["date", "amount", "external_id"]
    action_capabilities = {"import_csv": C.RECORD_SALES}

    def base_queryset(self):
        if self.action == "list":  # its rows name the partner by id: no partner is read
            return selectors.sale_list(tenant=self.tenant).select_related(None)
        return selectors.sale_list(tenant=self.tenant)

    def get_serializer_class(self):
        if self.action == "list":  # the same representation, built row by row without DRF's fields
            return s.SaleListSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = sales.sale_create(tenant=self.tenant, **serializer.validated_data)

    @extend_schema(
        request={"multipart/form-data": s.ImportFileSerializer},
        responses={
            200: s.ImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import sales from a CSV with a header row; every bad row is reported and nothing is written."""
        return csv_import(request, lambda upload: sales.sales_import(tenant=self.tenant, file=upload))


class DealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Deal registrations, with ``conflicts``: other partners' open registrations for the same customer."""

    model = DealRegistration
    serializer_class = s.DealSerializer
    filterset_class = DealFilter
    read_capability = C.READ
    write_capability = C.REGISTER_DEAL
    partner_scope = "partner"
    ordering_fields = ["registered_at", "expires_at", "expected_amount"]
    action_capabilities = {
        "decide": C.DECIDE_DEAL,
        "extend": C.DECIDE_DEAL,
        "close": C.CLOSE_DEAL,
        "withdraw": C.REGISTER_DEAL,
    }

    def base_queryset(self):
        return selectors.deal_list(tenant=self.tenant)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), "conflicts": self._conflicts(page)}
        return self.get_paginated_response(s.DealSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        deal = self.get_object()
        return Response(self._represent(deal))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = self.writing_partner(data.pop("partner", None))
        serializer.instance = deals.deal_register(partner=partner, actor=self.request.user, **data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self._represent(serializer.instance), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DealDecisionSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        """Approve or reject a pending registration; rejecting needs a reason."""
        deal = self.get_object()
        body = _valid(s.DealDecisionSerializer, request.data)
        deal = deals.deal_decide(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    @extend_schema(request=s.DealCloseSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Record that an approved registration was won (with its amount) or lost; feeds win rate and bonuses.

        The vendor's act: partner users cannot close deals, and a pending registration cannot be closed."""
        deal = self.get_object()
        body = _valid(s.DealCloseSerializer, request.data)
        deal = deals.deal_close(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    @extend_schema(request=s.DealWithdrawalSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """Take back a pending registration (the partner that registered it, or a manager)."""
        deal = self.get_object()
        body = _valid(s.DealWithdrawalSerializer, request.data)
        deal = deals.deal_withdraw(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    @extend_schema(request=s.DealExtensionSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, *args, **kwargs):
        """Extend an open registration's protection window by some days."""
        deal = self.get_object()
        body = _valid(s.DealExtensionSerializer, request.data)
        deal = deals.deal_extend(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    def _conflicts(self, deals_page):
        if self.access.is_partner:  # other partners' registrations are none of a partner's business
            return {}
        return selectors.deal_conflicts(tenant=self.tenant, deals=deals_page or [])

    def _represent(self, deal):
        context = {**self.get_serializer_context(), "conflicts": self._conflicts([deal])}
        return s.DealSerializer(deal, context=context).data


class TierViewSet(TenantViewSet):
    """Tier recomputation as a background job."""

    model = Partner
    write_capability = C.RECOMPUTE_TIERS
    serializer_class = JobSerializer

    def base_queryset(self):
        return Partner.objects.none()

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def recompute(self, request, *args, **kwargs):
        """Recompute every partner's tier (202 with the job to follow)."""
        return self.job_accepted(kind="recompute_tiers", task=recompute_tiers)


class PlaybookView(TenantViewMixin, generics.GenericAPIView):
    """The objection playbook: the recommended response per objection type (the tenant's, or the default)."""

    serializer_class = s.PlaybookEntrySerializer
    write_capability = C.EDIT_PLAYBOOK
    filter_backends = []
    pagination_class = None
    model = None

    def entries(self):
        from partners.choices import ObjectionType
        from partners.models import ObjectionResponse
        from partners.services.visits import playbook_for

        own = set(ObjectionResponse.objects.for_tenant(self.tenant).values_list("type", flat=True))
        return [
            {"type": t, "label": ObjectionType(t).label, "response": text, "is_default": t not in own}
            for t, text in playbook_for(self.tenant).items()
        ]

    @extend_schema(responses=s.PlaybookEntrySerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response(s.PlaybookEntrySerializer(self.entries(), many=True).data)


class PlaybookEntryView(PlaybookView):
    """One objection type's recommended response: read it, or set the tenant's own (PUT, managers)."""

    def entry(self):
        from django.http import Http404

        for entry in self.entries():
            if entry["type"] == self.kwargs["type"]:
                return entry
        raise Http404

    @extend_schema(responses=s.PlaybookEntrySerializer)
    def get(self, request, *args, **kwargs):
        return Response(s.PlaybookEntrySerializer(self.entry()).data)

    @extend_schema(request=s.PlaybookEntrySerializer, responses=s.PlaybookEntrySerializer)
    def put(self, request, *args, **kwargs):
        from partners.services.visits import playbook_set

        self.entry()  # 404 for an unknown type
        body = _valid(s.PlaybookEntrySerializer, request.data)
        playbook_set(
            tenant=self.tenant, actor=request.user, type=self.kwargs["type"], response=body["response"]
        )
        return Response(s.PlaybookEntrySerializer(self.entry()).data)


class ProgrammeView(TenantViewMixin, generics.GenericAPIView):
    """The partner programme's settings: time boxes, deal protection, tier window, weights,
    thresholds and the tier table. Every staff role reads them; admins change them (PATCH), and a
    change of a tiering setting starts a recompute of every tier (its job in ``tier_recompute``)."""

    serializer_class = s.ProgrammeSerializer
    write_capability = C.EDIT_PROGRAMME
    filter_backends = []
    model = None

    def _body(self, programme, job=None):
        from partners.programme import NAMED_ROWS, tier_key_words

        return {
            "time_boxes": {k: v or 0 for k, v in programme.time_boxes.items()},
            "protection_days": programme.protection_days,
            "deals_auto_win": programme.deals_auto_win,
            "tier_window_days": programme.tier_window_days,
            "assessment_weight": programme.assessment_weight,
            "thresholds": programme.thresholds,
            "tier_table": programme.tier_table,
            "gate_minimums": programme.gate_minimums,
            "revenue_weight": programme.revenue_weight,
            "attainment_cap": programme.attainment_cap,
            "balance_spread": programme.balance_spread,
            "jump_factor": programme.jump_factor,
            "jump_minimum": programme.jump_minimum,
            "pay_unsigned_partners": programme.pay_unsigned_partners,
            "answer_within_days": programme.answer_within_days,
            "selling_stages": list(programme.selling_stages),
            "willingness_weights": programme.willingness_weights,
            "mdf_over_claim": programme.mdf_over_claim,
            "certification_reminder_days": programme.certification_reminder_days,
            "certification_lapse": programme.certification_lapse,
            "health_quiet_days": programme.health_quiet_days,
            "health_return_amount": programme.health_return_amount,
            "visit_cadence_per_day": programme.visit_cadence_per_day,
            "service_reminder_days": programme.service_reminder_days,
            "remind_end_customers": programme.remind_end_customers,
            "tier_rows": [
                {"key": key, **tier_key_words(key), "tier": tier, "named": key in NAMED_ROWS}
                for key, tier in programme.tier_table.items()
            ],
            "tier_recompute": JobSerializer(job, context=self.get_serializer_context()).data if job else None,
        }

    def get(self, request, *args, **kwargs):
        return Response(self._body(programme_for(self.tenant)))

    def patch(self, request, *args, **kwargs):
        from partners.programme import programme_save, tiering_changed
        from prm.jobs.services import job_start

        body = s.ProgrammeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        before = programme_for(self.tenant)
        after = programme_save(tenant=self.tenant, actor=request.user, values=dict(body.validated_data))
        job = None
        if tiering_changed(before, after):
            job = job_start(
                tenant=self.tenant, kind="recompute_tiers", task=recompute_tiers, requested_by=request.user
            )
        return Response(self._body(after, job))


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReferenceItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """The tenant's reference lists (``kind``: region, industry, product, competing_line, referrer):
    partners, sales, deals and product registrations take their values from them (any case, or another
    spelling listed in ``aliases``); a kind without a list keeps free text. Admins keep the lists
    (POST, PATCH, ``import/`` of a CSV or XLSX); every role reads them."""

    model = ReferenceItem
    serializer_class = s.ReferenceItemSerializer
    read_capability = C.READ
    write_capability = C.EDIT_PROGRAMME
    partner_scope = SHARED_WITH_PARTNERS
    filterset_fields = ["kind", "active"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return ReferenceItem.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        serializer.instance = reference.reference_save(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = {
            "kind": serializer.instance.kind,
            "name": serializer.instance.name,
            **serializer.validated_data,
        }
        serializer.instance = reference.reference_save(
            tenant=self.tenant, actor=self.request.user, item=serializer.instance, **data
        )

    @extend_schema(
        request={"multipart/form-data": s.ImportFileSerializer},
        responses={
            200: s.ImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import values: ``kind, name[, aliases (a|b), price, warranty_months, service_months]``; all or nothing."""
        return csv_import(
            request,
            lambda upload: reference.reference_import(tenant=self.tenant, actor=request.user, file=upload),
        )


class TierBenefitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """What each tier gives (``kind``: margin_points, mdf_share, support, lead_priority, marketing,
    event_seats, training_seats, other), with the ``description`` partners read and the ``value``
    other rules use: a commission rule's ``rate_benefit`` reads margin points, an MDF rule's
    ``budget_share_benefit`` the MDF share (a tier without it may not request MDF once any tier
    has one), lead rules the lead priority. Each says how it is kept (``kept``, ``automatic``,
    ``applied_by``, ``contradicted_by``, ``kept_note``). A benefit that a current rule contradicts
    (the tier's MDF rule pays another share) is refused with 400 naming the rule. Every role reads
    them; admins change them."""

    model = TierBenefit
    serializer_class = s.TierBenefitSerializer
    read_capability = C.READ
    write_capability = C.EDIT_PROGRAMME
    partner_scope = SHARED_WITH_PARTNERS
    filterset_fields = ["tier", "kind"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return benefit_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = benefit_save(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = benefit_save(
            tenant=self.tenant,
            actor=self.request.user,
            benefit=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        benefit_delete(benefit=instance, actor=self.request.user)


class ActivityReportView(TenantViewMixin, generics.GenericAPIView):
    """The team's own numbers for ``?period=`` (default this quarter), ``owner`` (a member's id) and
    ``region``: per manager (``owners``) and per region (``regions``) the new candidates visited and
    per week against ``cadence_per_week``, visits and the share that met their goal, per stage the
    partners that moved on or dropped out with the median days in it against its time box, partners
    per tier and overdue partners."""

    serializer_class = s.ActivityReportSerializer
    read_capability = C.READ_VENDOR_SIDE
    filter_backends = []
    model = None

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026-07 or 2026-Q3 (default: this quarter)"),
            OpenApiParameter("owner", int, description="A member's user id"),
            OpenApiParameter("region", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        from partners.reports import activity_report
        from partners.views.reports import report_filters

        if request.query_params.get("period"):
            try:
                from prm.periods import parse_period

                parse_period(request.query_params["period"])
            except Exception as exc:
                from rest_framework.exceptions import ValidationError

                raise ValidationError({"period": ["Use 2026-07 or 2026-Q3."]}) from exc
        return Response(
            activity_report(tenant=self.tenant, **report_filters(self.tenant, request.query_params))
        )
