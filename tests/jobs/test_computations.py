"""The framework of computations over ranges of partners (``prm.jobs.computations``, and how a job
runs one: ``prm.jobs.tasks.run_computation``), held with a computation of its own: the ranges'
payloads are kept once each, read back in the plan's order, counted before the join, removed by
it; a job of one range runs in place, a job of several fans out, counts and joins; a chunk of a
plan the job no longer runs counts for nothing."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import Partner
from prm.jobs.computations import (
    Computation,
    Plan,
    chunk_keep,
    chunk_measure,
    chunks_join,
    computation_named,
    in_ranges,
    register,
)
from prm.jobs.models import ComputationChunk, Job, JobStatus
from prm.jobs.services import job_start
from prm.jobs.tasks import JobTask, computation_chunk, run_computation
from prm.ranges import id_ranges, in_range
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@dataclass(kw_only=True, slots=True)
class NamesPlan(Plan):
    prefix: str


class PartnerNames(Computation):
    """The channel's partner names joined: each range measures its partners' names and a Decimal;
    the join reads every range in order. ``fail_in`` makes a step fail (``"measure"`` or ``"join"``)."""

    name = "tests.partner_names"
    label = "partner names"
    plan_class = NamesPlan
    fail_in = None

    def __init__(self):
        self.joined = []  # each join's payloads, in the order it read them
        self.progress = []

    def plan(self, tenant, *, chunk=2, prefix=">", **params):
        return NamesPlan(ranges=id_ranges(Partner.objects.for_tenant(tenant), chunk), prefix=prefix)

    def measure(self, tenant, plan, index):
        if self.fail_in == "measure":
            raise ValidationError("A range cannot be measured.")
        partners = in_range(Partner.objects.for_tenant(tenant), "pk", *plan.ranges[index])
        names = [plan.prefix + name for name in partners.order_by("pk").values_list("name", flat=True)]
        return {"index": index, "names": names, "share": Decimal("0.5")}

    def join(self, tenant, plan, chunks):
        if self.fail_in == "join":
            raise RuntimeError("the join broke")
        payloads = list(chunks.payloads())
        self.joined.append(payloads)
        return {"names": [name for payload in payloads for name in payload["names"]], "ranges": len(payloads)}

    def in_place(self, tenant, plan, progress=None):
        if progress:
            progress(0.5)
        names = Partner.objects.for_tenant(tenant).order_by("pk").values_list("name", flat=True)
        return {"names": [plan.prefix + name for name in names], "ranges": 1}

    def result(self, tenant, outcome):
        return {**outcome, "done": True}

    def describe(self, plan):
        return f"partner names {plan.prefix}"


NAMES = register(PartnerNames())


@shared_task(base=JobTask, name="tests.partner_names")
def partner_names(job, **params):
    return run_computation(job, NAMES, chunk=params.get("chunk", 2))


@pytest.fixture(autouse=True)
def healthy():
    NAMES.fail_in = None
    NAMES.joined.clear()
    yield
    NAMES.fail_in = None


@pytest.fixture
def channel(tenant):
    """Five partners: three ranges of two."""
    for n in range(5):
        PartnerFactory(tenant=tenant, name=f"P{n}")
    return tenant


def kept(tenant):
    with tenant_context(tenant):
        return list(ComputationChunk.objects.order_by("index").values_list("computation", "index"))


def test_a_plan_travels_as_json_and_comes_back_as_it_was():
    plan = NamesPlan(ranges=[(None, 3), (3, None)], prefix="#")
    again = NamesPlan.from_json({**plan.as_json(), "ranges": [[None, 3], [3, None]]})
    assert again == plan and again.ranges == [(None, 3), (3, None)]
    assert NamesPlan(ranges=[], prefix="").token != plan.token  # each plan its own token


def test_a_computation_is_found_by_its_name_and_an_unknown_name_is_refused():
    assert computation_named("tests.partner_names") is NAMES
    with pytest.raises(LookupError, match="nothing.registered"):
        computation_named("nothing.registered")


def test_ranges_measured_in_any_order_are_joined_in_the_plans_order_and_removed(channel):
    with tenant_context(channel):
        plan = NAMES.plan(channel)
        for index in reversed(range(len(plan.ranges))):  # workers finish in any order
            chunk_measure(NAMES, channel, plan, index)
        assert kept(channel) == [
            ("tests.partner_names", 0),
            ("tests.partner_names", 1),
            ("tests.partner_names", 2),
        ]
        outcome = chunks_join(NAMES, channel, plan)

    assert outcome == {"names": [">P0", ">P1", ">P2", ">P3", ">P4"], "ranges": 3}
    (payloads,) = NAMES.joined
    assert [p["index"] for p in payloads] == [0, 1, 2]
    assert payloads[0]["share"] == "0.5"  # a Decimal kept as its text
    assert kept(channel) == []


def test_a_range_measured_again_replaces_what_it_kept(channel):
    with tenant_context(channel):
        plan = NAMES.plan(channel)
        chunk_keep(NAMES, channel, plan, 0, {"names": ["first"]})
        chunk_keep(NAMES, channel, plan, 0, {"names": ["again"]})
        rows = list(ComputationChunk.objects.values_list("index", "payload"))
    assert rows == [(0, {"names": ["again"]})]


def test_a_join_missing_a_range_is_refused_and_writes_nothing(channel):
    with tenant_context(channel):
        plan = NAMES.plan(channel)
        chunk_measure(NAMES, channel, plan, 0)
        with pytest.raises(RuntimeError, match="partner names >: 1 of 3 chunks computed"):
            chunks_join(NAMES, channel, plan)
    assert NAMES.joined == [] and kept(channel) == [("tests.partner_names", 0)]


def test_a_join_that_fails_keeps_the_ranges_it_read(channel):
    NAMES.fail_in = "join"
    with tenant_context(channel):
        plan = NAMES.plan(channel)
        with pytest.raises(RuntimeError, match="the join broke"):
            in_ranges(NAMES, channel, plan)
    assert len(kept(channel)) == 3  # (removed after a day by another join)


def test_a_join_removes_the_chunks_of_computations_that_died_a_day_ago_and_no_others(channel, other_tenant):
    with tenant_context(channel):
        dead, alive = NAMES.plan(channel), NAMES.plan(channel)
        chunk_keep(NAMES, channel, dead, 0, {})
        chunk_keep(NAMES, channel, alive, 0, {})
        ComputationChunk.objects.filter(token=dead.token).update(
            created_at=timezone.now() - timedelta(days=2)
        )
    with tenant_context(other_tenant):
        elsewhere = NAMES.plan(other_tenant)
        chunk_keep(NAMES, other_tenant, elsewhere, 0, {})
        ComputationChunk.objects.update(created_at=timezone.now() - timedelta(days=2))

    with tenant_context(channel):
        in_ranges(NAMES, channel, NAMES.plan(channel))
        left = {str(t) for t in ComputationChunk.objects.values_list("token", flat=True)}
    assert left == {alive.token}  # the dead one gone, the one under way kept
    assert len(kept(other_tenant)) == 1  # another tenant's are its own joins' to remove


def test_a_job_of_one_range_runs_in_place_with_its_progress(
    channel, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(tenant=channel, kind="names", task=partner_names, params={"chunk": 10})
    job.refresh_from_db()

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"names": [">P0", ">P1", ">P2", ">P3", ">P4"], "ranges": 1, "done": True}
    assert "total" not in job.params and kept(channel) == [] and NAMES.joined == []


def test_a_job_of_several_ranges_fans_out_counts_them_and_the_last_one_joins(
    channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(tenant=channel, kind="names", task=partner_names)
    job.refresh_from_db()

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"], job.progress) == (3, 3, 1.0)
    assert job.result == {"names": [">P0", ">P1", ">P2", ">P3", ">P4"], "ranges": 3, "done": True}
    assert kept(channel) == []


def test_a_range_that_fails_fails_the_job_in_its_own_words(channel, django_capture_on_commit_callbacks):
    NAMES.fail_in = "measure"
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(tenant=channel, kind="names", task=partner_names)
    job.refresh_from_db()

    assert job.status == JobStatus.FAILED and job.error == "A range cannot be measured."
    assert job.params["done"] == 0 and kept(channel) == []


def test_a_chunk_of_a_plan_the_job_no_longer_runs_neither_works_nor_counts(channel):
    """A job sent again (``jobs_rescue_lost``) plans anew; a range of its old plan arriving late is
    not measured, not kept and not counted, so the new plan's join sees its own ranges only."""
    with tenant_context(channel):
        old, new = NAMES.plan(channel), NAMES.plan(channel)
        job = Job.objects.create(
            tenant=channel,
            kind="names",
            status=JobStatus.RUNNING,
            params={"token": new.token, "total": 3, "done": 0},
        )

    def chunk(plan, index):
        computation_chunk(
            tenant_id=channel.pk,
            job_id=job.pk,
            computation=NAMES.name,
            plan=plan.as_json(),
            index=index,
        )

    chunk(old, 0)
    job.refresh_from_db()
    assert job.params["done"] == 0 and kept(channel) == []
    for index in range(3):
        chunk(new, index)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["ranges"] == 3
    assert job.progress == 1.0 and kept(channel) == []
