"""The demo county's enforcement catalog: what the seed-figure test does not check.

test_demo.py already compares every ``catalog.*`` indicator with the report. These tests look
inside: legal bases and fine ranges, list conditions, benchmark tiers, delegation, officers,
and that the build is the deterministic plan of :func:`fazhi.demo.catalog.plan_catalog`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from stdnum.cn import uscc

from fazhi.catalog.models import (
    Delegation,
    DelegationEvaluation,
    DiscretionStandard,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
    OfficerStatus,
    ShadowingAssignment,
    StandardLevel,
    TrainingRecord,
)
from fazhi.core.choices import ENFORCEMENT_DEPARTMENT_KINDS, EnforcementBasis, OrgKind, Role
from fazhi.core.models import User
from fazhi.demo import catalog_data
from fazhi.demo.catalog import (
    DEPARTMENT_ITEMS,
    ITEMS_TOTAL,
    credit_code,
    plan_catalog,
)
from fazhi.rules.enforcement import ItemCategory, ListKind, Severity, Treatment

YEAR = 2024
YEAR_END = dt.date(YEAR, 12, 31)
PLAN = plan_catalog(seed=2024, year=YEAR)
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+(条|项)$")
PARAGRAPH = re.compile(r"^(第[一二三四五六七八九十]+款)?(第（[一二三四五六七八九十]+）项)?$")


# --- The static tables and the plan (no database) ------------------------------------------


def test_base_table_cites_an_article_and_a_fine_that_fits_it():
    keys = [p.key for p in catalog_data.PENALTIES]
    assert len(keys) == len(set(keys))
    assert len(catalog_data.PENALTIES) >= 150
    for p in catalog_data.PENALTIES:
        where = p.key
        assert p.act and p.law and not p.law.startswith("《"), where
        assert ARTICLE.match(p.article), where
        assert PARAGRAPH.match(p.paragraph), where
        assert set(p.flags) <= set("bpmgd"), where
        assert not ("m" in p.flags and "g" in p.flags), where
        assert not p.group or p.group in catalog_data.SUBJECT_GROUPS, where
        has_fine = "fine" in p.penalty_types
        if p.fine_basis:
            assert has_fine and p.fine_min is not None and p.fine_max is not None, where
            assert Decimal(0) <= p.fine_min <= p.fine_max, where
            # A multiple says of what (货值金额、违法所得……); an amount needs no such word.
            assert bool(p.multiple_of) == (p.fine_basis == "multiple"), where
        else:
            assert not has_fine and p.fine_min is None and p.fine_max is None, where
        if p.provincial:
            assert p.benchmark and p.fine_basis, where


def test_templates_and_licences_name_real_groups_and_articles():
    for t in catalog_data.TEMPLATES:
        assert ARTICLE.match(t.article), t.text
        assert ("{s}" in t.text) == bool(t.group), t.text
    for lic in catalog_data.LICENCES:
        assert "{p}" in lic.text and lic.phases, lic.text


def test_plan_has_the_reported_counts():
    assert len(PLAN.items) == ITEMS_TOTAL == 2645
    assert sum(sum(c) for c in DEPARTMENT_ITEMS.values()) + 13 * 10 == ITEMS_TOTAL
    assert len({i.code for i in PLAN.items}) == ITEMS_TOTAL
    assert len({(i.org, i.name) for i in PLAN.items}) == ITEMS_TOTAL
    entries: Counter[str] = Counter()
    for lst in PLAN.lists:
        entries[lst.kind] += len(lst.entries)
    assert entries == {
        ListKind.NO_PENALTY: 643,
        ListKind.REDUCED: 578,
        ListKind.LIGHTER: 592,
        ListKind.NO_COERCION: 64,
        ListKind.FIRST_VIOLATION: 181,
    }
    penalty_share = sum(i.category == ItemCategory.PENALTY for i in PLAN.items) / ITEMS_TOTAL
    assert 0.5 < penalty_share < 0.65


def test_plan_is_deterministic_for_a_seed():
    again = plan_catalog(seed=2024, year=YEAR)
    other = plan_catalog(seed=7, year=YEAR)
    assert again == PLAN
    # The items and bodies are data; the seed chooses list entries, delegations and names.
    assert other.items == PLAN.items and other.bodies == PLAN.bodies
    assert other.lists != PLAN.lists
    assert other.delegations != PLAN.delegations


def test_credit_codes_are_valid_and_distinct():
    codes = [credit_code(n) for n in range(1, 200)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert uscc.is_valid(code) and code.startswith("11220422")
    assert credit_code(1, institution=True).startswith("12220422")


# --- The built catalog -----------------------------------------------------------------------


@pytest.mark.django_db
def test_catalog_is_its_plan(demo_county):
    assert set(EnforcementItem.objects.values_list("code", flat=True)) == {
        i.code for i in PLAN.items
    }
    built = Counter(LenientListEntry.objects.values_list("lenient_list__title", flat=True))
    assert built == {lst.title: len(lst.entries) for lst in PLAN.lists}
    assert Officer.objects.count() == len(PLAN.officers)


@pytest.mark.django_db
def test_every_item_has_a_legal_basis_and_every_fine_a_range(demo_county):
    items = list(EnforcementItem.objects.select_related("organization"))
    assert len(items) == 2645
    for item in items:
        assert item.basis_law and item.basis_article, item.code
        assert item.organization.enforcement_basis, item.code
        # Entrusted units act in the name of their department (行政处罚法 第二十条).
        assert item.organization.enforcement_basis != EnforcementBasis.ENTRUSTED, item.code
        assert item.published_at is not None and item.effective_from <= YEAR_END, item.code
        if "fine" in item.penalty_types:
            assert item.fine_basis and item.fine_min is not None, item.code
            assert item.fine_max is not None and item.fine_min <= item.fine_max, item.code
        if item.category != ItemCategory.PENALTY:
            assert not item.penalty_types and item.fine_min is None, item.code
        else:
            assert item.penalty_types, item.code


@pytest.mark.django_db
def test_bodies_have_their_basis_and_entrusting_department(demo_county):
    bodies = list(EnforcementBody.objects.select_related("organization", "entrusting_organization"))
    assert len(bodies) == 54
    assert len({b.credit_code for b in bodies}) == 54
    for body in bodies:
        org = body.organization
        assert uscc.is_valid(body.credit_code), org.code
        assert body.authority_basis.startswith("《"), org.code
        if org.enforcement_basis == EnforcementBasis.ENTRUSTED:
            # The department that owns the unit entrusts it, and is named in the basis.
            assert org.parent is not None and body.entrusting_organization == org.parent
            assert org.parent.name in body.authority_basis, org.code
            assert "第二十条" in body.authority_basis, org.code
        else:
            assert body.entrusting_organization is None, org.code
        if org.kind == OrgKind.TOWNSHIP:
            assert "第二十四条" in body.authority_basis, org.code


@pytest.mark.django_db
def test_lists_are_published_numbered_and_list_an_item_once(demo_county):
    lists = LenientList.objects.prefetch_related("entries__item")
    per_department = Counter((lst.kind, lst.organization_id) for lst in lists)
    assert set(per_department.values()) == {1}
    for lst in lists:
        entries = list(lst.entries.all())
        assert lst.published_at is not None and lst.effective_from == dt.date(YEAR, 1, 1)
        assert [e.number for e in entries] == list(range(1, len(entries) + 1)), lst.title
        assert len({e.item_id for e in entries}) == len(entries), lst.title
        assert lst.title.startswith(lst.organization.name)
        for e in entries:
            assert e.organization_id == lst.organization_id == e.item.organization_id
            assert e.legal_basis.startswith(e.item.citation), e.pk
            if lst.kind == ListKind.NO_COERCION:
                assert e.item.category == ItemCategory.COERCION
                assert "第五十九条" in e.legal_basis and "行政强制法" in e.legal_basis
            else:
                assert e.item.category == ItemCategory.PENALTY


@pytest.mark.django_db
def test_lenient_conditions_match_the_kind_of_list(demo_county):
    article_32 = {"eliminated_harm", "coerced", "confessed", "meritorious", "other_statutory"}
    entries = LenientListEntry.objects.select_related("lenient_list", "organization")
    for e in entries:
        kind, c = e.lenient_list.kind, e.conditions
        if kind == ListKind.FIRST_VIOLATION:
            # 行政处罚法 第三十三条第一款后句: 初次违法且危害后果轻微并及时改正.
            assert c == {
                "requires_first_violation": True,
                "requires_corrected_in_time": True,
                "max_harm": "minor",
            }
            assert "第三十三条第一款" in e.legal_basis and "初次违法" in e.condition_text
        elif kind == ListKind.NO_PENALTY:
            assert c == {"max_harm": "none", "requires_corrected_in_time": True}
            assert "第三十三条第一款" in e.legal_basis
        elif kind in (ListKind.REDUCED, ListKind.LIGHTER):
            assert c["any_circumstance"] and "第三十二条" in e.legal_basis
            if e.organization.code != "scjgj":
                assert set(c["any_circumstance"]) <= article_32
        else:
            assert c == {"max_harm": "minor"}


@pytest.mark.django_db
def test_first_violation_lists_come_from_18_distinct_departments(demo_county):
    entries = LenientListEntry.objects.filter(
        lenient_list__kind=ListKind.FIRST_VIOLATION
    ).select_related("organization")
    departments = {e.organization for e in entries}
    assert len(departments) == 18
    assert all(d.kind in ENFORCEMENT_DEPARTMENT_KINDS for d in departments)
    assert entries.count() == 181


@pytest.mark.django_db
def test_grave_violations_are_never_on_a_no_penalty_list(demo_county):
    grave = {i.code for i in PLAN.items if i.base is not None and i.base.grave}
    assert grave
    listed = set(
        LenientListEntry.objects.filter(
            lenient_list__kind__in=[ListKind.NO_PENALTY, ListKind.FIRST_VIOLATION]
        ).values_list("item__code", flat=True)
    )
    assert not listed & grave


@pytest.mark.django_db
def test_benchmark_tiers_lie_in_the_statutory_range(demo_county):
    standards = list(
        DiscretionStandard.objects.select_related("item", "parent").prefetch_related(
            "tiers", "parent__tiers"
        )
    )
    county = [s for s in standards if s.level == StandardLevel.COUNTY]
    assert len({s.item_id for s in county}) >= 30
    assert any(s.parent_id for s in county)
    for s in standards:
        item = s.item
        assert s.published_at is not None and s.legal_basis == item.citation, s.title
        tiers = list(s.tiers.all())
        assert {t.severity for t in tiers if t.severity} == set(Severity), s.title
        assert {Treatment.NO_PENALTY, Treatment.LIGHTER, Treatment.HEAVIER} <= {
            t.treatment for t in tiers
        }
        assert item.fine_min is not None and item.fine_max is not None
        for t in tiers:
            if t.fine_min is None or t.fine_max is None:
                assert t.fine_min is None and t.fine_max is None
                continue
            assert t.fine_min <= t.fine_max, s.title
            if t.treatment == Treatment.REDUCED:
                assert t.fine_max < item.fine_min, s.title
            else:
                assert item.fine_min <= t.fine_min and t.fine_max <= item.fine_max, s.title
        if s.parent is not None:
            # DB-5: a county refinement stays inside the provincial tier of the same kind.
            assert s.parent.level == StandardLevel.PROVINCE and s.parent.item_id == item.pk
            parent_tiers = list(s.parent.tiers.all())
            for t in tiers:
                same = [
                    p
                    for p in parent_tiers
                    if (p.treatment, p.severity) == (t.treatment, t.severity)
                ]
                assert same, (s.title, t.treatment)
                if t.fine_min is not None and t.fine_max is not None:
                    low, high = t.fine_min, t.fine_max
                    assert any(
                        p.fine_min is not None
                        and p.fine_max is not None
                        and p.fine_min <= low
                        and high <= p.fine_max
                        for p in same
                    )


@pytest.mark.django_db
def test_53_county_items_were_delegated_and_evaluated_in_the_year(demo_county):
    delegations = Delegation.objects.select_related("item__organization", "township")
    for d in delegations:
        assert d.township.kind == OrgKind.TOWNSHIP
        assert d.item.organization.kind != OrgKind.TOWNSHIP
        assert d.decided_on < dt.date(YEAR, 1, 1)
    evaluations = DelegationEvaluation.objects.filter(evaluated_on__year=YEAR)
    assert evaluations.count() == delegations.count()
    assert evaluations.values("delegation__item").distinct().count() == 53
    withdrawn = evaluations.filter(conclusion="withdraw").values_list("delegation", flat=True)
    assert not Delegation.objects.filter(pk__in=withdrawn, is_active=True).exists()


@pytest.mark.django_db
def test_officer_accounts_hold_certificates(demo_county):
    accounts = User.objects.filter(role_assignments__role=Role.OFFICER).select_related("officer")
    assert accounts.exists()
    for user in accounts:
        officer = user.officer
        assert officer.organization_id == user.organization_id
        assert officer.name == user.full_name
        # An account must be able to act all year: no lapsed certificate on a login.
        assert officer.certificate_problem(dt.date(YEAR, 1, 2)) == ""
        assert officer.certificate_problem(YEAR_END) == ""


@pytest.mark.django_db
def test_officers_are_certified_by_the_province_and_some_lapsed(demo_county):
    officers = list(Officer.objects.select_related("organization"))
    assert all(o.issuing_authority == "吉林省人民政府" for o in officers)
    assert all(o.organization.enforcement_basis for o in officers)
    statuses = Counter(o.status for o in officers)
    assert statuses[OfficerStatus.SUSPENDED] == 2
    expired = [o for o in officers if o.certificate_problem(YEAR_END) and o.status == "active"]
    assert len(expired) == 2
    assert all(o.valid_until.year == YEAR for o in expired)


@pytest.mark.django_db
def test_every_officer_has_the_year_s_training_hours(demo_county):
    hours: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    rows = (
        TrainingRecord.objects.filter(held_on__year=YEAR)
        .values("officer", "kind")
        .annotate(total=Sum("hours"))
    )
    for row in rows:
        hours[(row["officer"], row["kind"])] = row["total"]
    for pk in Officer.objects.values_list("pk", flat=True):
        assert hours[(pk, "online")] >= 20, pk
        assert hours[(pk, "professional")] >= 40, pk


@pytest.mark.django_db
def test_fifteen_township_officers_followed_cases(demo_county):
    assignments = ShadowingAssignment.objects.filter(started_on__year=YEAR).select_related(
        "officer__organization", "mentor"
    )
    township = {a.officer_id for a in assignments if a.officer.organization.kind == "township"}
    assert len(township) == 15
    for a in assignments:
        assert a.mentor.certificate_problem(a.started_on) == ""
        assert a.mentor_id != a.officer_id
