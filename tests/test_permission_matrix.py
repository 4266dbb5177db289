"""The generic permission matrix: for every page, anonymous / wrong role / other
organization / right user get 302-to-login / 403 / 404 / 200.

Every named URL of the back office and the portal must have a row here, so a new page
cannot ship without declaring who may see it (NetBox-style ViewTestCases, one table).
The API has the same matrix in fazhi/api/tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi.core.permissions import PERMISSIONS, roles_of
from fazhi.core.testing import Cast

PUBLIC = "public"
LOGGED_IN = "logged_in"


@dataclass(frozen=True)
class Row:
    access: str  # PUBLIC, LOGGED_IN, or a permission code
    kwargs: Callable[[Cast], dict[str, object]] = lambda cast: {}
    query: str | Callable[[Cast], str] = ""
    method: str = "get"
    # (persona attribute, kwargs, query) that has the permission but not the data scope → 404
    other_org: tuple[str, Callable[[Cast], dict[str, object]], str] | None = None
    public_status: int = 200
    extra: dict[str, str] = field(default_factory=dict)


def _org(code_attr: str) -> Callable[[Cast], dict[str, object]]:
    return lambda cast: {"code": getattr(cast, code_attr).code}


VIEW, MANAGE, DRAW = "inspections.view", "inspections.manage", "inspections.draw"
REVIEW, ANSWER = "cases.review", "cases.answer_review"
# A second row for a page that answers another method with another permission is keyed
# "<url name>" + SECOND_METHOD.
SECOND_METHOD = " (second method)"


def _in_insp(name: str) -> Callable[[Cast], dict[str, object]]:
    return lambda cast: {"pk": _insp(cast)[name]}


def _in_review(name: str) -> Callable[[Cast], dict[str, object]]:
    return lambda cast: {"pk": _review(cast)[name]}


MATRIX: dict[str, Row] = {
    # core
    "core:login": Row(PUBLIC),
    "core:logout": Row(LOGGED_IN, method="post"),
    "core:home": Row(LOGGED_IN),
    "core:password_change": Row(LOGGED_IN),
    "core:organization_list": Row("core.view_organizations"),
    "core:organization_create": Row("core.manage_organizations"),
    "core:organization_detail": Row(
        "core.view_organizations",
        kwargs=_org("department_a"),
        other_org=("department_head", _org("department_b"), ""),
    ),
    "core:organization_edit": Row("core.manage_organizations", kwargs=_org("department_a")),
    "core:user_list": Row("core.view_users"),
    "core:user_create": Row("core.manage_users"),
    "core:user_detail": Row("core.view_users", kwargs=lambda c: {"username": c.officer.username}),
    "core:calendar": Row("core.view_calendar"),
    "core:calendar_set": Row("core.manage_calendar", method="post"),
    "core:calendar_clear": Row("core.manage_calendar", method="post"),
    "core:calendar_seed": Row("core.manage_calendar", method="post"),
    "core:login_attempt_list": Row("core.view_login_attempts"),
    # ledger
    "ledger:entry_list": Row("ledger.view_entries"),
    "ledger:entry_detail": Row("ledger.view_entries", kwargs=lambda c: {"seq": 1}),
    "ledger:receipt": Row("ledger.view_entries", kwargs=lambda c: {"seq": 1}),
    "ledger:checkpoint_list": Row(PUBLIC),
    "ledger:checkpoint_create": Row("ledger.create_checkpoint", method="post"),
    "ledger:consistency": Row(PUBLIC, query=lambda c: _two_checkpoints()),
    "ledger:verifier_download": Row(PUBLIC),
    "ledger:verify": Row(PUBLIC),
    # reports
    "reports:dashboard": Row(
        "reports.view_indicators", other_org=("officer", lambda c: {}, "?org=hbj")
    ),
    "reports:indicator_detail": Row(
        "reports.view_indicators",
        kwargs=lambda c: {"code": "supervision.staff"},
        other_org=("officer", lambda c: {"code": "supervision.staff"}, "?org=hbj"),
    ),
    "reports:indicator_export": Row(
        "reports.view_indicators",
        kwargs=lambda c: {"code": "supervision.staff"},
        other_org=("officer", lambda c: {"code": "supervision.staff"}, "?org=hbj"),
    ),
    # catalog pages
    "catalog:body_list": Row("catalog.view"),
    "catalog:body_create": Row("catalog.manage_bodies"),
    "catalog:body_detail": Row(
        "catalog.view",
        kwargs=lambda c: _cat(c, {"code": "scj"}),
        other_org=("department_head", lambda c: _cat(c, {"code": "hbj"}), ""),
    ),
    "catalog:body_edit": Row("catalog.manage_bodies", kwargs=lambda c: _cat(c, {"code": "scj"})),
    "catalog:officer_list": Row("catalog.view"),
    "catalog:officer_create": Row("catalog.manage_officers"),
    **{
        f"catalog:officer_{name}": Row(
            perm,
            kwargs=lambda c: _cat(c, {"number": "22040001"}),
            method=method,
            other_org=("department_head", lambda c: _cat(c, {"number": "22050001"}), ""),
        )
        for name, perm, method in [
            ("detail", "catalog.view", "get"),
            ("edit", "catalog.manage_officers", "get"),
            ("status", "catalog.manage_officers", "post"),
            ("training", "catalog.manage_officers", "post"),
            ("shadowing", "catalog.manage_officers", "post"),
        ]
    },
    "catalog:item_list": Row("catalog.view"),
    "catalog:item_create": Row("catalog.manage"),
    "catalog:item_publish": Row("catalog.manage", method="post"),
    "catalog:item_lookup": Row("catalog.view", query="?item_code=SCJ"),
    **{
        f"catalog:item_{name}": Row(
            perm,
            kwargs=lambda c: _cat(c, {"code": "SCJ-CF-001"}),
            method=method,
            other_org=("department_head", lambda c: _cat(c, {"code": "HBJ-CF-001"}), ""),
        )
        for name, perm, method in [
            ("detail", "catalog.view", "get"),
            ("edit", "catalog.manage", "get"),
        ]
    },
    # Toggling an item deactivates it: a spare item, so the published one stays on the portal.
    "catalog:item_active": Row(
        "catalog.manage",
        kwargs=lambda c: _cat(c, {"code": "SCJ-JC-001"}),
        method="post",
        other_org=("department_head", lambda c: _cat(c, {"code": "HBJ-CF-001"}), ""),
    ),
    "catalog:item_delegate": Row(
        "catalog.manage_bodies", kwargs=lambda c: _cat(c, {"code": "SCJ-CF-001"})
    ),
    "catalog:delegation_evaluate": Row(
        "catalog.manage_bodies", kwargs=lambda c: {"pk": _cat(c)["delegation"]}
    ),
    "catalog:list_list": Row("catalog.view"),
    "catalog:list_create": Row("catalog.manage"),
    **{
        f"catalog:list_{name}": Row(
            perm,
            kwargs=lambda c: {"pk": _cat(c)["list_a"]},
            method=method,
            other_org=("department_head", lambda c: {"pk": _cat(c)["list_b"]}, ""),
        )
        for name, perm, method in [
            ("detail", "catalog.view", "get"),
            ("entry_add", "catalog.manage", "get"),
            ("publish", "catalog.manage", "post"),
        ]
    },
    "catalog:list_entry_remove": Row(
        "catalog.manage",
        kwargs=lambda c: {"pk": _cat(c)["list_a"], "entry_pk": _cat(c)["entry_a"]},
        method="post",
        other_org=(
            "department_head",
            lambda c: {"pk": _cat(c)["list_b"], "entry_pk": _cat(c)["entry_b"]},
            "",
        ),
    ),
    "catalog:standard_list": Row("catalog.view"),
    "catalog:standard_create": Row("catalog.manage"),
    **{
        f"catalog:standard_{name}": Row(
            perm,
            kwargs=lambda c: {"pk": _cat(c)["standard_a"]},
            method=method,
            other_org=("department_head", lambda c: {"pk": _cat(c)["standard_b"]}, ""),
        )
        for name, perm, method in [
            ("detail", "catalog.view", "get"),
            ("publish", "catalog.manage", "post"),
        ]
    },
    "catalog:calculator": Row("rules.evaluate", query="?item=SCJ-CF-001"),
    # catalog: Excel import/export
    "catalog:import_list": Row("catalog.manage"),
    "catalog:import_upload": Row("catalog.manage", method="post"),
    **{
        f"catalog:import_{name}": Row(
            "catalog.manage",
            kwargs=lambda c: {"pk": _import_job(c, "legal_reviewer")},
            method=method,
            other_org=(
                "department_head",
                lambda c: {"pk": _import_job(c, "rule_of_law_office")},
                "",
            ),
        )
        for name, method in [
            ("detail", "get"),
            ("progress", "get"),
            ("apply", "post"),
            ("errors", "get"),
        ]
    },
    "catalog:template_download": Row("catalog.manage", kwargs=lambda c: {"kind": "items"}),
    "catalog:export_download": Row("catalog.view", kwargs=lambda c: {"kind": "items"}),
    # cases (issue 4): a registered case of department A (with a document and evidence), and a
    # lead of department B for the other-organization rows
    "cases:case_list": Row("cases.view"),
    "cases:case_create": Row("cases.handle"),
    "cases:case_on_spot": Row("cases.handle"),
    "cases:deadline_list": Row("cases.view"),
    "cases:case_export_csv": Row("cases.export"),
    "cases:case_export_xlsx": Row("cases.export", method="post"),
    **{
        f"cases:export_{name}": Row(
            "cases.export",
            kwargs=lambda c: {"job_id": _export_job(c, "officer")},
            other_org=(
                "department_head",
                lambda c: {"job_id": _export_job(c, "other_officer")},
                "",
            ),
        )
        for name in ("status", "download")
    },
    "cases:case_detail": Row(
        "cases.view",
        kwargs=lambda c: {"pk": _case(c)["a"]},
        other_org=("department_head", lambda c: {"pk": _case(c)["b"]}, ""),
    ),
    # add_evidence is open from 立案 on and needs cases.handle (the officer).
    "cases:case_action": Row(
        "cases.handle",
        kwargs=lambda c: {"pk": _case(c)["a"], "action": "add_evidence"},
        other_org=("officer", lambda c: {"pk": _case(c)["b"], "action": "add_evidence"}, ""),
    ),
    "cases:document_download": Row(
        "cases.view",
        kwargs=lambda c: {"pk": _case(c)["a"], "doc_pk": _case(c)["document"]},
        other_org=(
            "department_head",
            lambda c: {"pk": _case(c)["b"], "doc_pk": _case(c)["document"]},
            "",
        ),
    ),
    "cases:evidence_download": Row(
        "cases.view",
        kwargs=lambda c: {"pk": _case(c)["a"], "evidence_pk": _case(c)["evidence"]},
        other_org=(
            "department_head",
            lambda c: {"pk": _case(c)["b"], "evidence_pk": _case(c)["evidence"]},
            "",
        ),
    ),
    # 双随机、一公开 (issue 5): department A's directories, its published plan with one drawn
    # task and its records (``_insp``); department B's officer has inspections.view but not A's
    # data, so A's plan, task, record and bundle are a 404 to him.
    "inspections:item_list": Row(VIEW),
    "inspections:item_create": Row(MANAGE),
    "inspections:item_edit": Row(MANAGE, kwargs=lambda c: {"pk": _insp(c)["item"]}),
    "inspections:entity_list": Row(VIEW, query="?q=餐馆"),
    "inspections:entity_create": Row(MANAGE),
    "inspections:entity_edit": Row(MANAGE, kwargs=lambda c: {"pk": _insp(c)["entity"]}),
    "inspections:inspector_list": Row(VIEW),
    "inspections:inspector_create": Row(MANAGE),
    "inspections:inspector_detail": Row(VIEW, kwargs=lambda c: {"pk": _insp(c)["inspector"]}),
    "inspections:relationship_remove": Row(
        MANAGE,
        kwargs=lambda c: {"pk": _insp(c)["inspector"], "rel": _insp(c)["relationship"]},
        method="post",
    ),
    "inspections:plan_list": Row(VIEW, query="?q=食品"),
    "inspections:plan_create": Row(MANAGE),
    "inspections:plan_detail": Row(
        VIEW, kwargs=_in_insp("plan"), other_org=("other_officer", _in_insp("plan"), "")
    ),
    "inspections:plan_publish": Row(MANAGE, kwargs=_in_insp("plan"), method="post"),
    "inspections:task_create": Row(MANAGE, kwargs=_in_insp("plan"), method="post"),
    "inspections:task_list": Row(VIEW),
    "inspections:task_detail": Row(
        VIEW, kwargs=_in_insp("task"), other_org=("other_officer", _in_insp("task"), "")
    ),
    "inspections:task_ceremony": Row(VIEW, kwargs=_in_insp("task")),
    "inspections:task_screen": Row(VIEW, kwargs=_in_insp("task")),
    "inspections:task_commit": Row(DRAW, kwargs=_in_insp("task"), method="post"),
    "inspections:task_reveal": Row(DRAW, kwargs=_in_insp("task"), method="post"),
    "inspections:task_publish": Row(MANAGE, kwargs=_in_insp("task"), method="post"),
    "inspections:draw_bundle": Row(
        VIEW, kwargs=_in_insp("draw"), other_org=("other_officer", _in_insp("draw"), "")
    ),
    "inspections:verifier_download": Row(VIEW),
    "inspections:record_detail": Row(
        VIEW, kwargs=_in_insp("record"), other_org=("other_officer", _in_insp("record"), "")
    ),
    # the same page's result form (one of the record's inspectors, or the head)
    "inspections:record_detail" + SECOND_METHOD: Row(
        "inspections.record", kwargs=_in_insp("record"), method="post"
    ),
    "inspections:record_export": Row(VIEW),
    # 双随机 directories: Excel/CSV import and export (fazhi/inspections/import_urls.py)
    "inspection_imports:import_list": Row(MANAGE),
    "inspection_imports:import_upload": Row(MANAGE, method="post"),
    **{
        f"inspection_imports:import_{name}": Row(
            MANAGE,
            kwargs=lambda c: {"pk": _inspection_import_job(c, "legal_reviewer")},
            method=method,
            other_org=(
                "department_head",
                lambda c: {"pk": _inspection_import_job(c, "rule_of_law_office")},
                "",
            ),
        )
        for name, method in [
            ("detail", "get"),
            ("progress", "get"),
            ("apply", "post"),
            ("errors", "get"),
        ]
    },
    "inspection_imports:template_download": Row(MANAGE, kwargs=lambda c: {"kind": "entities"}),
    "inspection_imports:export_download": Row(VIEW, kwargs=lambda c: {"kind": "entities"}),
    # 案卷评查 (issue 5 §5): the justice bureau's plan over department A's closed cases, drawn
    # and scored, and its opinion, received and answered with a report file (``_review``)
    "cases:review_plan_list": Row(REVIEW, query="?q=2024"),
    "cases:review_plan_create": Row(REVIEW),
    "cases:review_plan_detail": Row(REVIEW, kwargs=_in_review("plan")),
    "cases:review_plan_export": Row(REVIEW, kwargs=_in_review("plan")),
    "cases:review_draw_bundle": Row(
        REVIEW, kwargs=lambda c: {"pk": _review(c)["plan"], "draw_pk": _review(c)["draw"]}
    ),
    "cases:review_plan_commit": Row(REVIEW, kwargs=_in_review("plan"), method="post"),
    "cases:review_plan_reveal": Row(REVIEW, kwargs=_in_review("plan"), method="post"),
    "cases:review_opinion_issue": Row(REVIEW, kwargs=_in_review("plan"), method="post"),
    "cases:review_score": Row(
        REVIEW, kwargs=lambda c: {"pk": _review(c)["plan"], "case_pk": _review(c)["case"]}
    ),
    "cases:review_opinion_list": Row(REVIEW),
    "cases:review_opinion_detail": Row(REVIEW, kwargs=_in_review("opinion")),
    "cases:review_opinion_document": Row(REVIEW, kwargs=_in_review("opinion")),
    "cases:review_opinion_report": Row(REVIEW, kwargs=_in_review("opinion")),
    "cases:review_opinion_action": Row(
        REVIEW,
        kwargs=lambda c: {"pk": _review(c)["opinion"], "action": "recheck_answer"},
        method="post",
    ),
    "cases:department_opinion_list": Row(ANSWER),
    "cases:department_opinion_detail": Row(ANSWER, kwargs=_in_review("opinion")),
    "cases:department_opinion_document": Row(ANSWER, kwargs=_in_review("opinion")),
    "cases:department_opinion_report": Row(ANSWER, kwargs=_in_review("opinion")),
    "cases:department_opinion_action": Row(
        ANSWER,
        kwargs=lambda c: {"pk": _review(c)["opinion"], "action": "recheck"},
        method="post",
    ),
    # portal
    "portal:home": Row(PUBLIC),
    # portal catalog pages: published rows only, for everyone
    "portal:enforcement_bodies": Row(PUBLIC),
    "portal:enforcement_items": Row(PUBLIC, query="?q=SCJ"),
    "portal:enforcement_item": Row(PUBLIC, kwargs=lambda c: _cat(c, {"code": "SCJ-CF-001"})),
    "portal:enforcement_lists": Row(PUBLIC),
    "portal:enforcement_list": Row(PUBLIC, kwargs=lambda c: {"pk": _cat(c)["list_a"]}),
    "portal:enforcement_standards": Row(PUBLIC),
    "portal:enforcement_standard": Row(PUBLIC, kwargs=lambda c: {"pk": _cat(c)["standard_a"]}),
    # portal: published penalty decisions (redacted snapshots) and their public receipts
    "portal:enforcement_decisions": Row(PUBLIC, query="?q=罚决&year=2024"),
    "portal:enforcement_decision": Row(PUBLIC, kwargs=lambda c: {"pk": _decision(c)["case"]}),
    "portal:enforcement_decision_receipt": Row(
        PUBLIC, kwargs=lambda c: {"seq": _decision(c)["seq"]}
    ),
    # portal: 双随机、一公开 — published plans, every draw with its bundle, results, the lookup
    "portal:inspection_plans": Row(PUBLIC, query="?q=食品"),
    "portal:inspection_plan": Row(PUBLIC, kwargs=_in_insp("plan")),
    "portal:inspection_draw": Row(PUBLIC, kwargs=_in_insp("draw")),
    "portal:inspection_draw_bundle": Row(PUBLIC, kwargs=_in_insp("draw")),
    "portal:inspection_verifier": Row(PUBLIC),
    "portal:inspection_results": Row(PUBLIC),
    "portal:inspection_lookup": Row(PUBLIC, query=lambda c: f"?credit_code={_insp(c)['code']}"),
}


def _two_checkpoints() -> str:
    from fazhi.ledger.models import Checkpoint

    sizes = sorted(Checkpoint.objects.values_list("tree_size", flat=True))
    return f"?first={sizes[0]}&second={sizes[-1]}"


def _cat(cast: Cast, kwargs: dict[str, object] | None = None) -> dict[str, object]:
    """The catalog rows' objects, built once per test through the services: department A's
    (scj) catalog from fazhi.catalog.testing, plus department B's (hbj) own list, benchmark and
    officer for the other-organization rows, and a delegation to the township.

    Returns ``kwargs`` when given (the URL's kwargs), else the primary keys by name.
    """
    import datetime as dt
    from decimal import Decimal

    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.conversions import TierInput
    from fazhi.catalog.models import (
        Delegation,
        DiscretionStandard,
        EnforcementItem,
        LenientList,
        LenientListEntry,
    )
    from fazhi.catalog.testing import build_catalog

    if not EnforcementItem.objects.filter(code="SCJ-CF-001").exists():
        cat = build_catalog(cast)
        actor = cast.rule_of_law_office
        list_b = catalog_services.create_list(
            actor=actor,
            kind="no_penalty",
            title="测试县生态环境分局不予处罚事项清单",
            organization=cast.department_b,
            version="2024年版",
            effective_from=dt.date(2024, 1, 1),
        )
        catalog_services.add_list_entry(
            actor=actor,
            lenient_list=list_b,
            item=cat.item_b,
            number=1,
            violation="未批先建但及时改正",
            legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
            condition_text="没有造成危害后果并及时改正",
            conditions={"max_harm": "none", "requires_corrected_in_time": True},
        )
        catalog_services.create_standard(
            actor=actor,
            item=cat.item_b,
            organization=cast.department_b,
            level="county",
            title="测试县生态环境分局行政处罚裁量基准",
            version="2024年版",
            violation="未批先建",
            legal_basis="《中华人民共和国环境影响评价法》第三十一条第一款",
            effective_from=dt.date(2024, 1, 1),
            tiers=[
                TierInput("ordinary", sev, Decimal(low), Decimal(high), "情节", "罚款")
                for sev, low, high in [
                    ("slight", 1, 2),
                    ("minor", 1, 2),
                    ("serious", 2, 4),
                    ("grave", 4, 5),
                ]
            ],
        )
        catalog_services.create_officer(
            actor=actor,
            organization=cast.department_b,
            name="李执法",
            certificate_number="22050001",
            issuing_authority="吉林省人民政府",
            valid_from=dt.date(2023, 1, 1),
            valid_until=dt.date(2028, 12, 31),
        )
        catalog_services.create_item(
            actor=actor,
            organization=cast.department_a,
            code="SCJ-JC-001",
            name="对企业年度报告公示情况的检查",
            category="inspection",
            basis_law="中华人民共和国市场主体登记管理条例",
            basis_article="第三十五条",
            effective_from=dt.date(2024, 1, 1),
        )
        catalog_services.delegate_item(
            actor=actor,
            item=cat.item_a,
            township=cast.township,
            decided_on=dt.date(2024, 6, 1),
            document_number="测政发〔2024〕1号",
        )
    if kwargs is not None:
        return kwargs
    lists = {
        lst.organization.code: lst.pk for lst in LenientList.objects.select_related("organization")
    }
    entries = {e.lenient_list_id: e.pk for e in LenientListEntry.objects.all()}
    standards = {
        s.organization.code: s.pk for s in DiscretionStandard.objects.select_related("organization")
    }
    return {
        "list_a": lists["scj"],
        "list_b": lists["hbj"],
        "entry_a": entries[lists["scj"]],
        "entry_b": entries[lists["hbj"]],
        "standard_a": standards["scj"],
        "standard_b": standards["hbj"],
        "delegation": Delegation.objects.values_list("pk", flat=True).first(),
    }


def _decision(cast: Cast) -> dict[str, int]:
    """A decision of department A published through the services and covered by a signed
    checkpoint (so its receipt exists), built once per test on top of `_cat`'s catalog."""
    import datetime as dt

    from fazhi.cases import services as case_services
    from fazhi.cases.models import Disclosure
    from fazhi.cases.testing import PERSON, walk
    from fazhi.cases.workflow import Status
    from fazhi.ledger import services as ledger_services

    disclosure = Disclosure.objects.first()
    if disclosure is None:
        case = walk(_case_cast(cast), Status.SERVED, party=PERSON)
        disclosure = case_services.publish_decision(
            actor=cast.officer, case=case, on=dt.date(2024, 3, 18)
        )
        ledger_services.create_checkpoint()
    return {"case": disclosure.case_id, "seq": disclosure.ledger_seq}


def _catalog_cast(cast: Cast) -> Any:
    """`_cat`'s catalog as the CatalogCast the app test builders take."""
    from fazhi.catalog.models import (
        DiscretionStandard,
        EnforcementBody,
        EnforcementItem,
        LenientList,
        LenientListEntry,
        Officer,
    )
    from fazhi.catalog.testing import CatalogCast

    _cat(cast)
    return CatalogCast(
        cast=cast,
        body_a=EnforcementBody.objects.get(organization=cast.department_a),
        body_b=EnforcementBody.objects.get(organization=cast.department_b),
        item_a=EnforcementItem.objects.get(code="SCJ-CF-001"),
        item_b=EnforcementItem.objects.get(code="HBJ-CF-001"),
        first_violation_list=LenientList.objects.get(kind="first_violation"),
        entry_a=LenientListEntry.objects.get(lenient_list__kind="first_violation"),
        standard_a=DiscretionStandard.objects.get(organization=cast.department_a),
        officer_a=Officer.objects.get(certificate_number="22040001"),
        expired_officer=Officer.objects.get(certificate_number="22040002"),
    )


def _case_cast(cast: Cast) -> Any:
    """`_cat`'s catalog plus the second certified officer a case needs (第四十二条)."""
    import datetime as dt

    from fazhi.cases.testing import CaseCast
    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import Officer

    catalog = _catalog_cast(cast)
    second = Officer.objects.filter(certificate_number="22040003").first()
    if second is None:
        second = catalog_services.create_officer(
            actor=cast.rule_of_law_office,
            organization=cast.department_a,
            name="陈协办",
            certificate_number="22040003",
            issuing_authority="吉林省人民政府",
            valid_from=dt.date(2023, 1, 1),
            valid_until=dt.date(2028, 12, 31),
            fields="市场监管",
        )
    return CaseCast(catalog=catalog, second_officer=second)


def _insp(cast: Cast) -> dict[str, Any]:
    """Department A's 双随机 setting of fazhi.inspections.testing on `_cat`'s catalog, built once
    per test: its published plan's task drawn (commit and reveal), and a relationship declared
    by one of its inspectors. Returns primary keys by name (and one entity's credit code)."""
    from fazhi.inspections import services as inspection_services
    from fazhi.inspections import testing as inspection_testing
    from fazhi.inspections.models import Entity, InspectionRecord, Inspector, Relationship, Task

    task = Task.objects.filter(draw__isnull=False).select_related("plan").first()
    if task is None:
        ic = inspection_testing.build_inspections(cast, entities=10, catalog=_catalog_cast(cast))
        task = inspection_testing.draw(ic)
    record = InspectionRecord.objects.filter(task=task).select_related("entity").first()
    assert record is not None
    relationship = Relationship.objects.first()
    if relationship is None:  # none yet, or the relationship_remove row removed it
        relationship = inspection_services.declare_relationship(
            actor=cast.department_head,
            inspector=Inspector.objects.get(officer__certificate_number="22040003"),
            entity=Entity.objects.get(credit_code=inspection_testing.entity_code(1)),
            description="检查人员的配偶是该餐馆的经营者（矩阵）",
        )
    return {
        "plan": task.plan_id,
        "task": task.pk,
        "draw": task.draw_id,
        "record": record.pk,
        "code": record.entity.credit_code,
        "entity": record.entity_id,
        "item": task.plan.items.values_list("pk", flat=True)[0],
        "inspector": relationship.inspector_id,
        "relationship": relationship.pk,
    }


def _inspection_import_job(cast: Cast, persona: str) -> int:
    """An entity-directory import uploaded by ``persona`` from its own unit; its file has a bad
    row, so the job stays invalid and posting 应用 only bounces back."""
    import io

    from fazhi.catalog import excel
    from fazhi.catalog.models import ImportJob
    from fazhi.inspections import imports

    user = getattr(cast, persona)
    job = ImportJob.objects.filter(created_by=user, kind="entities").first()
    if job is None:
        content = excel.build_workbook("entities", [["BAD CODE"]])
        job = imports.start_import(
            actor=user,
            kind="entities",
            file=io.BytesIO(content),
            original_name="matrix.xlsx",
            size=len(content),
        )
    return job.pk


def _review(cast: Cast) -> dict[str, int]:
    """The justice bureau's 2024 case-file review over two closed cases of department A, drawn
    and scored; its opinion to department A received and answered with a report file."""
    import datetime as dt
    from io import BytesIO

    from django.utils import timezone

    from fazhi.cases import review, review_selectors, review_services
    from fazhi.cases.models import ReviewPlan, SupervisionOpinion
    from fazhi.cases.services import UploadedFile
    from fazhi.cases.testing import walk
    from fazhi.cases.workflow import Status
    from fazhi.inspections.testing import EVIDENCE, RANDOMNESS, SOURCE

    plan = ReviewPlan.objects.first()
    if plan is None:
        today = timezone.localdate()
        cc = _case_cast(cast)
        for i in range(2):
            walk(cc, Status.CLOSED, on=dt.date(2024, 3, 1) + dt.timedelta(days=i))
        sup = cast.supervisor
        plan = review_services.create_plan(
            actor=sup,
            organization=cast.justice_bureau,
            year=2024,
            title="2024年度行政处罚案卷评查（权限矩阵）",
            departments=[cast.department_a],
            closed_from=dt.date(2024, 1, 1),
            closed_to=dt.date(2024, 12, 31),
            sample_size=2,
        )
        plan = review_services.commit_plan(
            actor=sup, plan=plan, randomness_source=SOURCE, randomness_due=today
        )
        plan = review_services.reveal_plan(
            actor=sup, plan=plan, value=RANDOMNESS, evidence=EVIDENCE
        )
        for row in review_selectors.current_reviews(plan):
            review_services.score(
                actor=sup,
                plan=plan,
                case=row.case,
                scores={c.code: c.points for c in review.criteria(plan.sheet)},
                notes={},
                findings="未发现问题",
                on=today,
            )
        opinion = review_services.issue_opinion(
            actor=sup,
            plan=plan,
            department=cast.department_a,
            findings="行政处罚决定未在七个工作日内公开。",
            requirements="建立公示台账，逐案核对公开时限。",
            on=today,
        )
        review_services.receive_opinion(actor=sup, opinion=opinion, on=today)
        review_services.answer_opinion(
            actor=cast.department_head,
            opinion=opinion,
            report="已逐案整改",
            on=today,
            file=UploadedFile(BytesIO(b"report"), "整改报告.pdf", "application/pdf"),
        )
    opinion = SupervisionOpinion.objects.get(plan=plan)
    case = review_selectors.current_reviews(plan)[0].case_id
    assert plan.draw_id is not None
    return {"plan": plan.pk, "case": case, "opinion": opinion.pk, "draw": plan.draw_id}


NAMESPACES = (
    "core",
    "ledger",
    "reports",
    "portal",
    "catalog",
    "cases",
    "inspections",
    "inspection_imports",
)
PERSONAS = [
    "system_admin",
    "security_admin",
    "audit_admin",
    "officer",
    "legal_reviewer",
    "department_head",
    "supervisor",
    "rule_of_law_office",
]


def _named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif p.name and namespace in NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def _url_name(key: str) -> str:
    return key.removesuffix(SECOND_METHOD)


def test_every_page_has_a_row_in_the_matrix():
    assert _named_urls() == {_url_name(key) for key in MATRIX}


def test_every_permission_in_the_matrix_exists():
    for row in MATRIX.values():
        assert row.access in (PUBLIC, LOGGED_IN) or row.access in PERMISSIONS


def _request(client: Client, name: str, row: Row, cast: Cast, kwargs=None, query=None):
    q = row.query if query is None else query
    url = reverse(_url_name(name), kwargs=(kwargs or row.kwargs)(cast))
    url += q(cast) if callable(q) else q
    return getattr(client, row.method)(url)


def _allowed(row: Row, persona: str, cast: Cast) -> bool:
    if row.access in (PUBLIC, LOGGED_IN):
        return True
    return bool(roles_of(getattr(cast, persona)) & PERMISSIONS[row.access])


@pytest.fixture
def ledger_ready(cast):
    import datetime as dt

    from fazhi.core import services as core_services
    from fazhi.ledger import services

    services.create_checkpoint()
    core_services.set_calendar_day(
        actor=cast.system_admin, date=dt.date(2030, 1, 2), is_workday=False, note="测试"
    )
    services.create_checkpoint()
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous(name, ledger_ready, client):
    row = MATRIX[name]
    response = _request(client, name, row, ledger_ready)
    if row.access == PUBLIC:
        assert response.status_code == row.public_status
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_on_every_page(persona, ledger_ready, login):
    cast = ledger_ready
    client = login(getattr(cast, persona), Client())
    failures = []
    for name, row in sorted(MATRIX.items()):
        if name == "core:logout":
            continue  # would end the session for the rows after it
        response = _request(client, name, row, cast)
        if _allowed(row, persona, cast):
            # An empty POST may be refused as bad input (400) or bounce back (302), but
            # never as forbidden or to the login page.
            ok = response.status_code == 200 or (
                row.method == "post"
                and response.status_code in (302, 400)
                and not response.get("Location", "").startswith("/login/")
            )
        else:
            ok = response.status_code == 403
        if not ok:
            failures.append(f"{name}: {response.status_code}")
    assert not failures, f"{persona}: {failures}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.other_org))
def test_other_organization_gets_404(name, ledger_ready, login):
    row = MATRIX[name]
    assert row.other_org is not None
    persona, kwargs, query = row.other_org
    client = login(getattr(ledger_ready, persona), Client())
    assert _allowed(row, persona, ledger_ready)
    response = _request(client, name, row, ledger_ready, kwargs=kwargs, query=query)
    assert response.status_code == 404


def _import_job(cast: Cast, persona: str) -> int:
    """An items import uploaded by ``persona`` from its own unit; its file has a bad row, so the
    job stays invalid and posting 应用 only bounces back."""
    import io

    from fazhi.catalog import excel, imports
    from fazhi.catalog.models import ImportJob

    user = getattr(cast, persona)
    job = ImportJob.objects.filter(created_by=user).first()
    if job is None:
        content = excel.build_workbook("items", [["BAD CODE"]])
        job = imports.start_import(
            actor=user,
            kind="items",
            file=io.BytesIO(content),
            original_name="matrix.xlsx",
            size=len(content),
        )
    return job.pk


def _case(cast: Cast) -> dict[str, int]:
    """Department A's registered case (立案审批表, one photo) and department B's lead, built
    once per test through the case services on top of the catalog rows of ``_cat``."""
    import datetime as dt
    from io import BytesIO

    from fazhi.cases import services
    from fazhi.cases.models import PenaltyCase
    from fazhi.cases.services import UploadedFile
    from fazhi.cases.testing import COMPANY
    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import EnforcementItem, Officer

    _cat(cast)
    day = dt.date(2024, 3, 1)
    title = "未按规定公示年度报告（权限矩阵）"
    a = PenaltyCase.objects.filter(organization=cast.department_a, title=title).first()
    if a is None:
        second = Officer.objects.filter(certificate_number="22040009").first()
        if second is None:
            second = catalog_services.create_officer(
                actor=cast.rule_of_law_office,
                organization=cast.department_a,
                name="孙协办",
                certificate_number="22040009",
                issuing_authority="吉林省人民政府",
                valid_from=dt.date(2023, 1, 1),
                valid_until=dt.date(2028, 12, 31),
            )
        a = services.receive_lead(
            actor=cast.officer,
            organization=cast.department_a,
            item=EnforcementItem.objects.get(code="SCJ-CF-001"),
            title=title,
            source="inspection",
            act_date=day - dt.timedelta(days=30),
            discovered_date=day,
            on=day,
            parties=[COMPANY],
            officers=[Officer.objects.get(certificate_number="22040001"), second],
            facts_text="经查，当事人未按规定公示2022年度报告。",
        )
        a = services.register(actor=cast.department_head, case=a, on=day)
        services.add_evidence(
            actor=cast.officer,
            case=a,
            files=[UploadedFile(BytesIO(b"photo"), "scene.jpg", "image/jpeg")],
            kind="record",
            medium="photo",
            title="现场检查照片",
            on=day,
        )
    b = PenaltyCase.objects.filter(organization=cast.department_b).first()
    if b is None:
        b = services.receive_lead(
            actor=cast.other_officer,
            organization=cast.department_b,
            item=EnforcementItem.objects.get(code="HBJ-CF-001"),
            title="未批先建",
            source="complaint",
            act_date=day - dt.timedelta(days=10),
            discovered_date=day,
            on=day,
        )
    return {
        "a": a.pk,
        "b": b.pk,
        "document": a.documents.values_list("pk", flat=True)[0],
        "evidence": a.evidence.values_list("pk", flat=True)[0],
    }


def _export_job(cast: Cast, persona: str) -> str:
    """A finished XLSX export of ``persona``'s cases (the work runs in the request in tests)."""
    from fazhi.cases import exports

    return exports.start_xlsx_export(actor=getattr(cast, persona), filters={}).id
