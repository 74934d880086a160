"""Partners: the list and the detail, contacts, stage moves, visits, assessments, tier override,
import and export."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from partners import selectors
from partners.api.serializers import partner_fields
from partners.api.serializers.assessments import AssessmentSerializer
from partners.api.serializers.imports import ImportFileSerializer, PartnerImportResultSerializer
from partners.api.serializers.live import LiveFiguresSerializer
from partners.api.serializers.partners import (
    ContactSerializer,
    PartnerForPartnerListSerializer,
    PartnerForPartnerSerializer,
    PartnerListSerializer,
    PartnerSerializer,
    PartnerUpdateSerializer,
    detail_prefix,
)
from partners.api.serializers.stage_moves import (
    ApprovalRequestedSerializer,
    ApprovalSerializer,
    HistoryEventSerializer,
    RelationshipSerializer,
    TransitionSerializer,
)
from partners.api.serializers.tiers import TierOverrideSerializer
from partners.api.serializers.visits import VisitSerializer
from partners.api.views.validation import _valid
from partners.api.views.visit_plans import plan_to_carry_out
from partners.exports import partners_csv
from partners.filters import PartnerFilter, VisitFilter
from partners.lifecycle import assessments, visits
from partners.lifecycle import moves as lifecycle
from partners.lifecycle.prospect_import import partners_import
from partners.models import Assessment, Partner
from partners.tiering.explanation import explain_words
from partners.tiering.moves import tier_override
from prm.api.filters import QueryFilterBackend
from prm.api.imports import csv_import
from prm.api.pagination import MergedKeysetPagination
from prm.api.schema import seen_by_staff_or_partner, sparse_rows
from prm.api.sparse import chosen_fields
from prm.api.views import TenantViewSet
from prm.portal.responses import CSV, attachment
from prm.tenancy.capabilities import Capability as C

#: The list's ``?fields=`` in the OpenAPI document.
FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    str,
    description="Only these keys in each row, comma separated (e.g. `id,name,tier`): any of "
    + ", ".join(partner_fields.STAFF_FIELDS)
    + " (partner users: "
    + ", ".join(partner_fields.PARTNER_USER_FIELDS)
    + "). An unknown name is a 400 naming it. Without it, each row is the detail and `url`.",
)
LIST_ROW = sparse_rows(
    "PartnerListRow",
    of="Partner",
    adds={
        "url": {"type": "string", "format": "uri", "readOnly": True, "description": "The partner's detail"}
    },
    description="A row of the partner list: the detail as the caller sees it (staff: Partner, partner users: "
    "PartnerForPartner) and `url`; with `?fields=`, only the fields named.",
)


@seen_by_staff_or_partner("PartnerAsSeen", PartnerSerializer, PartnerForPartnerSerializer, detail_only=True)
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Partners of the tenant; a partner user sees only its own."""

    model = Partner
    serializer_class = PartnerSerializer
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

    @extend_schema(parameters=[FIELDS_PARAMETER], responses={200: LIST_ROW})
    def list(self, request, *args, **kwargs):
        # (no docstring: it would become the operation's description in the OpenAPI document)
        partner_user = self.access.is_partner
        known = partner_fields.PARTNER_USER_FIELDS if partner_user else partner_fields.STAFF_FIELDS
        chosen = chosen_fields(request.query_params, known)  # before any query: a 400 reads nothing
        if chosen is not None:
            return self._sparse_list(chosen)
        # a page of partners as plain values, with the contacts of the page's partners in one query
        rows = self.paginate_queryset(selectors.listed_values(self.filter_queryset(self.get_queryset())))
        page = selectors.listed(rows)
        contacts = selectors.contacts_by_partner(page, ContactSerializer.Meta.fields)
        context = {**self.get_serializer_context(), "contacts": contacts}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)

    def _sparse_list(self, chosen):
        """A page of the ``chosen`` fields (``?fields=``): only their columns are read, the contacts
        only when chosen, the tier sentence's words only for ``tier_explanation``."""
        columns = partner_fields.columns_for(chosen)
        rows = self.paginate_queryset(
            selectors.listed_values(self.filter_queryset(self.get_queryset()), columns)
        )
        page = selectors.listed(rows)
        shared = {"zone": timezone.get_current_timezone()}
        if "contacts" in chosen:
            shared["contacts"] = selectors.contacts_by_partner(page, ContactSerializer.Meta.fields)
        if "tier_explanation" in chosen:
            shared["words"] = explain_words()
        if partner_fields.URL in chosen:
            shared["detail"] = detail_prefix(self.get_serializer_context())
        return self.get_paginated_response([partner_fields.sparse_row(p, chosen, shared) for p in page])

    def known_count(self, request) -> int | None:
        """Staff's unfiltered list counts every partner of the tenant: the database keeps that number."""
        return selectors.listed_partner_count(
            tenant=self.tenant, access=self.access, params=request.query_params
        )

    def get_serializer_class(self):
        partner_user = getattr(self.request, "tenant_access", None) is not None and self.access.is_partner
        if self.action == "list":  # the same representation, built row by row without DRF's fields
            return PartnerForPartnerListSerializer if partner_user else PartnerListSerializer
        if partner_user:
            return PartnerForPartnerSerializer
        if self.action in ("update", "partial_update"):
            return PartnerUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = lifecycle.partner_create(tenant=self.tenant, actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = lifecycle.partner_update(
            partner=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=TransitionSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, *args, **kwargs):
        """Move the partner to another stage; 400 lists every unmet gate under "to"."""
        partner = self.get_object()
        body = _valid(TransitionSerializer, request.data)
        partner = lifecycle.partner_transition(partner=partner, actor=request.user, **body)
        return Response(PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(request=ApprovalSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """The regional lead approves the candidate for signing (a gate of strategic)."""
        partner = self.get_object()  # 404 before 400: never tell what exists elsewhere
        body = _valid(ApprovalSerializer, request.data)
        partner = lifecycle.partner_approve_for_signing(partner=partner, actor=request.user, **body)
        return Response(PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(request=ApprovalSerializer, responses={202: ApprovalRequestedSerializer})
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request, *args, **kwargs):
        """Ask the regional leads (by e-mail) to approve the candidate for signing; once a day at most."""
        partner = self.get_object()
        body = _valid(ApprovalSerializer, request.data)
        told = lifecycle.partner_request_approval(partner=partner, actor=request.user, **body)
        return Response({"told": told}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: PartnerImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_partners(self, request, *args, **kwargs):
        """Prospects from a CSV or XLSX (a trade-show list, a reseller roster): all or nothing, every bad
        row reported; companies that exist (normalised name or web domain) are listed in ``duplicates``
        and not created again."""

        return csv_import(
            request,
            lambda upload: partners_import(tenant=self.tenant, actor=request.user, file=upload),
            duplicates=True,
        )

    @extend_schema(methods=["get"], responses=ContactSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=ContactSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def contacts(self, request, *args, **kwargs):
        """The partner's contact persons (GET), or add one (POST)."""
        partner = self.get_object()
        if request.method == "GET":
            return Response(ContactSerializer(partner.contacts.all(), many=True).data)
        body = _valid(ContactSerializer, request.data)
        contact = lifecycle.contact_add(partner=partner, **body)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=LiveFiguresSerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def figures(self, request, *args, **kwargs):
        """The partner's live figures: its tier inputs as a sale, deal, visit or course completion
        last left them (refreshed within seconds, ``partners.live``), and when."""
        partner = self.get_object()
        return Response(LiveFiguresSerializer(partner).data)

    @extend_schema(methods=["patch"], request=ContactSerializer(partial=True), responses=ContactSerializer)
    @extend_schema(methods=["delete"], request=None, responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"contacts/(?P<contact_id>\d+)")
    def contact(self, request, *args, contact_id=None, **kwargs):
        """Change (PATCH) or remove (DELETE) one contact person; both audited."""
        partner = self.get_object()
        contact = get_object_or_404(partner.contacts.all(), pk=contact_id)
        if request.method == "DELETE":
            lifecycle.contact_remove(contact=contact, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = ContactSerializer(contact, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        contact = lifecycle.contact_change(contact=contact, actor=request.user, **body.validated_data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=RelationshipSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def relationship(self, request, *args, **kwargs):
        """The referral relationship's depth now (business, friendship, partnership), kept with its history."""
        partner = self.get_object()
        body = _valid(RelationshipSerializer, request.data)
        partner = lifecycle.relationship_set(partner=partner, actor=request.user, **body)
        return Response(PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(responses=HistoryEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=MergedKeysetPagination)
    def history(self, request, *args, **kwargs):
        """Stage and tier changes, newest first, with who, when and why."""
        events = selectors.partner_history(partner=self.get_object())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(HistoryEventSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=VisitSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=VisitSerializer, responses={201: VisitSerializer})
    @action(detail=True, methods=["get", "post"])
    def visits(self, request, *args, **kwargs):
        """Visits, calls and meetings with their objections."""
        partner = self.get_object()
        if request.method == "POST":
            serializer = VisitSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            visit = visits.visit_log(
                partner=partner, actor=request.user, plan=plan_to_carry_out(self.tenant, data), **data
            )
            return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
        queryset = selectors.visit_list(tenant=self.tenant).filter(partner=partner)
        return self._paginated(VisitFilter(request.query_params, queryset=queryset).qs, VisitSerializer)

    @extend_schema(methods=["get"], responses=AssessmentSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=AssessmentSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, *args, **kwargs):
        """Selection, strategic and tier assessments (ratings 1–5 per criterion)."""
        partner = self.get_object()
        if request.method == "POST":
            serializer = AssessmentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            assessment = assessments.assessment_record(
                partner=partner, actor=request.user, **serializer.validated_data
            )
            return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
        queryset = (
            Assessment.objects.for_tenant(self.tenant).filter(partner=partner).select_related("assessed_by")
        )
        return self._paginated(queryset, AssessmentSerializer)

    @extend_schema(request=TierOverrideSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"], url_path="tier-override")
    def tier_override(self, request, *args, **kwargs):
        """Override the computed tier with a reason; ``{"tier": null}`` removes the override."""
        partner = self.get_object()
        body = _valid(TierOverrideSerializer, request.data)
        partner = tier_override(partner=partner, actor=request.user, **body)
        return Response(PartnerSerializer(partner, context=self.get_serializer_context()).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="The filtered list as CSV")})
    @action(detail=False, methods=["get"])
    def export(self, request, *args, **kwargs):
        """The filtered partner list as CSV (same filters as the list)."""
        queryset = self.filter_queryset(self.get_queryset())
        return attachment(partners_csv(queryset), CSV, f"partners-{self.tenant.slug}.csv")

    def _paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)
