"""The catalog's write services: rows, one ledger event each, permissions, scope, validations.

Every refusal is checked to leave the ledger untouched (the service's transaction rolls back).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Max

from fazhi.catalog import services
from fazhi.catalog.conversions import CatalogValidationError, TierInput
from fazhi.catalog.models import (
    Delegation,
    DelegationEvaluation,
    DiscretionStandard,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
    ShadowingAssignment,
    TrainingRecord,
)
from fazhi.catalog.testing import STANDARD_TIERS, CatalogCast, build_catalog, credit_code
from fazhi.core import services as core_services
from fazhi.core.choices import DataScope, OrgKind, Role
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Organization, User
from fazhi.core.testing import TEST_PASSWORD, Cast
from fazhi.ledger.models import LedgerEntry

D = Decimal


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


def _last_seq() -> int:
    return LedgerEntry.objects.aggregate(m=Max("seq"))["m"] or 0


def _events_since(seq: int) -> list[tuple[str, dict[str, Any]]]:
    return [
        (e.kind, json.loads(e.body)["payload"])
        for e in LedgerEntry.objects.filter(seq__gt=seq).order_by("seq")
    ]


@contextmanager
def one_event(kind: str) -> Iterator[dict[str, Any]]:
    """The block records exactly one ledger event, of ``kind``; yields its payload."""
    payload: dict[str, Any] = {}
    seq = _last_seq()
    yield payload
    events = _events_since(seq)
    assert [k for k, _ in events] == [kind]
    payload.update(events[0][1])


@contextmanager
def refused(exc: type[Exception], match: str) -> Iterator[None]:
    """The block raises ``exc`` with a message matching ``match`` and records nothing."""
    seq = _last_seq()
    with pytest.raises(exc, match=match):
        yield
    assert _events_since(seq) == []


def org(cast: Cast, code: str, name: str, kind: str, basis: str, parent=None) -> Organization:
    return core_services.create_organization(
        actor=cast.system_admin,
        code=code,
        name=name,
        kind=kind,
        parent=parent or cast.county,
        enforcement_basis=basis,
    )


def person(cast: Cast, username: str, organization: Organization, role: str, scope: str) -> User:
    user = core_services.create_user(
        actor=cast.system_admin,
        username=username,
        full_name="测试用户",
        organization=organization,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(actor=cast.security_admin, user=user, role=role, scope=scope)
    return user


@pytest.fixture
def narrow_office(cast: Cast) -> User:
    """A 依法治县办 account whose data scope is department A only (for scope refusals)."""
    return person(cast, "fzb_a", cast.department_a, Role.RULE_OF_LAW_OFFICE, DataScope.OWN)


def item_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": "SCJ-CF-900",
        "name": "对未按规定亮照经营的处罚",
        "category": "penalty",
        "basis_law": "中华人民共和国市场主体登记管理条例",
        "basis_article": "第四十七条",
        "penalty_types": ["warning", "fine"],
        "fine_basis": "amount",
        "fine_min": D(0),
        "fine_max": D(30000),
        "effective_from": dt.date(2024, 1, 1),
    }
    fields.update(overrides)
    return fields


def officer_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "孙新证",
        "certificate_number": "22040099",
        "issuing_authority": "吉林省人民政府",
        "valid_from": dt.date(2024, 1, 1),
        "valid_until": dt.date(2029, 12, 31),
        "fields": "市场监管",
    }
    fields.update(overrides)
    return fields


def standard_fields(c: CatalogCast, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "item": c.item_a,
        "organization": c.cast.department_a,
        "level": "county",
        "title": "测试县市场监督管理局行政处罚裁量基准",
        "version": "2025年版",
        "violation": "未按规定公示年度报告",
        "legal_basis": "《中华人民共和国市场主体登记管理条例》第四十六条",
        "effective_from": dt.date(2025, 1, 1),
        "tiers": STANDARD_TIERS,
    }
    fields.update(overrides)
    return fields


def tiers_with(index: int, **changes: Any) -> tuple[TierInput, ...]:
    tiers = list(STANDARD_TIERS)
    tiers[index] = replace(tiers[index], **changes)
    return tuple(tiers)


ENTRY: dict[str, Any] = {
    "number": 1,
    "violation": "未按规定亮照经营",
    "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
    "condition_text": "违法行为轻微并及时改正，没有造成危害后果",
    "conditions": {"requires_corrected_in_time": True, "max_harm": "none"},
}


def draft_list(c: CatalogCast, kind: str = "no_penalty", **overrides: Any) -> LenientList:
    fields: dict[str, Any] = {
        "kind": kind,
        "title": "测试县市场监督管理局不予处罚事项清单",
        "organization": c.cast.department_a,
        "version": "2024年版",
        "effective_from": dt.date(2024, 1, 1),
    }
    fields.update(overrides)
    return services.create_list(actor=c.cast.rule_of_law_office, **fields)


# --- 执法主体 ------------------------------------------------------------------------------


def test_registering_an_entrusted_body_writes_the_row_and_one_event(catalog):
    cast = catalog.cast
    unit = org(cast, "scjdd", "测试县市场监管综合执法大队", OrgKind.ENFORCEMENT_UNIT, "entrusted")
    spaced = credit_code(3)[:6] + " " + credit_code(3)[6:]

    with one_event("catalog.body.registered") as payload:
        body = services.register_body(
            actor=cast.rule_of_law_office,
            organization=unit,
            credit_code=spaced,
            authority_basis="  市场监管局委托书  ",
            entrusting_organization=cast.department_a,
        )

    body.refresh_from_db()
    assert body.credit_code == credit_code(3)  # compact form
    assert body.authority_basis == "市场监管局委托书"
    assert body.entrusting_organization == cast.department_a
    assert payload == {
        "organization": "scjdd",
        "kind": "entrusted",
        "credit_code": credit_code(3),
        "authority_basis": "市场监管局委托书",
        "entrusting_organization": "scj",
        "is_active": True,
    }


@pytest.mark.parametrize("role", ["officer", "department_head", "legal_reviewer", "supervisor"])
def test_only_the_rule_of_law_office_registers_bodies(cast, role):
    actor = getattr(cast, role)
    with refused(PermissionDenied, "确认执法主体"):
        services.register_body(
            actor=actor,
            organization=cast.township,
            credit_code=credit_code(9),
            authority_basis="依法设立",
        )
    assert not EnforcementBody.objects.exists()


def test_a_body_outside_the_actors_scope_is_refused(cast, narrow_office):
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.register_body(
            actor=narrow_office,
            organization=cast.department_b,
            credit_code=credit_code(9),
            authority_basis="依法设立",
        )
    assert not EnforcementBody.objects.exists()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (credit_code(1)[:-1] + ("0" if credit_code(1)[-1] != "0" else "1"), "校验位错误"),
        (credit_code(1)[:-1], "应为18位"),
        ("A" + credit_code(1)[1:], "格式错误"),
    ],
)
def test_an_invalid_credit_code_is_refused_with_the_reason(cast, code, reason):
    with refused(CatalogValidationError, f"统一社会信用代码“{code}”无效（{reason}）"):
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=cast.department_a,
            credit_code=code,
            authority_basis="依法设立",
        )


def test_an_entrusted_body_needs_its_entrusting_organization(cast):
    unit = org(cast, "wtzz", "测试县某受委托组织", OrgKind.ENFORCEMENT_UNIT, "entrusted")
    with pytest.raises(CatalogValidationError, match="受委托组织应填写委托机关") as exc:
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=unit,
            credit_code=credit_code(5),
            authority_basis="委托书",
        )
    assert exc.value.field == "entrusting_organization"


def test_the_entrusting_organization_must_be_a_statutory_body(cast):
    # 行政处罚法 第二十条: only a 行政机关 entrusts; an entrusted organization cannot re-entrust.
    unit = org(cast, "wtzz", "测试县某受委托组织", OrgKind.ENFORCEMENT_UNIT, "entrusted")
    other = org(cast, "wtzz2", "测试县另一受委托组织", OrgKind.ENFORCEMENT_UNIT, "entrusted")
    with refused(CatalogValidationError, "委托机关应为法定行政执法机关"):
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=unit,
            credit_code=credit_code(5),
            authority_basis="委托书",
            entrusting_organization=other,
        )


def test_only_an_entrusted_body_names_an_entrusting_organization(cast):
    with refused(CatalogValidationError, "只有受委托组织才填写委托机关"):
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=cast.department_a,
            credit_code=credit_code(5),
            authority_basis="依法设立",
            entrusting_organization=cast.justice_bureau,
        )


def test_an_organization_without_enforcement_standing_is_not_a_body(cast):
    office = org(cast, "zfb", "测试县政府办公室", OrgKind.OTHER, "")
    with refused(CatalogValidationError, "“测试县政府办公室”未登记执法主体资格"):
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=office,
            credit_code=credit_code(5),
            authority_basis="无",
        )


def test_a_body_is_registered_once_and_a_credit_code_is_used_once(catalog):
    cast = catalog.cast
    with refused(ConflictError, "“测试县市场监督管理局”已登记为执法主体"):
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=cast.department_a,
            credit_code=credit_code(7),
            authority_basis="依法设立",
        )
    with refused(ConflictError, f"统一社会信用代码{credit_code(1)}已被其他执法主体使用"):
        services.register_body(
            actor=cast.rule_of_law_office,
            organization=cast.township,
            credit_code=credit_code(1),
            authority_basis="依法设立",
        )
    assert not EnforcementBody.objects.filter(organization=cast.township).exists()


def test_updating_a_body_records_the_new_state(catalog):
    cast = catalog.cast
    with one_event("catalog.body.updated") as payload:
        services.update_body(
            actor=cast.rule_of_law_office,
            body=catalog.body_a,
            credit_code=credit_code(11),
            authority_basis="新依据",
            entrusting_organization=None,
            is_active=False,
        )
    catalog.body_a.refresh_from_db()
    assert catalog.body_a.credit_code == credit_code(11)
    assert catalog.body_a.is_active is False
    assert payload["credit_code"] == credit_code(11)
    assert payload["is_active"] is False


def test_updating_a_body_checks_scope_and_credit_code_uniqueness(catalog, narrow_office):
    cast = catalog.cast
    with refused(DomainError, "不在您的数据范围内"):
        services.update_body(
            actor=narrow_office,
            body=catalog.body_b,
            credit_code=credit_code(2),
            authority_basis="改",
            entrusting_organization=None,
            is_active=True,
        )
    with refused(ConflictError, "已被其他执法主体使用"):
        services.update_body(
            actor=cast.rule_of_law_office,
            body=catalog.body_b,
            credit_code=credit_code(1),
            authority_basis="改",
            entrusting_organization=None,
            is_active=True,
        )
    catalog.body_b.refresh_from_db()
    assert catalog.body_b.credit_code == credit_code(2)


# --- 执法人员 ------------------------------------------------------------------------------


def test_a_department_head_registers_an_officer_of_the_department(cast):
    with one_event("catalog.officer.created") as payload:
        officer = services.create_officer(
            actor=cast.department_head,
            organization=cast.department_a,
            user=cast.legal_reviewer,
            **officer_fields(),
        )
    assert Officer.objects.get(pk=officer.pk).certificate_number == "22040099"
    assert payload == {
        "certificate_number": "22040099",
        "organization": "scj",
        "name": "孙新证",
        "issuing_authority": "吉林省人民政府",
        "valid_from": "2024-01-01",
        "valid_until": "2029-12-31",
        "fields": "市场监管",
        "status": "active",
        "user": "reviewer",
    }


@pytest.mark.parametrize("role", ["officer", "legal_reviewer", "supervisor"])
def test_roles_without_the_permission_cannot_register_officers(cast, role):
    with refused(PermissionDenied, "管理执法人员"):
        services.create_officer(
            actor=getattr(cast, role), organization=cast.department_a, **officer_fields()
        )
    assert not Officer.objects.exists()


def test_a_department_head_cannot_register_an_officer_of_another_department(cast):
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.create_officer(
            actor=cast.department_head, organization=cast.department_b, **officer_fields()
        )
    assert not Officer.objects.exists()


def test_certificate_dates_must_be_in_order(cast):
    with pytest.raises(CatalogValidationError, match="执法证有效期至不能早于有效期起") as exc:
        services.create_officer(
            actor=cast.department_head,
            organization=cast.department_a,
            **officer_fields(valid_from=dt.date(2025, 1, 2), valid_until=dt.date(2025, 1, 1)),
        )
    assert exc.value.field == "valid_until"


@pytest.mark.parametrize("number", ["123", "2204 0001", "执法证0001", "x" * 33])
def test_a_malformed_certificate_number_is_refused(cast, number):
    with refused(CatalogValidationError, "执法证号应为4至32位数字、字母或连字符"):
        services.create_officer(
            actor=cast.department_head,
            organization=cast.department_a,
            **officer_fields(certificate_number=number),
        )


def test_a_certificate_number_is_registered_once(catalog):
    cast = catalog.cast
    with refused(ConflictError, "执法证号22040001已登记"):
        services.create_officer(
            actor=cast.rule_of_law_office,
            organization=cast.department_b,
            **officer_fields(certificate_number="22040001"),
        )
    assert Officer.objects.filter(certificate_number="22040001").count() == 1
    # the same on update
    with refused(ConflictError, "执法证号22040001已登记"):
        services.update_officer(
            actor=cast.rule_of_law_office,
            officer=catalog.expired_officer,
            organization=cast.department_a,
            **officer_fields(certificate_number="22040001"),
        )


def test_officers_belong_to_enforcement_bodies(cast):
    office = org(cast, "zfb", "测试县政府办公室", OrgKind.OTHER, "")
    with refused(CatalogValidationError, "“测试县政府办公室”不是执法主体，不能登记执法人员"):
        services.create_officer(
            actor=cast.rule_of_law_office, organization=office, **officer_fields()
        )


def test_updating_an_officer_records_the_new_certificate(catalog):
    cast = catalog.cast
    with one_event("catalog.officer.updated") as payload:
        services.update_officer(
            actor=cast.department_head,
            officer=catalog.expired_officer,
            organization=cast.department_a,
            **officer_fields(name="钱过期", certificate_number="22040002", fields=" 食品 "),
        )
    catalog.expired_officer.refresh_from_db()
    assert catalog.expired_officer.valid_until == dt.date(2029, 12, 31)
    assert catalog.expired_officer.fields == "食品"
    assert payload["valid_until"] == "2029-12-31"


def test_a_department_head_cannot_move_an_officer_to_another_department(catalog):
    cast = catalog.cast
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.update_officer(
            actor=cast.department_head,
            officer=catalog.officer_a,
            organization=cast.department_b,
            **officer_fields(certificate_number="22040001"),
        )
    catalog.officer_a.refresh_from_db()
    assert catalog.officer_a.organization == cast.department_a


def test_suspending_a_certificate_needs_a_reason_and_is_recorded(catalog):
    cast = catalog.cast
    with refused(CatalogValidationError, "请填写暂扣或注销的原因"):
        services.set_officer_status(
            actor=cast.department_head, officer=catalog.officer_a, status="suspended", reason=" "
        )
    with refused(CatalogValidationError, "证件状态“lost”无效"):
        services.set_officer_status(
            actor=cast.department_head, officer=catalog.officer_a, status="lost", reason="丢失"
        )
    with one_event("catalog.officer.status_changed") as payload:
        services.set_officer_status(
            actor=cast.department_head,
            officer=catalog.officer_a,
            status="suspended",
            reason="涉嫌违纪",
        )
    catalog.officer_a.refresh_from_db()
    assert catalog.officer_a.status == "suspended"
    assert payload == {
        "certificate_number": "22040001",
        "status": "suspended",
        "reason": "涉嫌违纪",
    }


def test_a_department_head_cannot_change_another_departments_certificate(catalog):
    cast = catalog.cast
    officer_b = services.create_officer(
        actor=cast.rule_of_law_office, organization=cast.department_b, **officer_fields()
    )
    with refused(DomainError, "不在您的数据范围内"):
        services.set_officer_status(
            actor=cast.department_head, officer=officer_b, status="revoked", reason="调离"
        )
    officer_b.refresh_from_db()
    assert officer_b.status == "active"


def test_training_hours_are_recorded_within_bounds(catalog):
    cast = catalog.cast
    for hours, message in [(D(0), "学时应大于0"), (D(201), "不超过200")]:
        with refused(CatalogValidationError, message):
            services.record_training(
                actor=cast.department_head,
                officer=catalog.officer_a,
                kind="online",
                title="行政处罚法网络培训",
                held_on=dt.date(2024, 3, 1),
                hours=hours,
            )
    with refused(CatalogValidationError, "培训类型“offline”无效"):
        services.record_training(
            actor=cast.department_head,
            officer=catalog.officer_a,
            kind="offline",
            title="培训",
            held_on=dt.date(2024, 3, 1),
            hours=D(2),
        )
    with refused(PermissionDenied, "管理执法人员"):
        services.record_training(
            actor=cast.officer,
            officer=catalog.officer_a,
            kind="online",
            title="培训",
            held_on=dt.date(2024, 3, 1),
            hours=D(2),
        )
    with one_event("catalog.officer.training_recorded") as payload:
        services.record_training(
            actor=cast.department_head,
            officer=catalog.officer_a,
            kind="professional",
            title="行政处罚法专题培训",
            held_on=dt.date(2024, 3, 1),
            hours=D("7.5"),
        )
    assert TrainingRecord.objects.get().hours == D("7.5")
    assert payload == {
        "certificate_number": "22040001",
        "kind": "professional",
        "title": "行政处罚法专题培训",
        "held_on": "2024-03-01",
        "hours": "7.5",
    }


def test_a_shadowing_mentor_needs_a_valid_certificate(catalog):
    cast = catalog.cast
    newcomer = services.create_officer(
        actor=cast.department_head, organization=cast.department_a, **officer_fields()
    )
    with refused(CatalogValidationError, "执法人员钱过期（执法证号22040002）的执法证已于"):
        services.assign_shadowing(
            actor=cast.department_head,
            officer=newcomer,
            mentor=catalog.expired_officer,
            case_reference="测市监罚〔2024〕1号",
            started_on=dt.date(2024, 3, 1),
        )
    with refused(CatalogValidationError, "带教人员不能是学习人员本人"):
        services.assign_shadowing(
            actor=cast.department_head,
            officer=newcomer,
            mentor=newcomer,
            case_reference="测市监罚〔2024〕1号",
            started_on=dt.date(2024, 3, 1),
        )
    with one_event("catalog.officer.shadowing_assigned") as payload:
        services.assign_shadowing(
            actor=cast.department_head,
            officer=newcomer,
            mentor=catalog.officer_a,
            case_reference="测市监罚〔2024〕1号",
            started_on=dt.date(2024, 3, 1),
        )
    assert ShadowingAssignment.objects.get().mentor == catalog.officer_a
    assert payload["mentor"] == "22040001"
    assert payload["officer"] == "22040099"


# --- 执法事项 ------------------------------------------------------------------------------


def test_creating_an_item_records_its_legal_basis_and_range(cast):
    with one_event("catalog.item.created") as payload:
        item = services.create_item(
            actor=cast.department_head, organization=cast.department_a, **item_fields()
        )
    item.refresh_from_db()
    assert item.published_at is None
    assert item.citation == "《中华人民共和国市场主体登记管理条例》第四十七条"
    assert payload == {
        "code": "SCJ-CF-900",
        "name": "对未按规定亮照经营的处罚",
        "category": "penalty",
        "organization": "scj",
        "basis": "《中华人民共和国市场主体登记管理条例》第四十七条",
        "penalty_types": ["warning", "fine"],
        "fine_basis": "amount",
        "fine_min": "0",
        "fine_max": "30000",
        "effective_from": "2024-01-01",
        "is_active": True,
    }


@pytest.mark.parametrize("role", ["officer", "supervisor", "system_admin"])
def test_roles_without_catalog_manage_cannot_create_items(cast, role):
    with refused(PermissionDenied, "维护执法事项、清单和裁量基准"):
        services.create_item(
            actor=getattr(cast, role), organization=cast.department_a, **item_fields()
        )
    assert not EnforcementItem.objects.exists()


def test_a_department_head_cannot_create_an_item_for_another_department(cast):
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.create_item(
            actor=cast.department_head, organization=cast.department_b, **item_fields()
        )
    assert not EnforcementItem.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # 行政处罚法 第三十八条: no legal basis, no penalty.
        ({"basis_law": " "}, "basis_law", "请填写法律依据（法律法规名称）"),
        ({"basis_article": ""}, "basis_article", "请填写法律依据的条"),
        ({"code": "编码1"}, "code", "事项编码只能包含"),
        ({"name": ""}, "name", "请填写事项名称"),
        ({"category": "punishment"}, "category", "事项类别“punishment”无效"),
        (
            {"fine_min": D(50000), "fine_max": D(10000)},
            "fine_max",
            "罚款幅度上下限颠倒：下限50000大于上限10000",
        ),
        ({"fine_min": D(-1)}, "fine_min", "罚款下限-1不能为负数"),
        ({"fine_basis": "percent"}, "fine_basis", "罚款表述“percent”无效"),
        ({"fine_basis": ""}, "fine_basis", "请选择罚款表述"),
        ({"fine_min": None}, "fine_min", "请填写罚款下限"),
        ({"fine_min": None, "fine_max": None}, "fine_min", "填写了罚款表述，但未填写罚款幅度"),
        ({"penalty_types": ["warning"]}, "penalty_types", "处罚种类应包含“罚款”"),
        ({"penalty_types": ["fine", "public_shaming"]}, "penalty_types", "第九条所列种类"),
        (
            {
                "category": "inspection",
                "penalty_types": ["warning"],
                "fine_basis": "",
                "fine_min": None,
                "fine_max": None,
            },
            "penalty_types",
            "只有行政处罚事项才填写处罚种类",
        ),
    ],
)
def test_invalid_items_are_refused_naming_the_field(cast, overrides, field, message):
    seq = _last_seq()
    with pytest.raises(CatalogValidationError, match=message) as exc:
        services.create_item(
            actor=cast.department_head, organization=cast.department_a, **item_fields(**overrides)
        )
    assert exc.value.field == field
    assert exc.value.details == {field: [exc.value.message]}
    assert _events_since(seq) == []
    assert not EnforcementItem.objects.exists()


def test_an_item_needs_an_enforcement_body_to_implement_it(cast):
    office = org(cast, "zfb", "测试县政府办公室", OrgKind.OTHER, "")
    with refused(
        CatalogValidationError, "“测试县政府办公室”不是执法主体，不能作为执法事项的实施主体"
    ):
        services.create_item(actor=cast.rule_of_law_office, organization=office, **item_fields())


def test_item_codes_are_unique(catalog):
    with refused(ConflictError, "事项编码SCJ-CF-001已存在"):
        services.create_item(
            actor=catalog.cast.department_head,
            organization=catalog.cast.department_a,
            **item_fields(code="SCJ-CF-001"),
        )


def test_penalty_types_are_deduplicated_in_their_order(cast):
    item = services.create_item(
        actor=cast.department_head,
        organization=cast.department_a,
        **item_fields(penalty_types=["fine", "warning", "fine"]),
    )
    assert item.penalty_types == ["fine", "warning"]


def test_updating_an_item_is_recorded_and_scoped(catalog):
    cast = catalog.cast
    with one_event("catalog.item.updated") as payload:
        services.update_item(
            actor=cast.department_head,
            item=catalog.item_a,
            organization=cast.department_a,
            **item_fields(code="SCJ-CF-001", name="对未按规定公示年报的处罚"),
        )
    catalog.item_a.refresh_from_db()
    assert catalog.item_a.name == "对未按规定公示年报的处罚"
    assert payload["name"] == "对未按规定公示年报的处罚"
    # moving the item out of the head's scope, or editing department B's item, is refused
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.update_item(
            actor=cast.department_head,
            item=catalog.item_a,
            organization=cast.department_b,
            **item_fields(code="SCJ-CF-001"),
        )
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.update_item(
            actor=cast.department_head,
            item=catalog.item_b,
            organization=cast.department_a,
            **item_fields(code="HBJ-CF-001"),
        )
    catalog.item_a.refresh_from_db()
    assert catalog.item_a.organization == cast.department_a


def test_deactivating_an_item_is_recorded(catalog):
    cast = catalog.cast
    with one_event("catalog.item.deactivated") as payload:
        services.set_item_active(actor=cast.department_head, item=catalog.item_a, is_active=False)
    catalog.item_a.refresh_from_db()
    assert catalog.item_a.is_active is False
    assert payload == {"code": "SCJ-CF-001"}
    with refused(DomainError, "不在您的数据范围内"):
        services.set_item_active(actor=cast.department_head, item=catalog.item_b, is_active=False)


def test_publishing_items_is_one_event_for_the_batch(cast):
    items = [
        services.create_item(
            actor=cast.department_head,
            organization=cast.department_a,
            **item_fields(code=f"SCJ-CF-90{n}"),
        )
        for n in range(3)
    ]
    services.set_item_active(actor=cast.department_head, item=items[2], is_active=False)

    with one_event("catalog.item.published") as payload:
        count = services.publish_items(actor=cast.department_head, items=items)

    assert count == 2  # the inactive item is not published
    assert payload["codes"] == ["SCJ-CF-900", "SCJ-CF-901"]
    assert payload["count"] == 2
    published = set(
        EnforcementItem.objects.filter(published_at__isnull=False).values_list("code", flat=True)
    )
    assert published == {"SCJ-CF-900", "SCJ-CF-901"}
    # nothing left to publish: no write, no event
    seq = _last_seq()
    assert services.publish_items(actor=cast.department_head, items=items) == 0
    assert _events_since(seq) == []


def test_publishing_another_departments_item_is_refused(cast):
    item_b = services.create_item(
        actor=cast.rule_of_law_office,
        organization=cast.department_b,
        **item_fields(code="HBJ-CF-900"),
    )
    item_a = services.create_item(
        actor=cast.department_head, organization=cast.department_a, **item_fields()
    )
    with refused(DomainError, "事项HBJ-CF-900 对未按规定亮照经营的处罚不在您的数据范围内"):
        services.publish_items(actor=cast.department_head, items=[item_a, item_b])
    assert not EnforcementItem.objects.filter(published_at__isnull=False).exists()


# --- 下放乡镇 ------------------------------------------------------------------------------


def test_delegating_an_item_to_a_township_is_recorded(catalog):
    cast = catalog.cast
    with one_event("catalog.delegation.created") as payload:
        delegation = services.delegate_item(
            actor=cast.rule_of_law_office,
            item=catalog.item_a,
            township=cast.township,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕5号",
        )
    assert Delegation.objects.get().is_active
    assert delegation.township == cast.township
    assert payload == {
        "item": "SCJ-CF-001",
        "township": "xz1",
        "decided_on": "2023-06-01",
        "document_number": "测政发〔2023〕5号",
    }
    with refused(ConflictError, "事项SCJ-CF-001已下放至测试镇人民政府"):
        services.delegate_item(
            actor=cast.rule_of_law_office,
            item=catalog.item_a,
            township=cast.township,
            decided_on=dt.date(2023, 7, 1),
            document_number="测政发〔2023〕6号",
        )


def test_an_item_is_delegated_only_to_a_township_with_standing(catalog):
    cast = catalog.cast
    with refused(CatalogValidationError, "“测试县生态环境分局”不是乡镇人民政府"):
        services.delegate_item(
            actor=cast.rule_of_law_office,
            item=catalog.item_a,
            township=cast.department_b,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕5号",
        )
    bare = org(cast, "xz9", "测试乡人民政府", OrgKind.TOWNSHIP, "")
    with refused(CatalogValidationError, "“测试乡人民政府”尚无执法主体资格"):
        services.delegate_item(
            actor=cast.rule_of_law_office,
            item=catalog.item_a,
            township=bare,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕5号",
        )
    assert not Delegation.objects.exists()


def test_a_township_item_is_not_delegated_again(catalog):
    cast = catalog.cast
    own = services.create_item(
        actor=cast.rule_of_law_office,
        organization=cast.township,
        **item_fields(code="XZ-CF-001"),
    )
    other = org(cast, "xz2", "测试二镇人民政府", OrgKind.TOWNSHIP, "statutory")
    with refused(CatalogValidationError, "该事项已由乡镇实施，不是县级事项"):
        services.delegate_item(
            actor=cast.rule_of_law_office,
            item=own,
            township=other,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕5号",
        )


def test_only_the_rule_of_law_office_delegates(catalog):
    with refused(PermissionDenied, "确认执法主体"):
        services.delegate_item(
            actor=catalog.cast.department_head,
            item=catalog.item_a,
            township=catalog.cast.township,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕5号",
        )


@pytest.fixture
def delegation(catalog) -> Delegation:
    return services.delegate_item(
        actor=catalog.cast.rule_of_law_office,
        item=catalog.item_a,
        township=catalog.cast.township,
        decided_on=dt.date(2023, 6, 1),
        document_number="测政发〔2023〕5号",
    )


def test_an_evaluation_cannot_precede_the_delegation(catalog, delegation):
    with refused(CatalogValidationError, "评估日期不能早于下放日期"):
        services.evaluate_delegation(
            actor=catalog.cast.rule_of_law_office,
            delegation=delegation,
            evaluated_on=dt.date(2023, 5, 31),
            conclusion="keep",
            opinion="运行良好",
        )
    with refused(CatalogValidationError, "评估结论“cancel”无效"):
        services.evaluate_delegation(
            actor=catalog.cast.rule_of_law_office,
            delegation=delegation,
            evaluated_on=dt.date(2024, 5, 31),
            conclusion="cancel",
            opinion="运行良好",
        )
    assert not DelegationEvaluation.objects.exists()


def test_keeping_a_delegation_leaves_it_active(catalog, delegation):
    with one_event("catalog.delegation.evaluated") as payload:
        services.evaluate_delegation(
            actor=catalog.cast.rule_of_law_office,
            delegation=delegation,
            evaluated_on=dt.date(2024, 5, 31),
            conclusion="keep",
            opinion="承接顺利，继续下放",
        )
    delegation.refresh_from_db()
    assert delegation.is_active
    assert payload == {
        "item": "SCJ-CF-001",
        "township": "xz1",
        "evaluated_on": "2024-05-31",
        "conclusion": "keep",
    }


def test_a_withdraw_conclusion_ends_the_delegation(catalog, delegation):
    with one_event("catalog.delegation.evaluated") as payload:
        evaluation = services.evaluate_delegation(
            actor=catalog.cast.rule_of_law_office,
            delegation=delegation,
            evaluated_on=dt.date(2024, 5, 31),
            conclusion="withdraw",
            opinion="乡镇缺乏专业执法力量，收回县级行使",
        )
    delegation.refresh_from_db()
    assert delegation.is_active is False
    assert evaluation.conclusion == "withdraw"
    assert payload["conclusion"] == "withdraw"


# --- 四张清单 / 首违不罚 -------------------------------------------------------------------------


def test_creating_a_list_is_recorded(catalog):
    with one_event("catalog.list.created") as payload:
        lst = draft_list(catalog, effective_until=dt.date(2025, 12, 31), document_number=" 1号 ")
    assert lst.published_at is None
    assert payload == {
        "id": lst.pk,
        "kind": "no_penalty",
        "title": "测试县市场监督管理局不予处罚事项清单",
        "organization": "scj",
        "version": "2024年版",
        "document_number": "1号",
        "effective_from": "2024-01-01",
        "effective_until": "2025-12-31",
    }


def test_invalid_lists_are_refused(catalog):
    cast = catalog.cast
    with refused(CatalogValidationError, "清单类型“black_list”无效"):
        draft_list(catalog, kind="black_list")
    with refused(CatalogValidationError, "失效日期不能早于施行日期"):
        draft_list(catalog, effective_until=dt.date(2023, 12, 31))
    with refused(ConflictError, "测试县市场监督管理局的该类清单已有“2024年版”版本"):
        draft_list(catalog, kind="first_violation")
    with refused(PermissionDenied, "维护执法事项、清单和裁量基准"):
        services.create_list(
            actor=cast.officer,
            kind="no_penalty",
            title="清单",
            organization=cast.department_a,
            version="v1",
            effective_from=dt.date(2024, 1, 1),
        )
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.create_list(
            actor=cast.department_head,
            kind="no_penalty",
            title="清单",
            organization=cast.department_b,
            version="v1",
            effective_from=dt.date(2024, 1, 1),
        )
    assert LenientList.objects.count() == 1  # build_catalog's


def test_adding_an_entry_normalizes_and_records_its_conditions(catalog):
    lst = draft_list(catalog)
    with one_event("catalog.list.entry_added") as payload:
        entry = services.add_list_entry(
            actor=catalog.cast.department_head,
            lenient_list=lst,
            item=catalog.item_a,
            **{
                **ENTRY,
                "conditions": {
                    "requires_corrected_in_time": True,
                    "requires_first_violation": False,
                    "max_harm": "none",
                    "party_kinds": ["organization", "individual"],
                },
            },
        )
    normalized = {
        "requires_corrected_in_time": True,
        "max_harm": "none",
        "party_kinds": ["individual", "organization"],
    }
    entry.refresh_from_db()
    assert entry.conditions == normalized
    assert entry.organization == catalog.cast.department_a  # the item's implementing body
    assert payload == {"list": lst.pk, "number": 1, "item": "SCJ-CF-001", "conditions": normalized}


def test_a_penalty_list_takes_only_penalty_items(catalog):
    cast = catalog.cast
    inspection = services.create_item(
        actor=cast.department_head,
        organization=cast.department_a,
        **item_fields(
            code="SCJ-JC-001",
            category="inspection",
            penalty_types=[],
            fine_basis="",
            fine_min=None,
            fine_max=None,
        ),
    )
    lst = draft_list(catalog)
    with refused(CatalogValidationError, "不予处罚事项清单只能列入行政处罚事项，SCJ-JC-001不是"):
        services.add_list_entry(
            actor=cast.department_head, lenient_list=lst, item=inspection, **ENTRY
        )
    no_coercion = draft_list(catalog, kind="no_coercion", title="免予行政强制清单")
    with refused(CatalogValidationError, "免予行政强制清单只能列入行政强制或行政处罚事项"):
        services.add_list_entry(
            actor=cast.department_head, lenient_list=no_coercion, item=inspection, **ENTRY
        )
    coercion = services.create_item(
        actor=cast.department_head,
        organization=cast.department_a,
        **item_fields(
            code="SCJ-QZ-001",
            category="coercion",
            penalty_types=[],
            fine_basis="",
            fine_min=None,
            fine_max=None,
        ),
    )
    with one_event("catalog.list.entry_added"):
        services.add_list_entry(
            actor=cast.department_head, lenient_list=no_coercion, item=coercion, **ENTRY
        )


def test_a_first_violation_entry_requires_a_first_violation(catalog):
    lst = draft_list(catalog, kind="first_violation", version="2025年版")
    with pytest.raises(
        CatalogValidationError, match="首违不罚清单事项的适用条件应包含“初次违法”"
    ) as exc:
        services.add_list_entry(
            actor=catalog.cast.department_head, lenient_list=lst, item=catalog.item_a, **ENTRY
        )
    assert exc.value.field == "conditions"
    assert not lst.entries.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": 0}, "序号应为正整数"),
        ({"violation": " "}, "请填写违法行为"),
        ({"legal_basis": ""}, "请填写法律依据"),
        ({"condition_text": ""}, "请填写适用条件"),
        ({"conditions": {"first_time": True}}, "适用条件含未知项：first_time"),
        ({"conditions": {"requires_corrected_in_time": "false"}}, "须及时改正"),
        ({"conditions": {"max_harm": "catastrophic"}}, "危害后果上限"),
    ],
)
def test_invalid_entries_are_refused(catalog, changes, message):
    lst = draft_list(catalog)
    with refused(CatalogValidationError, message):
        services.add_list_entry(
            actor=catalog.cast.department_head,
            lenient_list=lst,
            item=catalog.item_a,
            **{**ENTRY, **changes},
        )
    assert not lst.entries.exists()


def test_entries_take_active_items_in_scope_with_unique_numbers(catalog):
    cast = catalog.cast
    lst = draft_list(catalog)
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.add_list_entry(
            actor=cast.department_head, lenient_list=lst, item=catalog.item_b, **ENTRY
        )
    services.add_list_entry(
        actor=cast.department_head, lenient_list=lst, item=catalog.item_a, **ENTRY
    )
    with refused(ConflictError, "中已有第1项"):
        services.add_list_entry(
            actor=cast.department_head, lenient_list=lst, item=catalog.item_a, **ENTRY
        )
    services.set_item_active(actor=cast.department_head, item=catalog.item_a, is_active=False)
    catalog.item_a.refresh_from_db()
    with refused(CatalogValidationError, "执法事项SCJ-CF-001已停用"):
        services.add_list_entry(
            actor=cast.department_head,
            lenient_list=lst,
            item=catalog.item_a,
            **{**ENTRY, "number": 2},
        )


def test_a_published_list_cannot_be_edited(catalog):
    cast = catalog.cast
    published = catalog.first_violation_list
    message = "已公布，不能再修改，请制定新版本"
    with refused(ConflictError, message):
        services.add_list_entry(
            actor=cast.department_head,
            lenient_list=published,
            item=catalog.item_a,
            **{**ENTRY, "number": 2, "conditions": {"requires_first_violation": True}},
        )
    with refused(ConflictError, message):
        services.remove_list_entry(actor=cast.department_head, entry=catalog.entry_a)
    with refused(ConflictError, message):
        services.publish_list(actor=cast.department_head, lenient_list=published)
    assert LenientListEntry.objects.filter(pk=catalog.entry_a.pk).exists()


def test_a_list_cannot_be_edited_outside_the_actors_scope(catalog):
    cast = catalog.cast
    lst_b = draft_list(catalog, organization=cast.department_b, title="环境不予处罚清单")
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.add_list_entry(
            actor=cast.department_head, lenient_list=lst_b, item=catalog.item_a, **ENTRY
        )
    with refused(DomainError, "不在您的数据范围内"):
        services.publish_list(actor=cast.department_head, lenient_list=lst_b)


def test_an_empty_list_is_not_published(catalog):
    lst = draft_list(catalog)
    with refused(DomainError, "清单没有事项，不能公布"):
        services.publish_list(actor=catalog.cast.department_head, lenient_list=lst)
    lst.refresh_from_db()
    assert lst.published_at is None


def test_removing_an_entry_then_publishing_the_list(catalog):
    cast = catalog.cast
    lst = draft_list(catalog)
    first = services.add_list_entry(
        actor=cast.department_head, lenient_list=lst, item=catalog.item_a, **ENTRY
    )
    services.add_list_entry(
        actor=cast.department_head, lenient_list=lst, item=catalog.item_a, **{**ENTRY, "number": 2}
    )
    with one_event("catalog.list.entry_removed") as removed:
        services.remove_list_entry(actor=cast.department_head, entry=first)
    assert removed == {"list": lst.pk, "number": 1, "item": "SCJ-CF-001"}
    assert list(lst.entries.values_list("number", flat=True)) == [2]

    with one_event("catalog.list.published") as payload:
        services.publish_list(actor=cast.department_head, lenient_list=lst)
    lst.refresh_from_db()
    assert lst.published_at is not None
    assert payload["entries"] == 1
    assert payload["id"] == lst.pk


# --- 裁量基准 ----------------------------------------------------------------------------------


def test_creating_a_benchmark_stores_its_tiers_in_order(catalog):
    with one_event("catalog.standard.created") as payload:
        standard = services.create_standard(
            actor=catalog.cast.department_head, **standard_fields(catalog)
        )
    tiers = list(standard.tiers.order_by("order"))
    assert [(t.treatment, t.severity, t.fine_min, t.fine_max) for t in tiers] == [
        (t.treatment, t.severity, t.fine_min, t.fine_max) for t in STANDARD_TIERS
    ]
    assert standard.published_at is None
    assert payload["item"] == "SCJ-CF-001"
    assert payload["version"] == "2025年版"
    assert payload["parent"] is None
    assert payload["tiers"][1] == {
        "treatment": "lighter",
        "severity": "minor",
        "fine_min": "10000",
        "fine_max": "30000",
    }


def test_roles_without_catalog_manage_cannot_create_benchmarks(catalog):
    with refused(PermissionDenied, "维护执法事项、清单和裁量基准"):
        services.create_standard(actor=catalog.cast.officer, **standard_fields(catalog))


def test_a_department_head_cannot_write_another_departments_benchmark(catalog):
    cast = catalog.cast
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.create_standard(
            actor=cast.department_head,
            **standard_fields(catalog, organization=cast.department_b),
        )
    # Nor one of its own for department B's item: the most local benchmark binds that item.
    with refused(DomainError, "“测试县生态环境分局”不在您的数据范围内"):
        services.create_standard(
            actor=cast.department_head,
            **standard_fields(
                catalog,
                item=catalog.item_b,
                tiers=(TierInput("ordinary", "", None, None, "一般", "按法定幅度"),),
            ),
        )
    assert DiscretionStandard.objects.count() == 1


def test_a_ranged_item_needs_every_severity_described(catalog):
    # DB-6: 有处罚幅度的要明确情节轻微、情节较轻、情节较重、情节严重的具体情形
    with refused(CatalogValidationError, "缺少：情节较重、情节严重"):
        services.create_standard(
            actor=catalog.cast.department_head,
            **standard_fields(catalog, tiers=STANDARD_TIERS[:3]),
        )


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        (
            tiers_with(4, fine_max=D(100001)),
            "第5个阶次的罚款上限100001超出法定上限100000",
        ),
        (
            tiers_with(1, fine_min=D(9999)),
            "第2个阶次的罚款下限9999低于法定下限10000",
        ),
        (
            (*STANDARD_TIERS, TierInput("reduced", "", D(5000), D(10001), "减轻", "罚五千元")),
            "第6个阶次为减轻处罚，罚款应低于法定下限10000",
        ),
        (tiers_with(0, fine_min=D(0), fine_max=D(100)), "第1个阶次为不予处罚，不应填写罚款幅度"),
        (tiers_with(2, fine_max=None), "第3个阶次的罚款幅度应同时填写下限和上限"),
        (
            tiers_with(3, fine_min=D(70000), fine_max=D(30000)),
            "第4个阶次的罚款幅度上下限颠倒",
        ),
        (tiers_with(3, condition_text=" "), "第4个阶次缺少适用条件"),
        (tiers_with(3, standard_text=""), "第4个阶次缺少具体标准"),
        (tiers_with(3, treatment="exempt"), "第4个阶次的裁量阶次“exempt”无效"),
        ((), "裁量基准至少应有一个裁量阶次"),
    ],
)
def test_tiers_outside_the_statutory_range_or_incomplete_are_refused(catalog, tiers, message):
    with refused(CatalogValidationError, message):
        services.create_standard(
            actor=catalog.cast.department_head, **standard_fields(catalog, tiers=tiers)
        )
    assert DiscretionStandard.objects.count() == 1


def test_a_reduced_tier_below_the_minimum_is_accepted(catalog):
    # 减轻 = below the statutory minimum (国市监法规〔2022〕2号 第十条).
    tiers = (
        *STANDARD_TIERS,
        TierInput("reduced", "", D(5000), D(10000), "减轻情形", "罚五千至一万"),
    )
    standard = services.create_standard(
        actor=catalog.cast.department_head, **standard_fields(catalog, tiers=tiers)
    )
    assert standard.tiers.filter(treatment="reduced").exists()


def test_benchmarks_apply_only_to_penalty_items_and_versions_are_unique(catalog):
    cast = catalog.cast
    inspection = services.create_item(
        actor=cast.department_head,
        organization=cast.department_a,
        **item_fields(
            code="SCJ-JC-001",
            category="inspection",
            penalty_types=[],
            fine_basis="",
            fine_min=None,
            fine_max=None,
        ),
    )
    with refused(CatalogValidationError, "裁量基准只适用于行政处罚事项，SCJ-JC-001不是"):
        services.create_standard(
            actor=cast.department_head, **standard_fields(catalog, item=inspection)
        )
    with refused(ConflictError, "对事项SCJ-CF-001已有“2024年版”版本的裁量基准"):
        services.create_standard(
            actor=cast.department_head, **standard_fields(catalog, version="2024年版")
        )
    with refused(CatalogValidationError, "制定层级“town”无效"):
        services.create_standard(
            actor=cast.department_head, **standard_fields(catalog, level="town")
        )


@pytest.fixture
def city_standard(catalog) -> DiscretionStandard:
    """A city benchmark for item A with a narrower 一般/较重 band and no 减轻 tier."""
    tiers = (
        TierInput("no_penalty", "", None, None, "首违且及时改正", "不予处罚"),
        TierInput("lighter", "minor", D(10000), D(40000), "情节较轻", "一万至四万"),
        TierInput("ordinary", "slight", D(10000), D(30000), "情节轻微", "一万至三万"),
        TierInput("ordinary", "serious", D(30000), D(60000), "情节较重", "三万至六万"),
        TierInput("heavier", "grave", D(60000), D(100000), "情节严重", "六万至十万"),
    )
    return services.create_standard(
        actor=catalog.cast.rule_of_law_office,
        **standard_fields(
            catalog,
            organization=catalog.cast.justice_bureau,
            level="city",
            title="某市市场监管行政处罚裁量基准",
            version="2023年版",
            effective_from=dt.date(2023, 1, 1),
            tiers=tiers,
        ),
    )


# Inside every range of ``city_standard``.
REFINED_TIERS = (
    TierInput("lighter", "minor", D(10000), D(20000), "情节较轻", "一万至二万"),
    TierInput("ordinary", "slight", D(15000), D(25000), "情节轻微", "一万五至二万五"),
    TierInput("ordinary", "serious", D(30000), D(60000), "情节较重", "三万至六万"),
    TierInput("heavier", "grave", D(80000), D(100000), "情节严重", "八万至十万"),
)


def test_a_county_benchmark_refines_inside_the_city_one(catalog, city_standard):
    with one_event("catalog.standard.created") as payload:
        services.create_standard(
            actor=catalog.cast.department_head,
            **standard_fields(catalog, parent=city_standard, tiers=REFINED_TIERS),
        )
    assert payload["parent"] == city_standard.pk


def test_db5_a_county_tier_outside_the_city_range_is_refused(catalog, city_standard):
    # STANDARD_TIERS' 情节较重 tier is 30000–70000; the city allows only 30000–60000.
    with refused(
        CatalogValidationError,
        "第4个阶次（一般处罚）的罚款幅度30000至70000元超出上级裁量基准的幅度",
    ):
        services.create_standard(
            actor=catalog.cast.department_head,
            **standard_fields(catalog, parent=city_standard),
        )


def test_db5_a_county_tier_the_city_did_not_set_is_refused(catalog, city_standard):
    tiers = (*REFINED_TIERS, TierInput("reduced", "", D(5000), D(9000), "减轻", "罚五千至九千"))
    with refused(
        CatalogValidationError,
        "第5个阶次（减轻处罚）不在上级裁量基准划定的阶次内，县级只能细化上级基准",
    ):
        services.create_standard(
            actor=catalog.cast.department_head,
            **standard_fields(catalog, parent=city_standard, tiers=tiers),
        )


def test_db5_a_published_higher_benchmark_must_be_named_as_the_parent(catalog, city_standard):
    # given the city benchmark is published and in force
    services.publish_standard(actor=catalog.cast.rule_of_law_office, standard=city_standard)
    # then a county one that ignores it is refused
    with refused(CatalogValidationError, "该事项已有上级裁量基准某市市场监管行政处罚裁量基准"):
        services.create_standard(
            actor=catalog.cast.department_head,
            **standard_fields(catalog, tiers=REFINED_TIERS),
        )
    # and one that refines it is accepted
    with one_event("catalog.standard.created"):
        services.create_standard(
            actor=catalog.cast.department_head,
            **standard_fields(catalog, parent=city_standard, tiers=REFINED_TIERS),
        )


def test_the_parent_benchmark_must_be_for_the_same_item_and_a_higher_level(catalog, city_standard):
    cast = catalog.cast
    item = services.create_item(
        actor=cast.department_head, organization=cast.department_a, **item_fields()
    )
    tiers = (
        TierInput("ordinary", "slight", D(0), D(5000), "轻微", "五千以下"),
        TierInput("ordinary", "minor", D(5000), D(10000), "较轻", "五千至一万"),
        TierInput("ordinary", "serious", D(10000), D(20000), "较重", "一万至二万"),
        TierInput("ordinary", "grave", D(20000), D(30000), "严重", "二万至三万"),
    )
    with refused(CatalogValidationError, "上级裁量基准应针对同一执法事项"):
        services.create_standard(
            actor=cast.department_head,
            **standard_fields(catalog, item=item, parent=city_standard, tiers=tiers),
        )
    # a county benchmark cannot "refine" another county benchmark (DB-4: 上级行政机关)
    with refused(
        CatalogValidationError, "上级裁量基准的制定层级（县级）应高于本基准的制定层级（县级）"
    ):
        services.create_standard(
            actor=cast.department_head,
            **standard_fields(catalog, parent=catalog.standard_a),
        )


def test_publishing_a_benchmark_once(catalog):
    cast = catalog.cast
    standard = services.create_standard(actor=cast.department_head, **standard_fields(catalog))
    with one_event("catalog.standard.published") as payload:
        services.publish_standard(actor=cast.department_head, standard=standard)
    standard.refresh_from_db()
    assert standard.published_at is not None
    assert payload == {"id": standard.pk, "item": "SCJ-CF-001", "version": "2025年版"}
    with refused(ConflictError, "已公布"):
        services.publish_standard(actor=cast.department_head, standard=standard)


def test_publishing_another_departments_benchmark_is_refused(catalog):
    cast = catalog.cast
    standard_b = services.create_standard(
        actor=cast.rule_of_law_office,
        **standard_fields(
            catalog,
            item=catalog.item_b,
            organization=cast.department_b,
            tiers=(
                TierInput("ordinary", "slight", D(1), D(2), "轻微", "一至二倍"),
                TierInput("ordinary", "minor", D(2), D(3), "较轻", "二至三倍"),
                TierInput("ordinary", "serious", D(3), D(4), "较重", "三至四倍"),
                TierInput("ordinary", "grave", D(4), D(5), "严重", "四至五倍"),
            ),
        ),
    )
    with refused(DomainError, "不在您的数据范围内"):
        services.publish_standard(actor=cast.department_head, standard=standard_b)
    with refused(PermissionDenied, "维护执法事项、清单和裁量基准"):
        services.publish_standard(actor=cast.supervisor, standard=standard_b)


# --- every service: permission and data scope ----------------------------------------------------


@pytest.fixture
def department_b_rows(catalog) -> dict[str, Any]:
    """Department B's rows (and a delegation to the township), made by the county office."""
    cast, office = catalog.cast, catalog.cast.rule_of_law_office
    draft_b = services.create_item(
        actor=office, organization=cast.department_b, **item_fields(code="HBJ-CF-900")
    )
    list_b = draft_list(
        catalog, organization=cast.department_b, title="环境不予处罚清单", version="v1"
    )
    entry_b = services.add_list_entry(
        actor=office, lenient_list=list_b, item=catalog.item_b, **ENTRY
    )
    standard_b = services.create_standard(
        actor=office,
        **standard_fields(
            catalog,
            item=catalog.item_b,
            organization=cast.department_b,
            tiers=tuple(
                TierInput("ordinary", s, D(1), D(5), "情节", "一至五倍")
                for s in ("slight", "minor", "serious", "grave")
            ),
        ),
    )
    return {
        "officer_b": services.create_officer(
            actor=office, organization=cast.department_b, **officer_fields()
        ),
        "draft_b": draft_b,
        "list_b": list_b,
        "entry_b": entry_b,
        "standard_b": standard_b,
        "delegation": services.delegate_item(
            actor=office,
            item=catalog.item_a,
            township=cast.township,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕5号",
        ),
    }


def _service_calls(c: CatalogCast, rows: dict[str, Any]) -> dict[str, Any]:
    """One call per service, each on a row of department B or of the township."""
    cast = c.cast
    return {
        "register_body": lambda actor: services.register_body(
            actor=actor,
            organization=cast.department_b,
            credit_code=credit_code(9),
            authority_basis="依法设立",
        ),
        "update_body": lambda actor: services.update_body(
            actor=actor,
            body=c.body_b,
            credit_code=credit_code(9),
            authority_basis="改",
            entrusting_organization=None,
            is_active=False,
        ),
        "create_officer": lambda actor: services.create_officer(
            actor=actor,
            organization=cast.department_b,
            **officer_fields(certificate_number="22049999"),
        ),
        "update_officer": lambda actor: services.update_officer(
            actor=actor,
            officer=rows["officer_b"],
            organization=cast.department_b,
            **officer_fields(),
        ),
        "set_officer_status": lambda actor: services.set_officer_status(
            actor=actor, officer=rows["officer_b"], status="revoked", reason="调离"
        ),
        "record_training": lambda actor: services.record_training(
            actor=actor,
            officer=rows["officer_b"],
            kind="online",
            title="培训",
            held_on=dt.date(2024, 3, 1),
            hours=D(2),
        ),
        "assign_shadowing": lambda actor: services.assign_shadowing(
            actor=actor,
            officer=rows["officer_b"],
            mentor=c.officer_a,
            case_reference="案件",
            started_on=dt.date(2024, 3, 1),
        ),
        "create_item": lambda actor: services.create_item(
            actor=actor, organization=cast.department_b, **item_fields(code="HBJ-CF-901")
        ),
        "update_item": lambda actor: services.update_item(
            actor=actor,
            item=c.item_b,
            organization=cast.department_b,
            **item_fields(code="HBJ-CF-001"),
        ),
        "set_item_active": lambda actor: services.set_item_active(
            actor=actor, item=c.item_b, is_active=False
        ),
        "publish_items": lambda actor: services.publish_items(actor=actor, items=[rows["draft_b"]]),
        "delegate_item": lambda actor: services.delegate_item(
            actor=actor,
            item=c.item_b,
            township=cast.township,
            decided_on=dt.date(2023, 6, 1),
            document_number="测政发〔2023〕6号",
        ),
        "evaluate_delegation": lambda actor: services.evaluate_delegation(
            actor=actor,
            delegation=rows["delegation"],
            evaluated_on=dt.date(2024, 6, 1),
            conclusion="withdraw",
            opinion="收回",
        ),
        "create_list": lambda actor: services.create_list(
            actor=actor,
            kind="reduced",
            title="清单",
            organization=cast.department_b,
            version="v1",
            effective_from=dt.date(2024, 1, 1),
        ),
        "add_list_entry": lambda actor: services.add_list_entry(
            actor=actor, lenient_list=rows["list_b"], item=c.item_b, **{**ENTRY, "number": 2}
        ),
        "remove_list_entry": lambda actor: services.remove_list_entry(
            actor=actor, entry=rows["entry_b"]
        ),
        "publish_list": lambda actor: services.publish_list(
            actor=actor, lenient_list=rows["list_b"]
        ),
        "create_standard": lambda actor: services.create_standard(
            actor=actor,
            **standard_fields(c, item=c.item_b, organization=cast.department_b, version="2026年版"),
        ),
        "publish_standard": lambda actor: services.publish_standard(
            actor=actor, standard=rows["standard_b"]
        ),
    }


SERVICES = [
    "register_body",
    "update_body",
    "create_officer",
    "update_officer",
    "set_officer_status",
    "record_training",
    "assign_shadowing",
    "create_item",
    "update_item",
    "set_item_active",
    "publish_items",
    "delegate_item",
    "evaluate_delegation",
    "create_list",
    "add_list_entry",
    "remove_list_entry",
    "publish_list",
    "create_standard",
    "publish_standard",
]
# The services that confirm bodies and delegations belong to the 依法治县办 alone; the others
# are refused to a department head of department A working on department B's rows.
COUNTY_OFFICE_ONLY = {"register_body", "update_body", "delegate_item", "evaluate_delegation"}


def test_the_service_table_covers_every_public_service():
    public = {
        name
        for name in dir(services)
        if callable(getattr(services, name))
        and getattr(getattr(services, name), "__module__", "") == services.__name__
        and not name.startswith(("_", "check_", "fill_", "require_", "item_payload"))
    }
    assert public == set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_refuses_an_officer(catalog, department_b_rows, name):
    # An officer reads the catalog (catalog.view) but maintains none of it.
    call = _service_calls(catalog, department_b_rows)[name]
    with refused(PermissionDenied, "您没有“"):
        call(catalog.cast.other_officer)


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_refuses_rows_outside_the_actors_scope(
    catalog, department_b_rows, narrow_office, name
):
    actor = narrow_office if name in COUNTY_OFFICE_ONLY else catalog.cast.department_head
    call = _service_calls(catalog, department_b_rows)[name]
    with refused(DomainError, "不在您的数据范围内"):
        call(actor)
