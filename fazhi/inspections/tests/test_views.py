"""The 双随机 pages: directories, plans, tasks, the draw ceremony (commit → reveal → result,
re-draw), results and downloads — what they show, how they refuse bad input (Chinese message,
input kept), scope (404), permission (403); and `fazhi draw verify`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.draws import selectors as draw_selectors
from fazhi.draws import verifier
from fazhi.draws.models import Draw, DrawStatus
from fazhi.inspections import services
from fazhi.inspections.models import Entity, InspectionRecord, Outcome, Plan, Task, TaskStatus
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

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def url(name: str, *args) -> str:
    return reverse(f"inspections:{name}", args=args)


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast)


_login = None


@pytest.fixture(autouse=True)
def _real_login(login):
    """Log in through the real login form (password, and TOTP where the role requires it)."""
    global _login
    _login = login
    yield
    _login = None


def as_user(user) -> Client:
    assert _login is not None
    return _login(user, Client())


@pytest.fixture
def head(ic) -> Client:
    return as_user(ic.cast.department_head)


@pytest.fixture
def officer(ic) -> Client:
    return as_user(ic.cast.officer)


@pytest.fixture
def other(ic) -> Client:
    """Department B's officer: inspections.view, but not department A's data scope."""
    return as_user(ic.cast.other_officer)


def fresh(task: Task) -> Draw:
    """The task's draw as it is now (a service's returned task may hold an older copy)."""
    return Draw.objects.get(task=task)


def result_of(task: Task) -> dict:
    result = fresh(task).result
    assert result is not None
    return result


def commit_data(**kw) -> dict:
    data = {
        "randomness_source": SOURCE,
        "randomness_due": today().isoformat(),
        "per_task": "2",
        "substitutes": "1",
        "max_pairings": "",
    }
    data.update(kw)
    return data


# --- permission and scope ---------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_wrong_roles_are_refused(ic):
    anon = Client()
    response = anon.get(url("plan_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    admin = as_user(ic.cast.system_admin)  # no inspections.view
    for name, args in [("plan_list", ()), ("entity_list", ()), ("task_detail", (ic.task.pk,))]:
        assert admin.get(url(name, *args)).status_code == 403
    officer = as_user(ic.cast.officer)  # may view and record, but not manage nor draw
    assert officer.get(url("plan_create")).status_code == 403
    assert officer.get(url("entity_create")).status_code == 403
    response = officer.post(url("task_commit", ic.task.pk), commit_data())
    assert response.status_code == 403
    assert not Draw.objects.exists()


def test_another_departments_plan_and_task_are_404(ic, other):
    assert other.get(url("plan_detail", ic.plan.pk)).status_code == 404
    assert other.get(url("task_detail", ic.task.pk)).status_code == 404
    assert other.get(url("task_ceremony", ic.task.pk)).status_code == 404
    assert ic.plan.title not in text(other.get(url("plan_list")))
    # the directories are county-wide
    assert ic.entities[0].name in text(other.get(url("entity_list")))


# --- directories ------------------------------------------------------------------------------


def test_entity_list_searches_filters_and_exports(ic, officer):
    page = text(officer.get(url("entity_list"), {"q": "第3餐馆"}))
    assert "测试县第3餐馆" in page and "测试县第4餐馆" not in page
    page = text(officer.get(url("entity_list"), {"industry": "零售"}))
    assert "测试县第0商店" in page and "餐馆" not in page
    response = officer.get(url("entity_list"), {"format": "xlsx", "industry": "零售"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_entity_form_refuses_a_bad_credit_code_in_chinese_keeping_the_input(ic, head):
    data = {
        "credit_code": "91220422000000000X",
        "name": "录入有误的公司",
        "industry": "餐饮",
        "township": ic.cast.township.pk,
        "risk_class": "B",
        "is_active": "on",
    }
    response = head.post(url("entity_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "统一社会信用代码" in page and "录入有误的公司" in page
    assert not Entity.objects.filter(name="录入有误的公司").exists()
    data["credit_code"] = entity_code(777)
    response = head.post(url("entity_create"), data)
    assert response.status_code == 302
    assert Entity.objects.get(credit_code=entity_code(777)).risk_class == "B"


def test_inspector_relationship_is_declared_and_shown_to_staff(ic, head):
    inspector = ic.inspectors[1]
    response = head.post(
        url("inspector_detail", inspector.pk),
        {"credit_code": ic.entities[5].credit_code, "description": "配偶经营"},
    )
    assert response.status_code == 302
    page = text(head.get(url("inspector_detail", inspector.pk)))
    assert "配偶经营" in page and ic.entities[5].name in page
    # an officer (view only) sees that there is one, not what it is
    page = text(as_user(ic.cast.officer).get(url("inspector_detail", inspector.pk)))
    assert "已申报 1 项回避关系" in page and "配偶经营" not in page
    response = head.post(
        url("inspector_detail", inspector.pk), {"credit_code": "nope", "description": "x"}
    )
    assert response.status_code == 400
    assert "名录库中没有这个统一社会信用代码" in response.content.decode()


def _count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(ic, head):
    paths = [
        url(n) for n in ("item_list", "entity_list", "inspector_list", "plan_list", "task_list")
    ]
    for p in paths:
        head.get(p)  # warm per-process caches
    before = {p: _count_queries(head, p) for p in paths}
    year = today().year
    for i in range(6):
        services.save_entity(
            actor=ic.head,
            credit_code=entity_code(500 + i),
            name=f"新增{i}",
            industry="餐饮",
            township=ic.cast.township,
            risk_class="C",
        )
        services.save_item(
            actor=ic.head,
            organization=ic.cast.department_a,
            code=f"SCJ-X-{i}",
            name=f"事项{i}",
            kind="key",
            basis="依据",
            qualification="食品",
        )
        plan = services.create_plan(
            actor=ic.head,
            organization=ic.cast.department_a,
            kind="joint",
            year=year,
            number=f"J-{i}",
            title=f"联合计划{i}",
            items=[ic.item],
            ratios={"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            departments=[ic.cast.department_b],
        )
        services.add_task(
            actor=ic.head, plan=plan, number=f"J-{i}-1", title=f"任务{i}", due_on=plan.ends_on
        )
    after = {p: _count_queries(head, p) for p in paths}
    assert after == before


# --- plans and tasks --------------------------------------------------------------------------


def test_plan_create_refuses_bad_input_keeping_it_and_then_creates(ic, head):
    year = today().year
    data = {
        "organization": ic.cast.department_a.pk,
        "kind": "joint",
        "year": year,
        "number": "SCJ-NEW-1",
        "title": "联合抽查新计划",
        "items": [ic.item.pk],
        "ratio_general_A": "0.01",
        "ratio_general_B": "0.02",
        "ratio_general_C": "0.05",
        "ratio_general_D": "0.1",
        "ratio_key_A": "0.05",
        "ratio_key_B": "0.1",
        "ratio_key_C": "0.2",
        "ratio_key_D": "2",
        "starts_on": f"{year}-06-01",
        "ends_on": f"{year}-01-01",
    }
    response = head.post(url("plan_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "完成日期不能早于开始日期" in page
    assert "联合抽查计划请选择参加部门" in page
    assert "联合抽查新计划" in page  # input kept
    data.update(ratio_key_D="0.3", ends_on=f"{year}-12-31", departments=[ic.cast.department_b.pk])
    response = head.post(url("plan_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(number="SCJ-NEW-1")
    assert list(plan.departments.all()) == [ic.cast.department_b]
    assert plan.ratios == {
        "general": {"A": "0.01", "B": "0.02", "C": "0.05", "D": "0.1"},
        "key": {"A": "0.05", "B": "0.1", "C": "0.2", "D": "0.3"},
    }
    # department B joins the joint plan: it sees it
    assert "联合抽查新计划" in text(as_user(ic.cast.other_officer).get(url("plan_list")))
    # publish, then add a task with bad input, then a good one
    assert head.post(url("plan_publish", plan.pk), {"on": today().isoformat()}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "published"
    response = head.post(url("task_create", plan.pk), {"number": "", "title": "任务甲"})
    assert response.status_code == 400 and "任务甲" in response.content.decode()
    response = head.post(
        url("task_create", plan.pk),
        {"number": "SCJ-NEW-1-1", "title": "任务甲", "due_on": f"{year}-12-31"},
    )
    assert response.status_code == 302
    assert Task.objects.filter(plan=plan, number="SCJ-NEW-1-1").exists()


def test_plan_form_offers_both_kinds_ratios_prefilled_with_the_parameter(ic, head):
    page = head.get(url("plan_create")).content.decode()
    defaults = services.params_on(today())["ratios"]
    for kind, label in (("general", "一般检查事项"), ("key", "重点检查事项")):
        for risk in "ABCD":
            field = re.search(rf'<input[^>]*name="ratio_{kind}_{risk}"[^>]*>', page)
            assert field, (kind, risk)
            value = re.search(r'value="([^"]*)"', field.group(0))
            assert value and float(value.group(1)) == float(defaults[kind][risk])
            assert f"{label} {risk}类抽查比例" in page
    assert 'name="ratio_A"' not in page


def test_a_ratio_refused_by_the_service_is_shown_with_its_kind_and_class(ic, head, monkeypatch):
    """The form checks the range itself; a service refusal (here forced) still reaches the
    page, naming the kind and class."""
    from fazhi.inspections.services import InspectionError

    def refuse(**kw):
        raise InspectionError("重点事项 C类的抽查比例应在0到1之间", "ratios")

    monkeypatch.setattr(services, "create_plan", refuse)
    year = today().year
    data = {
        "organization": ic.cast.department_a.pk,
        "kind": "department",
        "year": year,
        "number": "SCJ-NEW-2",
        "title": "新计划",
        "items": [ic.item.pk],
        "starts_on": f"{year}-06-01",
        "ends_on": f"{year}-12-31",
        **{f"ratio_{k}_{r}": "0.1" for k in ("general", "key") for r in "ABCD"},
    }
    response = head.post(url("plan_create"), data)
    assert response.status_code == 400
    assert "重点事项 C类的抽查比例应在0到1之间" in response.content.decode()


def test_plan_page_shows_the_ratios_that_apply_and_the_quotas(ic, head):
    # the fixture's plan: one 一般 item, flat ratios 0.1/0.2/0.5/1 for both kinds
    page = text(head.get(url("plan_detail", ic.plan.pk)))
    assert "按一般检查事项的比例抽取" in page
    assert "一般检查事项抽查比例 本计划适用" in page
    assert "重点检查事项抽查比例 本计划适用" not in page
    # 16 A, 12 B, 8 C, 4 D → 2, 3, 4, 4
    assert "检查对象户数（名录库现状） 16 12 8 4" in page
    assert "抽取户数 2 3 4 4" in page
    key_item = services.save_item(
        actor=ic.head,
        organization=ic.cast.department_a,
        code="SCJ-ZD-009",
        name="食品经营者重点检查",
        kind="key",
        basis="《中华人民共和国食品安全法》第一百一十条",
        qualification="食品",
    )
    plan = services.create_plan(
        actor=ic.head,
        organization=ic.cast.department_a,
        kind="department",
        year=ic.plan.year,
        number="KEY-1",
        title="重点计划",
        items=[ic.item, key_item],
        ratios={
            "general": {"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
            "key": {"A": "0.5", "B": "0.5", "C": "0.5", "D": "1"},
        },
        starts_on=ic.plan.starts_on,
        ends_on=ic.plan.ends_on,
        industries=["餐饮"],
    )
    page = text(head.get(url("plan_detail", plan.pk)))
    assert "按重点检查事项的比例抽取" in page
    assert "重点检查事项抽查比例 本计划适用 0.5 0.5 0.5 1" in page
    assert "一般检查事项抽查比例 0.1 0.1 0.1 0.1" in page
    assert "抽取户数 8 6 4 4" in page


# --- the ceremony -----------------------------------------------------------------------------


def test_the_ceremony_commit_then_reveal_then_result(ic, head):
    task = ic.task
    page = text(head.get(url("task_detail", task.pk)))
    assert "作出承诺并公布" in page and "待承诺" in page
    # bad input: the source is missing; Chinese message, the date kept
    response = head.post(url("task_commit", task.pk), commit_data(randomness_source=""))
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = head.post(url("task_commit", task.pk), commit_data())
    assert response.status_code == 302
    task.refresh_from_db()
    d = task.draw
    assert d is not None and d.status == DrawStatus.COMMITTED
    page = text(head.get(url("task_detail", task.pk)))
    assert "承诺已公布" in page and d.commitment_digest in page
    assert str(d.candidate_count) in page and d.commitment["pool"]["root"] in page
    # the ceremony block polls itself while waiting for the reveal
    block = head.get(url("task_ceremony", task.pk)).content.decode()
    assert 'hx-trigger="every' in block and "承诺已公布" in block
    screen = head.get(url("task_screen", task.pk)).content.decode()
    assert "ceremony-screen" in screen and 'hx-trigger="every' in screen
    assert "?screen=1" in screen
    # reveal: bad evidence is refused, input kept
    response = head.post(url("task_reveal", task.pk), {"value": RANDOMNESS, "evidence": ""})
    assert response.status_code == 400 and RANDOMNESS in response.content.decode()
    response = head.post(url("task_reveal", task.pk), {"value": RANDOMNESS, "evidence": EVIDENCE})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == DrawStatus.DRAWN
    block = head.get(url("task_ceremony", task.pk)).content.decode()
    assert "hx-trigger" not in block and "已抽取" in block
    page = text(head.get(url("task_detail", task.pk)))
    by_code = {e.credit_code: e.name for e in Entity.objects.all()}
    for s in d.result["selected"]:
        assert s["id"] in page and by_code[s["id"]] in page
    first = d.result["tasks"][0]
    assert first["inspectors"][0] in page  # certificate numbers of the assigned inspectors
    assert "D类" in page  # strata headed by risk class


def test_the_bundle_download_verifies_and_one_altered_byte_does_not(ic, head):
    task = draw(ic)
    task.draw = fresh(task)
    response = head.get(url("draw_bundle", task.draw.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    bundle = json.loads(response.content)
    assert verifier.check_bundle(bundle)["selected"] == result_of(task)["selected"]
    bundle["randomness"]["value"] = RANDOMNESS.replace("03", "04")
    with pytest.raises(verifier.Mismatch):
        verifier.check_bundle(bundle)
    response = head.get(url("verifier_download"))
    assert response["Content-Type"].startswith("text/x-python")
    assert 'filename="draw_verifier.py"' in response["Content-Disposition"]
    assert b"def check_bundle" in b"".join(response.streaming_content)
    # another department cannot download the bundle
    assert as_user(ic.cast.other_officer).get(url("draw_bundle", task.draw.pk)).status_code == 404


def test_a_redraw_needs_a_reason_and_keeps_the_old_draw_visible(ic, head):
    task = draw(ic)
    old = fresh(task)
    page = text(head.get(url("task_detail", task.pk)))
    assert "重新抽取" in page
    response = head.post(url("task_commit", task.pk), commit_data(redraw_reason=""))
    assert response.status_code == 400
    assert Draw.objects.count() == 1
    response = head.post(
        url("task_commit", task.pk), commit_data(redraw_reason="检查人员名录库有误，更正后重抽")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = fresh(task)
    assert new != old and new.supersedes == old
    page = text(head.get(url("task_detail", task.pk)))
    assert "被替代的抽取" in page and old.commitment_digest[:14] in page
    assert "检查人员名录库有误" in page


# --- results ----------------------------------------------------------------------------------


def test_an_inspector_records_a_result_with_a_photo_and_bad_input_is_kept(ic):
    task = draw(ic)
    record = InspectionRecord.objects.filter(task=task).first()
    inspector_user = ic.cast.officer
    mine = InspectionRecord.objects.filter(
        task=task, inspectors__officer__user=inspector_user
    ).first()
    client = as_user(inspector_user)
    if mine is None:  # the cast's officer was not drawn for any record: the head records
        client, mine = as_user(ic.cast.department_head), record
    assert mine is not None
    future = (today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        url("record_detail", mine.pk),
        {"inspected_on": future, "outcome": Outcome.RECTIFY, "findings": "未公示许可证"},
    )
    assert response.status_code == 400
    assert "未公示许可证" in response.content.decode()
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    response = client.post(
        url("record_detail", mine.pk),
        {
            "inspected_on": today().isoformat(),
            "outcome": Outcome.RECTIFY,
            "findings": "未公示许可证",
            "photos": photo,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mine.refresh_from_db()
    assert mine.outcome == Outcome.RECTIFY and mine.evidence and mine.ledger_seq
    assert "责令整改" in text(client.get(url("task_detail", task.pk)))
    response = client.get(url("record_export"), {"task": task.pk})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_publish_results_when_done(ic, head):
    task = draw(ic)
    for rec in InspectionRecord.objects.filter(task=task):
        services.record_result(
            actor=ic.head, record=rec, inspected_on=today(), outcome="passed", findings="无"
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    page = text(head.get(url("task_detail", task.pk)))
    assert "公示抽查结果" in page and "结果公示期限" in page
    assert head.post(url("task_publish", task.pk), {"on": "bad"}).status_code == 400
    response = head.post(url("task_publish", task.pk), {"on": today().isoformat()})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED


# --- `fazhi draw verify` ----------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("draw", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_the_command_verifies_a_bundle_and_refuses_an_altered_one(ic, tmp_path):
    task = draw(ic)
    task.draw = fresh(task)
    bundle = draw_selectors.bundle(task.draw)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    code, out = _run("verify", str(good))
    assert code == 0 and "验证通过" in out
    code, out = _run("verify", str(good), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True
    assert data["selected"] == len(result_of(task)["selected"]) > 0
    bundle["pool"] = bundle["pool"][1:]  # one entity removed from the frozen pool
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    code, out = _run("verify", str(bad), "--format", "json")
    assert code == 1 and json.loads(out)["ok"] is False and "验证失败" in json.loads(out)["message"]
    junk = tmp_path / "junk.json"
    junk.write_text("not json", encoding="utf-8")
    code, out = _run("verify", str(junk))
    assert code == 2 and "无法验证" in out


def test_every_page_renders_for_the_head_and_the_menu_links_them(ic, head):
    task = draw(ic)
    record = InspectionRecord.objects.filter(task=task).first()
    assert record is not None
    pages = [
        url("item_list"),
        url("item_create"),
        url("item_edit", ic.item.pk),
        url("entity_list"),
        url("entity_create"),
        url("entity_edit", ic.entities[0].pk),
        url("inspector_list"),
        url("inspector_create"),
        url("inspector_detail", ic.inspectors[0].pk),
        url("plan_list"),
        url("plan_create"),
        url("plan_detail", ic.plan.pk),
        url("task_list"),
        url("task_detail", task.pk),
        url("task_screen", task.pk),
        url("record_detail", record.pk),
    ]
    for p in pages:
        assert head.get(p).status_code == 200, p
    home = head.get(reverse("core:home")).content.decode()
    for name in ("plan_list", "task_list", "item_list", "entity_list", "inspector_list"):
        assert url(name) in home


def test_item_edit_keeps_the_input_on_a_refusal_and_saves(ic, head):
    data = {
        "organization": ic.cast.department_a.pk,
        "code": ic.item.code,
        "name": "改名后的事项",
        "kind": "key",
        "basis": "《食品安全法》",
        "method": "现场检查",
        "qualification": "食品",
    }
    response = head.post(url("item_create"), data)  # the code is taken
    assert response.status_code == 400 and "改名后的事项" in response.content.decode()
    response = head.post(url("item_edit", ic.item.pk), data)
    assert response.status_code == 302
    ic.item.refresh_from_db()
    assert ic.item.name == "改名后的事项" and ic.item.kind == "key"


def test_the_task_page_queries_do_not_grow_with_the_drawn_entities(ic, head):
    small_plan = services.create_plan(
        actor=ic.head,
        organization=ic.cast.department_a,
        kind="department",
        year=ic.plan.year,
        number="SMALL-1",
        title="小样本计划",
        items=[ic.item],
        ratios={"A": "0.05", "B": "0.05", "C": "0.05", "D": "0.05"},
        starts_on=ic.plan.starts_on,
        ends_on=ic.plan.ends_on,
        industries=["餐饮"],
    )
    services.publish_plan(actor=ic.head, plan=small_plan, on=today())
    small = services.add_task(
        actor=ic.head, plan=small_plan, number="SMALL-1-1", title="小样本", due_on=ic.plan.ends_on
    )
    draw(ic, small)
    big = draw(ic)
    n_small = InspectionRecord.objects.filter(task=small).count()
    n_big = InspectionRecord.objects.filter(task=big).count()
    assert n_big > n_small
    head.get(url("task_detail", small.pk))
    public = Client()
    counts = []
    for task in (small, big):
        counts.append(_count_queries(head, url("task_detail", task.pk)))
        counts.append(
            _count_queries(public, reverse("portal:inspection_draw", args=[fresh(task).pk]))
        )
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_a_commitment_after_the_randomness_exists_is_refused_in_chinese(ic, head):
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = head.post(
        url("task_commit", ic.task.pk),
        commit_data(randomness_source="昨日已开奖的号码", randomness_due=yesterday),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "承诺必须在随机数产生之前作出" in page and "昨日已开奖的号码" in page
    assert not Draw.objects.exists()
