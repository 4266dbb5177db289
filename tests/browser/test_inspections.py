"""A 双随机 draw ceremony as its users do it in the browser, then the public result.

The department head (inspections.draw) opens the task from the menu and the plan, makes the
commitment (the future public randomness named, the pool frozen: its digest and count are
shown at once), then enters the randomness with its evidence and sees the drawn restaurants
with their inspectors. A citizen, not logged in, follows the same draw on the portal: the
commitment before the reveal, the result after it (the block refreshes itself through htmx,
so a CSP-blocked script fails here), downloads the bundle and checks it with the standalone
verifier, in-process and as ``python3 -I draw_verifier.py``; an enterprise that was drawn finds
the draw by its 统一社会信用代码.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "中国福利彩票双色球开奖号码（按开奖顺序），承诺之后的下一期"
RANDOMNESS = "03 07 12 19 25 31 09"
EVIDENCE = "https://www.cwl.gov.cn/ygkj/wqkjgg/ssq/"
VERIFIER = Path(__file__).resolve().parents[2] / "fazhi" / "draws" / "verifier.py"


@pytest.fixture
def live_inspections(transactional_db, live_server):
    """The cast and the small 双随机 setting (a published plan, one task, 40 restaurants)."""
    from fazhi.core.testing import build_cast
    from fazhi.inspections.testing import build_inspections
    from fazhi.ledger import services

    ic = build_inspections(build_cast())
    services.create_checkpoint()
    return ic


def _watch_console(page) -> list[str]:
    """Console errors, e.g. a script the CSP blocked or a failed htmx request."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _problems(page) -> str:
    texts = page.locator(".alert-error, .alert-warning, .field-error, .errorlist").all_inner_texts()
    return "；".join(t.strip() for t in texts if t.strip()) or "（页面上没有错误信息）"


def _fact(scope, term: str) -> str:
    """The <dd> after the <dt> ``term`` in the draw facts inside ``scope``."""
    return (
        scope.locator("dl.draw-facts dt", has_text=re.compile(rf"^{re.escape(term)}$"))
        .locator("xpath=following-sibling::dd[1]")
        .first.inner_text()
        .strip()
    )


def _drawn_rows(scope) -> dict[str, str]:
    """Credit code → the row's text, for every row of every stratum's result table."""
    rows = scope.locator("table.draw-result tbody tr")
    out: dict[str, str] = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        out[row.locator("td").nth(1).inner_text().strip()] = row.inner_text()
    return out


def test_a_draw_ceremony_end_to_end_and_its_public_result(live_inspections, new_page, tmp_path):
    from django.utils import timezone
    from playwright.sync_api import expect

    from fazhi.draws.models import Draw, DrawStatus
    from fazhi.draws.verifier import check_bundle
    from fazhi.inspections.models import Inspector

    ic = live_inspections
    task, plan = ic.task, ic.plan
    today = timezone.localdate()

    # --- the department head opens the task: menu → plan → task -----------------------------
    head = new_page()
    head_errors = _watch_console(head)
    browser_login(head, ic.head.username)
    head.locator("nav.sidebar").get_by_role("link", name="双随机抽查计划").click()
    head.wait_for_url("**/inspections/plans/")
    head.get_by_role("link", name=plan.number, exact=True).click()
    head.wait_for_url(f"**/inspections/plans/{plan.pk}/")
    head.locator("#tasks").get_by_role("link", name=task.number, exact=True).click()
    head.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    assert "待承诺" in head.locator("#ceremony").inner_text()

    # --- 第一步：作出承诺 (the assignment rules left as the form offers them) -------------------
    commit = head.locator("#commit")
    assert commit.count() == 1, "部门负责人（有 inspections.draw）应当看到承诺表单"
    assert head.input_value("#id_per_task") == "2"
    commit.locator("#id_randomness_source").fill(SOURCE)
    commit.locator("#id_randomness_due").fill(today.isoformat())
    with head.expect_navigation():
        commit.get_by_role("button", name="作出承诺并公布").click()
    assert re.search(rf"/inspections/tasks/{task.pk}/$", head.url), _problems(head)
    assert head.locator(".alert-success", has_text="承诺已公布").count() == 1, _problems(head)

    draw = Draw.objects.get(task=task)
    assert draw.status == DrawStatus.COMMITTED
    assert draw.candidate_count == len(ic.entities)  # the 40 restaurants; the shops are not 餐饮
    ceremony = head.locator("#ceremony")
    assert "承诺已公布" in ceremony.locator(".ceremony-state").inner_text()
    assert _fact(ceremony, "承诺摘要") == draw.commitment_digest
    pool = _fact(ceremony, "候选对象")
    assert pool.startswith(f"{draw.candidate_count} 个"), pool
    assert draw.commitment["pool"]["root"] in pool, pool
    assert SOURCE in _fact(ceremony, "公开随机数来源")
    assert head.locator("#commit").count() == 0, "承诺之后不应再提供承诺表单"

    # --- a citizen, not logged in, finds the committed draw on the portal -------------------
    public = new_page()
    public_errors = _watch_console(public)
    public.goto("/")
    public.get_by_role("link", name="双随机、一公开").first.click()
    public.wait_for_url("**/random-inspections/")
    public.get_by_role("link", name=plan.title).click()
    public.wait_for_url(f"**/random-inspections/plans/{plan.pk}/")
    public.get_by_role("link", name=DrawStatus.COMMITTED.label).click()
    public.wait_for_url(f"**/random-inspections/draws/{draw.pk}/")
    block = public.locator("#public-draw")
    assert "承诺已公布" in block.locator(".ceremony-state").inner_text()
    assert _fact(block, "承诺摘要") == draw.commitment_digest
    assert _fact(block, "候选对象").startswith(f"{draw.candidate_count} 个")
    assert block.locator("table.draw-result").count() == 0  # nothing drawn yet

    # --- 第二步：录入公开随机数 ---------------------------------------------------------------
    reveal = head.locator("#reveal")
    assert reveal.count() == 1, "承诺之后应当提供录入随机数的表单"
    reveal.locator("#id_value").fill(RANDOMNESS)
    reveal.locator("#id_evidence").fill(EVIDENCE)
    with head.expect_navigation():
        reveal.get_by_role("button", name="录入并抽取").click()
    assert head.locator(".alert-success", has_text="已抽取").count() == 1, _problems(head)

    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN, draw.failure
    result = draw.result or {}
    selected = [s["id"] for s in result["selected"]]
    assigned = {t["id"]: t["inspectors"] for t in result["tasks"]}
    assert selected and set(selected) <= {e.credit_code for e in ic.entities}
    names = {
        i.officer.certificate_number: i.officer.name
        for i in Inspector.objects.select_related("officer")
    }

    ceremony = head.locator("#ceremony")
    state = ceremony.locator(".ceremony-state").inner_text()
    assert f"共 {len(selected)} 户" in state, state
    assert _fact(ceremony, "承诺摘要") == draw.commitment_digest
    assert RANDOMNESS in _fact(ceremony, "公开随机数")
    evidence = ceremony.locator("dl.draw-facts a", has_text=EVIDENCE)
    assert evidence.get_attribute("href") == EVIDENCE
    rows = _drawn_rows(ceremony)
    assert sorted(rows) == sorted(selected)
    for code in selected:
        people = assigned[code]
        assert len(people) >= 2, f"{code} 只分派了 {people}"
        for cert in people:
            assert cert in rows[code] and names[cert] in rows[code], rows[code]
    assert head.locator("#reveal").count() == 0, "结果只能计算一次"
    assert not head_errors, head_errors

    # --- the portal page follows by itself (htmx polling), then shows the same result --------
    expect(block.locator(".ceremony-state")).to_contain_text("已抽取", timeout=20_000)
    public.reload()
    block = public.locator("#public-draw")
    assert _fact(block, "承诺摘要") == draw.commitment_digest
    assert RANDOMNESS in _fact(block, "公开随机数")
    public_rows = _drawn_rows(block)
    assert sorted(public_rows) == sorted(selected)
    for code in selected:
        for cert in assigned[code]:
            assert names[cert] in public_rows[code] and cert in public_rows[code]

    # The bundle, downloaded from the portal, checked by the standalone verifier; as a program
    # it runs isolated and without site-packages (-I -S): the standard library only.
    with public.expect_download() as info:
        public.get_by_role("link", name="下载抽取包（JSON）").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.startswith(f"draw-{draw.pk}-")
    bundle = json.loads(saved.read_text(encoding="utf-8"))
    assert bundle["commitment_digest"] == draw.commitment_digest
    assert bundle["randomness"]["value"] == RANDOMNESS
    recomputed = check_bundle(bundle)
    assert [s["id"] for s in recomputed["selected"]] == selected

    run = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(saved)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "验证通过" in run.stdout

    # One digit of the randomness changed: the same verifier refuses the bundle.
    bundle["randomness"]["value"] = RANDOMNESS.replace("09", "10")
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(altered)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "验证失败" in refused.stdout

    # --- the enterprise lookup: “我被抽中了吗” -------------------------------------------------
    code = selected[0]
    public.get_by_role("link", name="我被抽中了吗").first.click()
    public.wait_for_url("**/random-inspections/lookup/")
    public.fill("#id_credit_code", code)
    with public.expect_navigation():
        public.get_by_role("button", name="查询").click()
    row = public.locator("table tbody tr", has_text=f"第 {draw.pk} 号")
    assert row.count() == 1, public.locator("main").inner_text()
    assert "被抽中" in row.inner_text() and "未被抽中" not in row.inner_text()
    assert plan.title in row.inner_text()
    link = row.get_by_role("link", name=re.compile(rf"第 {draw.pk} 号"))
    assert link.get_attribute("href", timeout=1000).endswith(
        f"/random-inspections/draws/{draw.pk}/"
    )
    assert not public_errors, public_errors
