"""案卷评查 pages: who may open them, data scope, the draw forms, scoring with its refusals
shown on the form, opinions with overdue colours, and the department's answer."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from fazhi.cases import review_selectors, review_services
from fazhi.cases.models import OpinionStatus, ReviewPlan, ReviewPlanStatus, SupervisionOpinion
from fazhi.cases.tests.test_review_services import (
    EVIDENCE,
    RANDOMNESS,
    SOURCE,
    TODAY,
    closed_cases,
    drawn_plan,
    full_scores,
    issue,
    make_plan,
    reviewer_in,
    scored_plan,
)
from fazhi.core import services as core_services
from fazhi.core.choices import DataScope, Role
from fazhi.core.testing import TEST_PASSWORD
from fazhi.draws import verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(cc):
    return closed_cases(cc, 2)


def test_plan_pages_are_for_reviewers_only(cc, client, login):
    plan = make_plan(cc)
    assert client.get("/cases/reviews/").status_code == 302  # anonymous → login
    login(cc.cast.officer)
    assert client.get("/cases/reviews/").status_code == 403
    assert client.get(f"/cases/reviews/{plan.pk}/").status_code == 403
    client.logout()
    login(cc.cast.supervisor)
    page = client.get("/cases/reviews/?q=2024")
    assert page.status_code == 200 and plan.title in page.content.decode()
    assert plan.title not in client.get("/cases/reviews/?q=不存在").content.decode()


def test_a_plan_outside_the_reviewers_scope_is_a_404(cc, client, login):
    cast = cc.cast
    narrow = core_services.create_user(
        actor=cast.system_admin,
        username="narrow",
        full_name="部门监督员",
        organization=cast.department_b,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(
        actor=cast.security_admin, user=narrow, role=Role.SUPERVISOR, scope=DataScope.OWN
    )
    plan = make_plan(cc)  # the justice bureau's plan
    login(narrow)
    assert client.get(f"/cases/reviews/{plan.pk}/").status_code == 404
    assert plan.title not in client.get("/cases/reviews/").content.decode()


def test_create_commit_reveal_through_the_pages(cc, files, client, login):
    cast = cc.cast
    login(cast.supervisor)
    form = {
        "organization": cast.justice_bureau.pk,
        "year": 2024,
        "title": "页面评查",
        "departments": [cast.department_a.pk],
        "closed_from": "2024-01-01",
        "closed_to": "2024-12-31",
        "sample_size": 1,
        "sample_percent": 10,
    }
    refused = client.post("/cases/reviews/new/", form)
    assert refused.status_code == 400 and "二者选一" in refused.content.decode()
    del form["sample_percent"]
    response = client.post("/cases/reviews/new/", form)
    assert response.status_code == 302
    plan = ReviewPlan.objects.get(title="页面评查")
    url = f"/cases/reviews/{plan.pk}/"
    bad = client.post(
        url + "commit/", {"randomness_source": SOURCE, "randomness_due": "2000-01-01"}
    )
    assert bad.status_code == 400 and "日期已过" in bad.content.decode()
    ok = client.post(url + "commit/", {"randomness_source": SOURCE, "randomness_due": TODAY})
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    plan.refresh_from_db()
    assert plan.draw is not None
    assert plan.draw.commitment_digest in page and "录入公开随机数" in page
    assert (
        client.post(url + "reveal/", {"value": RANDOMNESS, "evidence": EVIDENCE}).status_code == 302
    )
    plan.refresh_from_db()
    assert plan.status == ReviewPlanStatus.DRAWN
    page = client.get(url).content.decode()
    (row,) = review_selectors.current_reviews(plan)
    assert f"/cases/reviews/{plan.pk}/files/{row.case.pk}/" in page
    assert "未评分" in page


def test_scoring_page_links_the_file_and_shows_refusals(cc, files, client, login):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    url = f"/cases/reviews/{plan.pk}/files/{row.case.pk}/"
    login(cc.cast.supervisor)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/cases/{row.case.pk}/" in html and "立案" in html
    data: dict[str, object] = {f"score_{k}": v for k, v in full_scores(plan).items()}
    data["on"] = TODAY.isoformat()
    data["score_body_standing"] = 9  # above the 8 points
    over = client.post(url, data)
    assert over.status_code == 400
    data["score_body_standing"] = 6  # a deduction without its reason
    no_note = client.post(url, data)
    assert no_note.status_code == 400 and "扣分理由" in no_note.content.decode()
    data["note_body_standing"] = "委托手续不全"
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.total == 98 and row.scores["body_standing"]["note"] == "委托手续不全"


def test_a_file_not_drawn_has_no_scoring_page(cc, files, client, login):
    plan = drawn_plan(cc, sample_size=1)
    drawn = review_selectors.current_reviews(plan)[0].case_id
    other = next(c for c in files if c.pk != drawn)
    login(cc.cast.supervisor)
    assert client.get(f"/cases/reviews/{plan.pk}/files/{other.pk}/").status_code == 404


def test_a_colleague_of_the_department_is_told_to_recuse(cc, files, client, login):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    colleague = reviewer_in(cc, cc.cast.department_a, "colleague")
    login(colleague)
    url = f"/cases/reviews/{plan.pk}/files/{row.case.pk}/"
    assert "应当回避" in client.get(url).content.decode()
    data: dict[str, object] = {f"score_{k}": v for k, v in full_scores(plan).items()}
    data["on"] = TODAY.isoformat()
    refused = client.post(url, data)
    assert refused.status_code == 400 and "同一部门，应当回避" in refused.content.decode()


def test_department_head_sees_and_answers_the_opinion(cc, files, client, login):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    login(cc.cast.department_head)
    assert client.get(f"/cases/reviews/{plan.pk}/").status_code == 403
    assert client.get("/cases/opinions/").status_code == 403  # the supervising body's side
    listing = client.get("/cases/answers/")
    assert listing.status_code == 200 and opinion.number in listing.content.decode()
    url = f"/cases/answers/{opinion.pk}/"
    detail = client.get(url).content.decode()
    assert "登记收到日期" in detail and "报送整改情况书面报告" not in detail
    document = client.get(url + "document/")
    assert document.status_code == 200
    assert document["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.post(url + "receive/", {"on": TODAY.isoformat()}).status_code == 302
    detail = client.get(url).content.decode()
    assert "报送整改情况书面报告" in detail and "申请复查" in detail
    empty = client.post(url + "answer/", {"report": "", "on": TODAY.isoformat()})
    assert empty.status_code == 400
    done = client.post(url + "answer/", {"report": "已逐案整改", "on": TODAY.isoformat()})
    assert done.status_code == 302
    opinion.refresh_from_db()
    assert (
        opinion.status == OpinionStatus.ANSWERED and opinion.answered_by == cc.cast.department_head
    )
    # The head may not answer a re-examination: that is the supervising body's page.
    answer = {"upheld": "1", "answer": "x", "on": TODAY}
    assert client.post(url + "recheck_answer/", answer).status_code == 404
    review_url = f"/cases/opinions/{opinion.pk}/recheck_answer/"
    assert client.post(review_url, answer).status_code == 403


def test_overdue_opinions_are_red_and_filterable(cc, files, client, login):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    review_services.receive_opinion(actor=cc.cast.supervisor, opinion=opinion, on=TODAY)
    login(cc.cast.supervisor)
    assert "badge-danger" not in client.get("/cases/opinions/").content.decode()
    # Time passes: the 30 working days ran out yesterday.
    SupervisionOpinion.objects.filter(pk=opinion.pk).update(due_on=TODAY - dt.timedelta(days=1))
    html = client.get("/cases/opinions/").content.decode()
    assert "badge-danger" in html and "逾期未报送整改报告 1 份" in html
    assert opinion.number in client.get("/cases/opinions/?overdue=on").content.decode()
    review_services.answer_opinion(
        actor=cc.cast.department_head, opinion=opinion, report="已整改", on=TODAY
    )
    assert opinion.number not in client.get("/cases/opinions/?overdue=on").content.decode()


def test_another_department_cannot_see_the_opinion(cc, files, client, login):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    head_b = core_services.create_user(
        actor=cc.cast.system_admin,
        username="head_b",
        full_name="钱局长",
        organization=cc.cast.department_b,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(
        actor=cc.cast.security_admin,
        user=head_b,
        role=Role.DEPARTMENT_HEAD,
        scope=DataScope.SUBTREE,
    )
    login(head_b)
    assert opinion.number not in client.get("/cases/answers/").content.decode()
    assert client.get(f"/cases/answers/{opinion.pk}/").status_code == 404
    assert client.get(f"/cases/answers/{opinion.pk}/document/").status_code == 404
    on = {"on": TODAY.isoformat()}
    assert client.post(f"/cases/answers/{opinion.pk}/receive/", on).status_code == 404
    client.logout()
    login(cc.cast.officer)
    assert client.get("/cases/answers/").status_code == 403
    assert client.get("/cases/opinions/").status_code == 403


def test_issue_opinion_through_the_plan_page(cc, files, client, login):
    plan = scored_plan(cc)
    login(cc.cast.supervisor)
    url = f"/cases/reviews/{plan.pk}/opinions/new/"
    data = {
        "department": cc.cast.department_a.pk,
        "findings": "",
        "requirements": "整改",
        "on": TODAY.isoformat(),
    }
    assert client.post(url, data).status_code == 400
    data["findings"] = "裁量说理不充分"
    assert client.post(url, data).status_code == 302
    assert SupervisionOpinion.objects.filter(plan=plan, department=cc.cast.department_a).exists()
    page = client.get(f"/cases/reviews/{plan.pk}/").content.decode()
    assert "执监" in page and "100.0" not in page  # scored_plan deducts 3 points a file


def test_plan_export_lists_every_drawn_file_with_its_scores(cc, files, client, login):
    plan = scored_plan(cc)
    login(cc.cast.supervisor)
    response = client.get(f"/cases/reviews/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[2] == "案件编号" and header[-3] == "总分"
    numbers = {r[2] for r in rows[1:]}
    assert numbers == {r.case.number for r in review_selectors.current_reviews(plan)}
    assert all(r[-3] == 97 for r in rows[1:])  # scored_plan deducts 3 points a file


def test_the_draw_bundle_verifies_with_the_standalone_verifier(cc, files, client, login):
    plan = drawn_plan(cc, sample_size=1)
    assert plan.draw is not None
    login(cc.cast.supervisor)
    url = f"/cases/reviews/{plan.pk}/draws/{plan.draw.pk}/bundle.json"
    assert url in client.get(f"/cases/reviews/{plan.pk}/").content.decode()
    bundle = json.loads(client.get(url).content)
    result = verifier.check_bundle(bundle)
    assert [s["id"] for s in result["selected"]] == [
        r.case.number for r in review_selectors.current_reviews(plan)
    ]
    bundle["pool"][0]["id"] += "x"  # one changed byte of the frozen pool
    with pytest.raises(verifier.Mismatch, match="默克尔根"):
        verifier.check_bundle(bundle)
    other = drawn_plan(cc, sample_size=1, title="另一计划")
    assert other.draw is not None
    assert (
        client.get(f"/cases/reviews/{plan.pk}/draws/{other.draw.pk}/bundle.json").status_code == 404
    )
