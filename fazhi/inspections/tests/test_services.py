"""Writes of 双随机、一公开: directories, plans, tasks, the draw, results and their publication.

Each refusal is asserted with its field or message; the draw tests check the frozen pools and
the records the reveal creates against the rules (recusal, township, qualification)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from fazhi.core import services as core_services
from fazhi.core.models import CalendarDay
from fazhi.draws.models import Draw, DrawStatus
from fazhi.draws.services import AssignmentRules, load_pool
from fazhi.inspections import services
from fazhi.inspections.models import (
    InspectionRecord,
    Outcome,
    PlanStatus,
    RiskClass,
    Task,
    TaskStatus,
)
from fazhi.inspections.services import InspectionError, UploadedFile
from fazhi.inspections.testing import (
    EVIDENCE,
    RANDOMNESS,
    SOURCE,
    InspectionCast,
    build_inspections,
    draw,
    entity_code,
    today,
)
from fazhi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast)


def _last_entry(kind: str) -> dict:
    entry = LedgerEntry.objects.filter(kind=kind).order_by("-seq").first()
    assert entry is not None, kind
    return json.loads(entry.body)


# --- 一单 -------------------------------------------------------------------------------------


def test_save_item_records_and_links_catalog_items(ic):
    body = _last_entry("inspections.item.created")
    assert body["payload"]["code"] == "SCJ-CC-001"
    assert body["payload"]["catalog_items"] == ["SCJ-CF-001"]
    assert list(ic.item.catalog_items.all()) == [ic.catalog.item_a]
    changed = services.save_item(
        actor=ic.head,
        organization=ic.cast.department_a,
        code="SCJ-CC-001",
        name="食品经营者日常监督检查",
        kind="key",
        basis=ic.item.basis,
        qualification="食品",
        item=ic.item,
    )
    assert changed.pk == ic.item.pk and changed.kind == "key"
    assert changed.catalog_items.count() == 0
    assert _last_entry("inspections.item.updated")["payload"]["name"] == "食品经营者日常监督检查"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"basis": " "}, "basis"),
        ({"code": "SCJ-CC-001"}, "code"),
        ({"kind": "other"}, "kind"),
        ({"qualification": ""}, "qualification"),
    ],
)
def test_save_item_refusals(ic, change, field):
    args = {
        "actor": ic.head,
        "organization": ic.cast.department_a,
        "code": "SCJ-CC-002",
        "name": "特种设备使用单位检查",
        "kind": "general",
        "basis": "《中华人民共和国特种设备安全法》第五十七条",
        "qualification": "特种设备",
    }
    args.update(change)
    with pytest.raises(InspectionError) as exc:
        services.save_item(**args)
    assert exc.value.field == field


def test_save_item_refuses_a_catalog_item_of_another_body_and_another_scope(ic):
    with pytest.raises(InspectionError) as exc:
        services.save_item(
            actor=ic.head,
            organization=ic.cast.department_a,
            code="SCJ-CC-009",
            name="x",
            kind="general",
            basis="y",
            qualification="食品",
            catalog_items=[ic.catalog.item_b],
        )
    assert exc.value.field == "catalog_items"
    with pytest.raises(InspectionError, match="不在您的数据范围内"):
        services.save_item(
            actor=ic.head,
            organization=ic.cast.department_b,
            code="HBJ-CC-001",
            name="排污单位检查",
            kind="general",
            basis="《中华人民共和国环境保护法》第二十四条",
            qualification="生态环境",
        )
    with pytest.raises(PermissionDenied):
        services.save_item(
            actor=ic.cast.officer,
            organization=ic.cast.department_a,
            code="SCJ-CC-010",
            name="x",
            kind="general",
            basis="y",
            qualification="食品",
        )


# --- 两库 -------------------------------------------------------------------------------------


def _entity(ic, **kw):
    args = {
        "actor": ic.head,
        "credit_code": entity_code(500),
        "name": "测试县某某超市",
        "industry": "零售",
        "township": ic.cast.township,
        "risk_class": "B",
    }
    args.update(kw)
    return services.save_entity(**args)


def test_save_entity_normalises_and_updates(ic):
    e = _entity(ic, credit_code=" " + entity_code(500).lower() + " ", licences=["JY1"])
    assert e.credit_code == entity_code(500) and e.licences == ["JY1"]
    again = _entity(ic, risk_class="D", entity=e)
    assert again.pk == e.pk and again.risk_class == "D"
    assert _last_entry("inspections.entity.updated")["payload"]["risk_class"] == "D"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credit_code": "912204220000005000"}, "credit_code"),  # bad check digit
        ({"credit_code": entity_code(1)}, "credit_code"),  # already in the directory
        ({"risk_class": "E"}, "risk_class"),
        ({"name": ""}, "name"),
        ({"industry": " "}, "industry"),
    ],
)
def test_save_entity_refusals(ic, change, field):
    with pytest.raises(InspectionError) as exc:
        _entity(ic, **change)
    assert exc.value.field == field


def test_save_entity_township_must_be_a_township(ic):
    with pytest.raises(InspectionError, match="不是乡镇") as exc:
        _entity(ic, township=ic.cast.department_b)
    assert exc.value.field == "township"


def test_save_inspector_checks_the_certificate_and_scope(ic):
    with pytest.raises(InspectionError, match="过期") as exc:
        services.save_inspector(
            actor=ic.head, officer=ic.catalog.expired_officer, qualifications=["食品"]
        )
    assert exc.value.field == "officer"
    # Out of the directory, an expired officer may be recorded as inactive.
    inactive = services.save_inspector(
        actor=ic.head, officer=ic.catalog.expired_officer, qualifications=["食品"], is_active=False
    )
    assert inactive.is_active is False
    with pytest.raises(InspectionError, match="数据范围"):
        services.save_inspector(actor=ic.head, officer=ic.officers[4], qualifications=["食品"])
    with pytest.raises(InspectionError) as exc:
        services.save_inspector(actor=ic.head, officer=ic.officers[1], qualifications=[" "])
    assert exc.value.field == "qualifications"


def test_save_inspector_updates_the_same_entry(ic):
    again = services.save_inspector(
        actor=ic.head, officer=ic.officers[1], qualifications=["特种设备", "食品", "特种设备"]
    )
    assert again.pk == ic.inspectors[1].pk
    assert again.qualifications == ["特种设备", "食品"]


def test_relationships_declared_by_the_inspector_and_removed_by_a_manager(ic):
    mine = ic.inspectors[0]  # the cast's officer
    rel = services.declare_relationship(
        actor=ic.cast.officer, inspector=mine, entity=ic.entities[0], description="配偶经营"
    )
    assert _last_entry("inspections.relationship.declared")["payload"]["credit_code"] == (
        ic.entities[0].credit_code
    )
    with pytest.raises(InspectionError, match="已申报"):
        services.declare_relationship(
            actor=ic.head, inspector=mine, entity=ic.entities[0], description="同上"
        )
    with pytest.raises(PermissionDenied):  # another officer, not a manager
        services.declare_relationship(
            actor=ic.cast.other_officer,
            inspector=mine,
            entity=ic.entities[1],
            description="亲属",
        )
    with pytest.raises(PermissionDenied):  # only a manager withdraws a recusal
        services.remove_relationship(actor=ic.cast.officer, relationship=rel)
    services.remove_relationship(actor=ic.head, relationship=rel)
    assert not mine.relationships.exists()
    assert _last_entry("inspections.relationship.removed")["payload"]["description"] == "配偶经营"


# --- plans and tasks --------------------------------------------------------------------------


def _plan(ic, **kw):
    year = today().year
    args = {
        "actor": ic.head,
        "organization": ic.cast.department_a,
        "kind": "department",
        "year": year,
        "number": f"SCJ-{year}-99",
        "title": "计划",
        "items": [ic.item],
        "ratios": {},
        "starts_on": D(year, 1, 1),
        "ends_on": D(year, 12, 31),
    }
    args.update(kw)
    return services.create_plan(**args)


GENERAL = {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}
KEY = {"A": "0.03", "B": "0.05", "C": "0.2", "D": "0.5"}


def test_plan_ratios_default_to_the_parameter_per_item_kind(ic):
    assert _plan(ic).ratios == {"general": GENERAL, "key": KEY}
    assert _plan(ic, number="P2", ratios=None).ratios == {"general": GENERAL, "key": KEY}
    # the parameter: 重点 above 一般 for every class
    defaults = services.params_on(D(2024, 6, 1))["ratios"]
    assert all(
        Decimal(defaults["key"][c]) > Decimal(defaults["general"][c]) for c in RiskClass.values
    )


def test_plan_ratios_nested_are_normalized_and_accept_percentages(ic):
    ratios = {
        "general": {"A": "1%", "B": "0.020", "C": 0.1, "D": " 0.3 "},
        "key": {"A": "5%", "B": "0.1", "C": "0.2", "D": "1"},
    }
    plan = _plan(ic, ratios=ratios)
    assert plan.ratios == {
        "general": GENERAL,
        "key": {"A": "0.05", "B": "0.1", "C": "0.2", "D": "1"},
    }
    assert _last_entry("inspections.plan.created")["payload"]["ratios"] == plan.ratios
    assert plan.status == PlanStatus.DRAFT and plan.created_by == ic.head


def test_plan_ratios_flat_form_applies_to_both_kinds(ic):
    plan = _plan(ic, ratios={"A": "5%", "B": "0.1", "C": 0.2, "D": "1"})
    flat = {"A": "0.05", "B": "0.1", "C": "0.2", "D": "1"}
    assert plan.ratios == {"general": flat, "key": flat}


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        ({"A": "0.1"}, "请设定B、C、D类的抽查比例"),
        ({"A": "2", "B": "0", "C": "0", "D": "0"}, "A类的抽查比例应在0到1之间"),
        ({"A": "x", "B": "0", "C": "0", "D": "0"}, "A类的抽查比例不是数字"),
        ({"A": "NaN", "B": "0", "C": "0", "D": "0"}, "A类的抽查比例应在0到1之间"),
        ({"E": "0.1", "A": "0", "B": "0", "C": "0", "D": "0"}, "风险类别“E”无效"),
        ({"general": GENERAL}, "请设定重点事项的抽查比例"),
        ({"general": GENERAL, "key": {**KEY, "C": "1.5"}}, "重点事项 C类的抽查比例应在0到1之间"),
        ({"general": {**GENERAL, "B": "-0.1"}, "key": KEY}, "一般事项 B类的抽查比例应在0到1之间"),
        ({"general": GENERAL, "key": {**KEY, "D": "多"}}, "重点事项 D类的抽查比例不是数字"),
        ({"general": GENERAL, "key": {"A": "0.1"}}, "请设定重点事项 B、C、D类的抽查比例"),
        ({"general": {**GENERAL, "E": "0"}, "key": KEY}, "一般事项 风险类别“E”无效"),
        ({"general": GENERAL, "key": KEY, "special": KEY}, "事项类别“special”无效"),
        ({"special": KEY}, "事项类别“special”无效"),
        ({"general": GENERAL, "key": "0.1"}, "重点事项的抽查比例应按风险类别"),
        ({"general": GENERAL, "key": KEY, "A": "0.1"}, "不能混用"),
        (
            {"general": {**GENERAL, "C": "0.9"}, "key": {**KEY, "C": "0.5"}},
            "重点事项 C类的抽查比例不应低于一般事项（0.9）",
        ),
    ],
)
def test_plan_ratio_refusals_name_the_kind_and_the_class(ic, ratios, message):
    with pytest.raises(InspectionError) as exc:
        _plan(ic, ratios=ratios)
    assert exc.value.field == "ratios"
    assert message in exc.value.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": []}, "items"),
        ({"number": "SCJ-{y}-01"}, "number"),
        ({"kind": "joint"}, "departments"),
        ({"starts_on": D(2001, 1, 1)}, "starts_on"),
    ],
)
def test_plan_refusals(ic, change, field):
    if change.get("number"):
        change["number"] = change["number"].format(y=today().year)
    with pytest.raises(InspectionError) as exc:
        _plan(ic, **change)
    assert exc.value.field == field


def test_joint_plan_items_come_from_participating_departments(ic):
    cast = ic.cast
    item_b = services.save_item(
        actor=cast.rule_of_law_office,
        organization=cast.department_b,
        code="HBJ-CC-001",
        name="排污单位检查",
        kind="general",
        basis="《中华人民共和国环境保护法》第二十四条",
        qualification="生态环境",
    )
    with pytest.raises(InspectionError) as exc:
        _plan(ic, items=[ic.item, item_b])  # a department plan of A with B's item
    assert exc.value.field == "items"
    with pytest.raises(InspectionError) as exc:
        _plan(ic, departments=[cast.department_b])
    assert exc.value.field == "departments"
    joint = _plan(
        ic,
        actor=cast.rule_of_law_office,
        organization=cast.justice_bureau,
        kind="joint",
        items=[ic.item, item_b],
        departments=[cast.department_a, cast.department_b, cast.justice_bureau],
    )
    assert set(joint.departments.all()) == {cast.department_a, cast.department_b}


def test_publish_plan_and_add_task_refusals(ic):
    plan = _plan(ic)
    with pytest.raises(InspectionError, match="晚于今天"):
        services.publish_plan(actor=ic.head, plan=plan, on=today() + dt.timedelta(days=1))
    services.publish_plan(actor=ic.head, plan=plan, on=today())
    with pytest.raises(Exception, match="已经公布"):
        services.publish_plan(actor=ic.head, plan=plan, on=today())
    with pytest.raises(InspectionError) as exc:
        services.add_task(
            actor=ic.head, plan=plan, number="T9", title="x", due_on=D(today().year + 1, 1, 1)
        )
    assert exc.value.field == "due_on"
    with pytest.raises(InspectionError) as exc:
        services.add_task(
            actor=ic.head, plan=plan, number=ic.task.number, title="x", due_on=plan.ends_on
        )
    assert exc.value.field == "number"
    with pytest.raises(InspectionError, match="数据范围"):
        services.add_task(
            actor=_other_head(ic),
            plan=plan,
            number="T10",
            title="x",
            due_on=plan.ends_on,
        )


def _other_head(ic):
    """A head of department B (own scope)."""
    from fazhi.core.choices import Role
    from fazhi.core.testing import TEST_PASSWORD

    user = core_services.create_user(
        actor=ic.cast.system_admin,
        username="head_b",
        full_name="吴局长",
        organization=ic.cast.department_b,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(actor=ic.cast.security_admin, user=user, role=Role.DEPARTMENT_HEAD)
    return user


# --- the draw ---------------------------------------------------------------------------------


def _commit(ic, task=None, **kw):
    args = {
        "actor": ic.head,
        "task": task or ic.task,
        "randomness_source": SOURCE,
        "randomness_due": today(),
    }
    args.update(kw)
    return services.commit_draw(**args)


def test_commit_freezes_plan_entities_quotas_and_valid_inspectors(ic):
    services.save_inspector(
        actor=ic.head, officer=ic.officers[3], qualifications=["食品"], is_active=False
    )
    services.declare_relationship(
        actor=ic.head, inspector=ic.inspectors[1], entity=ic.entities[3], description="亲属"
    )
    d = _commit(ic)
    ic.task.refresh_from_db()
    assert ic.task.draw == d and ic.task.status == TaskStatus.PLANNED
    assert d.candidate_count == 40  # the 零售 shops are outside the plan's industries
    # 16 A × 0.1 → 2, 12 B × 0.2 → 3, 8 C × 0.5 → 4, 4 D × 1 → 4
    assert d.commitment["strata"] == {"A": 2, "B": 3, "C": 4, "D": 4}
    rules = d.commitment["assignment"]
    assert (rules["per_task"], rules["substitutes"]) == (2, 2)
    assert rules["same_township"] is False and rules["max_pairings"] == 2
    pool = load_pool(d.pool_file)
    first = next(r for r in pool if r["id"] == ic.entities[1].credit_code)
    assert first == {
        "id": ic.entities[1].credit_code,
        "stratum": ic.entities[1].risk_class,
        "township": ic.cast.township.code,
        "needs": ["食品"],
    }
    people = {r["id"]: r for r in load_pool(d.inspector_file)}
    # inactive 马检查, department B's inspector and the expired officer are not in the pool
    assert set(people) == {"22040001", "22040003", "22040004"}
    assert people["22040003"]["excluded"] == [ic.entities[3].credit_code]
    assert people["22040004"]["township"] == ic.cast.township.code
    assert _last_entry("inspections.task.draw_committed")["payload"]["draw"] == d.pk


def test_commit_refusals(ic):
    with pytest.raises(PermissionDenied):
        _commit(ic, actor=ic.cast.officer)
    draft = _plan(ic)
    task = services.add_task(
        actor=ic.head, plan=draft, number="T-D", title="x", due_on=D(today().year, 12, 31)
    )
    with pytest.raises(InspectionError, match="尚未公布"):
        _commit(ic, task=task)
    with pytest.raises(InspectionError, match="数据范围"):
        _commit(ic, actor=_other_head(ic))


def test_reveal_creates_records_that_respect_the_rules(ic):
    services.declare_relationship(
        actor=ic.cast.officer,
        inspector=ic.inspectors[0],
        entity=ic.entities[3],
        description="亲属",
    )
    task = draw(ic)
    assert task.status == TaskStatus.DRAWN
    d = task.draw
    assert d is not None and d.result is not None
    assert d.status == DrawStatus.DRAWN
    records = list(InspectionRecord.objects.filter(task=task).prefetch_related("inspectors"))
    assert {r.entity.credit_code for r in records} == {s["id"] for s in d.result["selected"]}
    assert len(records) == 13
    by_stratum: dict[str, int] = {}
    for r in records:
        by_stratum[r.entity.risk_class] = by_stratum.get(r.entity.risk_class, 0) + 1
        people = list(r.inspectors.all())
        assert len(people) == 2
        for p in people:
            assert "食品" in p.qualifications
            assert p.township_id is None or p.township_id != r.entity.township_id
            assert not p.relationships.filter(entity=r.entity).exists()
        assert not set(people) & set(r.substitutes.all())
    assert by_stratum == {"A": 2, "B": 3, "C": 4, "D": 4}
    body = _last_entry("inspections.task.drawn")["payload"]
    assert body["records"] == 13 and body["result_digest"]


def test_reveal_refusals(ic):
    with pytest.raises(InspectionError, match="尚未作出抽取承诺"):
        services.reveal_draw(actor=ic.head, task=ic.task, value=RANDOMNESS, evidence=EVIDENCE)
    draw(ic)
    with pytest.raises(InspectionError, match="已经抽取"):
        services.reveal_draw(actor=ic.head, task=ic.task, value=RANDOMNESS, evidence=EVIDENCE)


def test_failed_draw_keeps_the_task_planned_and_needs_a_new_commitment(ic):
    # Four per entity, no one from the entity's township: township-1 entities have only 3.
    task = draw(ic, rules=AssignmentRules(per_task=4, substitutes=0, same_township=False))
    assert task.status == TaskStatus.PLANNED and not task.records.exists()
    failed = task.draw
    assert failed is not None
    assert failed.status == DrawStatus.FAILED and "少于每户 4 名" in failed.failure
    assert _last_entry("inspections.task.draw_failed")["payload"]["failure"] == failed.failure
    with pytest.raises(InspectionError) as exc:
        _commit(ic)
    assert exc.value.field == "redraw_reason"
    again = _commit(ic, redraw_reason="原抽取条件无法满足，改为每户两名检查人员")
    assert again.supersedes == failed
    services.reveal_draw(actor=ic.head, task=ic.task, value=RANDOMNESS, evidence=EVIDENCE)
    ic.task.refresh_from_db()
    assert ic.task.status == TaskStatus.DRAWN and ic.task.records.count() == 13


def test_redraw_replaces_unrecorded_records_and_keeps_the_old_draw(ic):
    old = draw(ic).draw
    assert old is not None
    new = _commit(ic, redraw_reason="随机数来源当期停开")
    ic.task.refresh_from_db()
    assert ic.task.status == TaskStatus.PLANNED and not ic.task.records.exists()
    assert new.supersedes == old and Draw.objects.get(pk=old.pk).status == DrawStatus.DRAWN
    services.reveal_draw(actor=ic.head, task=ic.task, value="01 02 03", evidence=EVIDENCE)
    ic.task.refresh_from_db()
    rec = ic.task.records.first()
    services.record_result(
        actor=ic.head, record=rec, inspected_on=today(), outcome=Outcome.PASSED, findings=""
    )
    with pytest.raises(InspectionError, match="已有检查结果"):
        _commit(ic, redraw_reason="再抽一次")


# --- results ----------------------------------------------------------------------------------


def _drawn_with_officer(ic) -> Task:
    """Only 张执法 (the cast's officer), 陈协办 and 刘检查 (township 1) are in the pool, so
    every township-1 entity is inspected by 张执法."""
    for officer in ic.officers[3:4]:
        services.save_inspector(
            actor=ic.head, officer=officer, qualifications=["食品"], is_active=False
        )
    return draw(ic)


def _record_of_officer(task) -> InspectionRecord:
    """The D-class entities (all drawn: ratio 1) are in township 1, so one always exists."""
    return next(
        r
        for r in task.records.select_related("entity")
        if r.inspectors.filter(officer__user__username="officer").exists()
    )


def test_record_result_by_an_inspector_with_files(ic):
    task = _drawn_with_officer(ic)
    rec = _record_of_officer(task)
    photo = UploadedFile(
        stream=io.BytesIO(b"\x89PNG photo"), name="现场.png", content_type="image/png"
    )
    saved = services.record_result(
        actor=ic.cast.officer,
        record=rec,
        inspected_on=today(),
        outcome=Outcome.RECTIFY,
        findings="健康证明过期",
        files=[photo],
    )
    assert saved.outcome == Outcome.RECTIFY and saved.evidence[0]["name"] == "现场.png"
    assert saved.ledger_seq is not None
    entry = LedgerEntry.objects.get(seq=saved.ledger_seq)
    body = json.loads(entry.body)
    assert body["attachments"] == [saved.evidence[0]["digest"]]
    assert body["payload"]["outcome"] == "rectify" and body["payload"]["task_status"] == "drawn"


def test_record_result_refusals(ic):
    task = _drawn_with_officer(ic)
    rec = _record_of_officer(task)
    # An officer who is not one of the record's inspectors (nor a department head).
    with pytest.raises(InspectionError, match="只有本条记录的检查人员"):
        services.record_result(
            actor=ic.cast.other_officer,
            record=rec,
            inspected_on=today(),
            outcome="passed",
            findings="",
        )
    with pytest.raises(PermissionDenied):
        services.record_result(
            actor=ic.cast.legal_reviewer,
            record=rec,
            inspected_on=today(),
            outcome="passed",
            findings="",
        )
    cases: list[tuple[dict[str, Any], str]] = [
        ({"outcome": "good"}, "outcome"),
        ({"outcome": "failed", "findings": " "}, "findings"),
        ({"inspected_on": today() + dt.timedelta(days=1)}, "inspected_on"),
        ({"inspected_on": today() - dt.timedelta(days=1)}, "inspected_on"),
    ]
    for change, field in cases:
        args: dict[str, Any] = {
            "actor": ic.cast.officer,
            "record": rec,
            "inspected_on": today(),
            "outcome": "passed",
            "findings": "",
        }
        args.update(change)
        with pytest.raises(InspectionError) as exc:
            services.record_result(**args)
        assert exc.value.field == field, change
    empty = UploadedFile(stream=io.BytesIO(b""), name="空.jpg", content_type="image/jpeg")
    with pytest.raises(InspectionError, match="空文件"):
        services.record_result(
            actor=ic.cast.officer,
            record=rec,
            inspected_on=today(),
            outcome="passed",
            findings="",
            files=[empty],
        )


def _finish(ic, task) -> Task:
    for rec in task.records.all():
        services.record_result(
            actor=ic.head, record=rec, inspected_on=today(), outcome="passed", findings=""
        )
    task.refresh_from_db()
    return task


def test_last_result_finishes_the_task_and_results_are_published(ic):
    task = draw(ic)
    with pytest.raises(InspectionError, match="不能公示结果"):
        services.publish_results(actor=ic.head, task=task, on=today())
    records = list(task.records.all())
    for rec in records[:-1]:
        services.record_result(
            actor=ic.head, record=rec, inspected_on=today(), outcome="passed", findings=""
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAWN and task.finished_on is None
    services.record_result(
        actor=ic.head,
        record=records[-1],
        inspected_on=today(),
        outcome="failed",
        findings="无证经营",
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.finished_on == today()
    with pytest.raises(InspectionError, match="不能录入结果"):
        services.record_result(
            actor=ic.head, record=records[0], inspected_on=today(), outcome="failed", findings="x"
        )
    assert services.published_on_time(task) is None  # within the deadline, not yet published
    services.publish_results(actor=ic.head, task=task, on=today())
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED and task.published_on == today()
    assert services.published_on_time(task) is True
    payload = _last_entry("inspections.task.published")["payload"]
    due = services.publication_due(task)
    assert due is not None
    assert payload["on_time"] is True and payload["due"] == due.isoformat()


def test_publication_due_counts_working_days_on_the_database_calendar():
    task = Task(finished_on=D(2024, 9, 27))  # a Friday
    # No calendar rows for 2024: Monday–Friday, 20 working days → Friday 25 October.
    assert services.publication_due(task) == D(2024, 10, 25)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=D(2024, 10, d), is_workday=False, note="国庆节放假") for d in range(1, 8)
    )
    CalendarDay.objects.create(date=D(2024, 10, 12), is_workday=True, note="调休上班")
    # 国庆 1–7 October off (five weekdays), Saturday 12 October worked: four days later.
    assert services.publication_due(task) == D(2024, 10, 31)
    task.published_on = D(2024, 10, 31)
    assert services.published_on_time(task) is True
    task.published_on = D(2024, 11, 1)
    assert services.published_on_time(task) is False
    task.published_on = None
    assert services.published_on_time(task, today=D(2024, 11, 1)) is False
    assert services.published_on_time(task, today=D(2024, 10, 30)) is None


def test_default_rules_and_quota_come_from_parameters():
    rules = services.default_rules(D(2024, 6, 1))
    assert rules == AssignmentRules(per_task=2, substitutes=2, same_township=False, max_pairings=2)
    assert services.quota("0.01", 1) == 1 and services.quota("0.02", 100) == 2
    assert services.quota("0.02", 101) == 3 and services.quota("0", 50) == 0
    assert set(RiskClass.values) == {"A", "B", "C", "D"}


def _key_item(ic, *, is_active: bool = True):
    return services.save_item(
        actor=ic.head,
        organization=ic.cast.department_a,
        code="SCJ-ZD-001",
        name="食品经营者重点检查",
        kind="key",
        basis="《中华人民共和国食品安全法》第一百一十条",
        qualification="食品",
        is_active=is_active,
    )


RATIOS_BY_KIND = {
    "general": {"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
    "key": {"A": "0.5", "B": "0.5", "C": "0.5", "D": "1"},
}


def test_quotas_use_the_general_ratios_without_a_key_item(ic):
    plan = _plan(ic, ratios=RATIOS_BY_KIND, industries=["餐饮"])
    assert services.ratio_kind(plan) == "general"
    # 16 A, 12 B, 8 C, 4 D, all at 0.1: ⌈1.6⌉, ⌈1.2⌉, ⌈0.8⌉, ⌈0.4⌉
    assert services.quotas_for(plan, services.entity_pool(plan)) == {
        "A": 2,
        "B": 2,
        "C": 1,
        "D": 1,
    }


def test_quotas_use_the_key_ratios_when_the_plan_has_a_key_item(ic):
    """One visit inspects all the plan's items, so the entity is drawn once at the 重点 ratio."""
    plan = _plan(ic, ratios=RATIOS_BY_KIND, industries=["餐饮"], items=[ic.item, _key_item(ic)])
    assert services.ratio_kind(plan) == "key"
    assert services.quotas_for(plan, services.entity_pool(plan)) == {
        "A": 8,
        "B": 6,
        "C": 4,
        "D": 4,
    }
    kind, rows = services.quota_preview(plan)
    assert kind == "key"
    assert [(r.risk_class, r.ratio, r.entities, r.quota) for r in rows] == [
        ("A", "0.5", 16, 8),
        ("B", "0.5", 12, 6),
        ("C", "0.5", 8, 4),
        ("D", "1", 4, 4),
    ]
    # the draw commits the same quotas
    services.publish_plan(actor=ic.head, plan=plan, on=today())
    task = services.add_task(
        actor=ic.head, plan=plan, number="T-KEY", title="重点", due_on=plan.ends_on
    )
    assert _commit(ic, task=task).commitment["strata"] == {"A": 8, "B": 6, "C": 4, "D": 4}


def test_an_inactive_key_item_does_not_raise_the_ratios(ic):
    plan = _plan(ic, ratios=RATIOS_BY_KIND, industries=["餐饮"])
    plan.items.add(_key_item(ic, is_active=False))
    assert services.ratio_kind(plan) == "general"
    kind, rows = services.quota_preview(plan)
    assert kind == "general" and [r.quota for r in rows] == [2, 2, 1, 1]


def test_a_flat_table_stored_before_the_migration_still_draws(ic):
    plan = _plan(ic, industries=["餐饮"])
    plan.ratios = {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}
    assert services.stored_ratios(plan.ratios)["key"] == plan.ratios
    assert services.quotas_for(plan, services.entity_pool(plan)) == {
        "A": 2,
        "B": 3,
        "C": 4,
        "D": 4,
    }


def test_max_pairings_keeps_earlier_inspectors_away_from_the_same_entity(ic):
    """Two tasks of the same plan: with ``max_pairings=1`` nobody inspects an entity he or she
    was drawn for in the first task; checked over several public randomness values."""
    first = draw(ic)
    earlier = {
        r.entity_id: {i.pk for i in r.inspectors.all()}
        for r in first.records.prefetch_related("inspectors")
    }
    second = services.add_task(
        actor=ic.head, plan=ic.plan, number="T-2", title="第二轮", due_on=ic.plan.ends_on
    )
    rules = AssignmentRules(per_task=2, substitutes=0, same_township=True, max_pairings=1)
    overlap = 0
    for n, randomness in enumerate(["05 11 17 23 29 33 02", "01 09 13 21 27 30 16", "8 9 10"]):
        if n:
            services.commit_draw(
                actor=ic.head,
                task=second,
                randomness_source=SOURCE,
                randomness_due=today(),
                rules=rules,
                redraw_reason=f"第{n + 1}次验证",
            )
            services.reveal_draw(actor=ic.head, task=second, value=randomness, evidence=EVIDENCE)
        else:
            draw(ic, second, rules=rules, randomness=randomness)
        for r in second.records.prefetch_related("inspectors"):
            people = {i.pk for i in r.inspectors.all()}
            assert len(people) == 2
            assert not people & earlier.get(r.entity_id, set())
            overlap += r.entity_id in earlier
    assert overlap > 0  # the rule was exercised, not vacuous


def test_the_data_migration_turns_flat_ratios_into_ratios_per_item_kind(ic):
    import importlib

    from django.apps import apps

    from fazhi.inspections.models import Plan

    migration = importlib.import_module(
        "fazhi.inspections.migrations.0002_plan_ratios_by_item_kind"
    )
    flat = {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}
    Plan.objects.filter(pk=ic.plan.pk).update(ratios=flat)
    nested = _plan(ic, ratios=RATIOS_BY_KIND)
    migration.forwards(apps, None)
    ic.plan.refresh_from_db()
    assert ic.plan.ratios == {"general": flat, "key": flat}
    nested.refresh_from_db()
    assert nested.ratios == RATIOS_BY_KIND  # already nested: left alone
    migration.backwards(apps, None)
    ic.plan.refresh_from_db()
    nested.refresh_from_db()
    assert ic.plan.ratios == flat
    assert nested.ratios == {"A": "0.5", "B": "0.5", "C": "0.5", "D": "1"}  # the higher
