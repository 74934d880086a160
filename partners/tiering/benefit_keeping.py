"""How each tier benefit is kept: a rule applies it (reads its number), no rule can or does (the
channel manager arranges it), or a rule contradicts it (gives the tier something else).

Partners knows the benefits, not the rules that pay them. The apps above it declare a reader in
their plugs module (``benefit_readers = [current_uses]``, see ``prm.plugs``) that says what each of
their current, active rules does with each tier's benefit of a kind, as ``RuleUse`` rows: incentives
tells of commissions that read the margin points and of MDF rules (reading each tier's share, or
giving a share or a budget of their own), leads of lead rules (reading each tier's lead priority, or
weighing the tier themselves). The same rows refuse a benefit that a current rule contradicts
(``benefit_save``) and a rule that would contradict a benefit (the apps' rule services call
``refuse_contradicting_rule``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from partners.choices import BenefitKind
from partners.models import TierBenefit

#: The kinds of benefit a rule can apply; the others (support, marketing, seats, other) are
#: arranged by people.
RULE_KINDS = frozenset({BenefitKind.MARGIN_POINTS, BenefitKind.MDF_SHARE, BenefitKind.LEAD_PRIORITY})

APPLIED, NOT_AUTOMATIC, CONTRADICTED = "applied", "not_automatic", "contradicted"


@dataclass(frozen=True)
class RuleUse:
    """What one rule does with one tier's benefit of one kind.

    Without ``gives`` the rule reads the benefit's number: it applies the benefit. With it, the
    rule gives the tier something of its own (``gives`` in words): its own number ``value``, which
    keeps the benefit only when it is the benefit's, or something without a number of the benefit's
    unit (``value`` None: a fixed budget where a share is promised), which never keeps it."""

    tier: str
    kind: str
    rule: int | None  #: the rule's id (its current version's); None for a rule not saved yet
    name: str
    version: int | None  #: None where rules have no versions (lead rules)
    type: str  #: "incentive_rule", "lead_rule"
    label: str  #: the rule in words: "incentive rule #12 “Co-marketing MDF” (version 2)"
    gives: str = ""
    value: Decimal | None = None
    field: str = ""  #: the rule's field that gives it (where a refusal shows)
    remedy: str = ""  #: what would make the rule keep the benefit, as a clause

    @property
    def reads(self) -> bool:
        return not self.gives

    def keeps(self, promised) -> bool:
        if self.reads:
            return True
        return self.value is not None and promised is not None and Decimal(self.value) == Decimal(promised)

    def reference(self) -> dict:
        """The rule as the API names it: {rule, name, version, type}."""
        return {"rule": self.rule, "name": self.name, "version": self.version, "type": self.type}


_readers: list[Callable] = []


def register_benefit_reader(reader: Callable) -> None:
    """``reader(tenant) -> iterable of RuleUse``: what the app's current, active rules do with the
    tiers' benefits. ``prm.plugs`` calls it for each ``benefit_readers`` entry."""
    if reader not in _readers:
        _readers.append(reader)


def rule_uses(tenant) -> list[RuleUse]:
    """Every registered app's uses (one query or so each)."""
    return [use for reader in _readers for use in reader(tenant)]


def number(value) -> str:
    """2.00 -> '2', 2.50 -> '2.5'."""
    return f"{Decimal(value).normalize():f}"


def promise(kind: str, value) -> str:
    """What a benefit of ``kind`` promises, in words with its number (the rules' ``gives`` speak alike)."""
    n = number(value)
    if kind == BenefitKind.MARGIN_POINTS:
        return _("%(n)s margin points") % {"n": n}
    if kind == BenefitKind.MDF_SHARE:
        return _("an MDF budget of %(n)s%% of last period's revenue") % {"n": n}
    if kind == BenefitKind.LEAD_PRIORITY:
        return _("a lead weight of %(n)s") % {"n": n}
    return n


@dataclass(frozen=True)
class Keeping:
    """How one benefit is kept, with the words staff and partner users read."""

    status: str
    use: RuleUse | None  #: the rule that applies it, or the first that contradicts it
    tier: str = ""

    @property
    def automatic(self) -> bool:
        return self.status == APPLIED

    @property
    def contradicted(self) -> bool:
        return self.status == CONTRADICTED

    @property
    def applied_by(self) -> dict | None:
        return self.use.reference() if self.status == APPLIED else None

    @property
    def contradicted_by(self) -> dict | None:
        return self.use.reference() if self.status == CONTRADICTED else None

    def staff_words(self) -> str:
        if self.status == APPLIED:
            return _("Applied by %(rule)s.") % {"rule": self.use.label}
        if self.status == CONTRADICTED:
            return _("Contradicted: %(rule)s gives tier %(tier)s %(gives)s.") % {
                "rule": self.use.label,
                "tier": self.tier,
                "gives": self.use.gives,
            }
        return _("Not automatic: arranged by the channel manager.")

    def partner_words(self) -> str:
        if self.status == APPLIED:
            return _("Applied automatically.")
        if self.status == CONTRADICTED:
            return _("Not as described: the programme's rules give %(gives)s; ask your channel manager.") % {
                "gives": self.use.gives
            }
        return _("Not automatic: ask your channel manager.")

    def words(self, for_partner: bool) -> str:
        return self.partner_words() if for_partner else self.staff_words()


def keeping_of(benefit, uses: Iterable[RuleUse]) -> Keeping:
    """How ``benefit`` is kept by the rules whose ``uses`` are given (``rule_uses``)."""
    mine = [u for u in uses if u.tier == benefit.tier and u.kind == benefit.kind]
    against = [u for u in mine if not u.keeps(benefit.value)]
    if against:
        return Keeping(CONTRADICTED, against[0], benefit.tier)
    if mine:
        return Keeping(APPLIED, mine[0], benefit.tier)
    return Keeping(NOT_AUTOMATIC, None, benefit.tier)


def with_keeping(
    tenant, benefits: Iterable, *, for_partner: bool = False, uses: list[RuleUse] | None = None
) -> list:
    """The benefits, each with ``kept`` (its ``Keeping``) and ``kept_note`` (its words for the
    reader): the readers' queries once."""
    benefits = list(benefits)
    uses = rule_uses(tenant) if uses is None else uses
    for benefit in benefits:
        benefit.kept = keeping_of(benefit, uses)
        benefit.kept_note = benefit.kept.words(for_partner)
    return benefits


def contradicting(benefit, uses: Iterable[RuleUse]) -> list[RuleUse]:
    return [
        u for u in uses if u.tier == benefit.tier and u.kind == benefit.kind and not u.keeps(benefit.value)
    ]


def refuse_contradicted_benefit(tenant, benefit) -> None:
    """Refuse a benefit (as it would be saved) that a current rule contradicts, naming the rule."""
    if benefit.kind not in RULE_KINDS:
        return
    against = contradicting(benefit, rule_uses(tenant))
    if against:
        raise ValidationError(
            {
                "value": [
                    _(
                        "%(rule)s gives tier %(tier)s %(gives)s, while this benefit promises %(promise)s: change the "
                        "rule first (%(remedy)s), or promise what it gives."
                    )
                    % {
                        "rule": capfirst(use.label),
                        "tier": benefit.tier,
                        "gives": use.gives,
                        "promise": promise(benefit.kind, benefit.value),
                        "remedy": use.remedy,
                    }
                    for use in against
                ]
            }
        )


def refuse_contradicting_rule(tenant, uses: Iterable[RuleUse]) -> None:
    """Refuse a rule (as it would be saved) whose ``uses`` contradict a tier's benefit, naming the
    tier, the benefit and the rule; each message under the rule's field that gives it."""
    uses = [u for u in uses if not u.reads]
    if not uses:
        return
    promised = {
        (b.tier, b.kind): b
        for b in TierBenefit.objects.for_tenant(tenant).filter(kind__in={u.kind for u in uses})
    }
    errors: dict[str, list[str]] = {}
    for use in uses:
        benefit = promised.get((use.tier, use.kind))
        if benefit is None or use.keeps(benefit.value):
            continue
        errors.setdefault(use.field or "params", []).append(
            _(
                "%(rule)s would give tier %(tier)s %(gives)s, while the tier's benefit “%(benefit)s” promises "
                "%(promise)s: %(remedy)s, or change the benefit first."
            )
            % {
                "rule": capfirst(use.label),
                "tier": use.tier,
                "gives": use.gives,
                "benefit": benefit.description,
                "promise": promise(benefit.kind, benefit.value),
                "remedy": use.remedy,
            }
        )
    if errors:
        raise ValidationError(errors)
