"""The demo county's 2024 案卷评查, built through the services (issue 5 §8).

《吉林省行政执法监督条例》第二十条 asks for regular case-file reviews. In December the justice
bureau's county supervisor draws the closed files of the eight bodies that closed the most
cases in 2024 (three each, verifiably: committed in the morning, the evening's lottery named),
scores them on the review sheet, issues a 行政执法监督意见书 to each body that lost points, and
the bodies report their rectification within the 30 working days of 第二十九条第二款. The
deductions and their notes are demo data; the sample and every date follow from the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fazhi.cases import review, review_selectors, review_services
from fazhi.cases.models import PenaltyCase
from fazhi.cases.workflow import Status
from fazhi.core.calendar import database_calendar
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User

Progress = Callable[[str], None]
TZ = ZoneInfo("Asia/Shanghai")
BODIES = 8
FILES_PER_BODY = 3
DEDUCTIONS = (
    ("decision_published", "决定公开超过七个工作日"),
    ("documents_complete", "送达回证填写不完整"),
    ("recording", "现场照片未注明拍摄时间、地点"),
)


@dataclass
class ReviewsResult:
    files: int = 0
    opinions: int = 0


def build_reviews(
    *, seed: int, year: int = 2024, progress: Progress | None = None
) -> ReviewsResult:
    say = progress or (lambda message: None)
    rng = random.Random(f"fazhi-demo-reviews:{seed}:{year}")  # noqa: S311 - demo data
    calendar = database_calendar([year, year + 1])
    reviewer = User.objects.get(username="jd_xian_1")
    justice = Organization.objects.get(code="sfj")
    closed = Counter(
        PenaltyCase.objects.filter(
            status__in=[Status.CLOSED, Status.ARCHIVED],
            closed_on__year=year,
            public_security=False,
        ).values_list("organization_id", flat=True)
    )
    bodies = list(
        Organization.objects.filter(pk__in=[pk for pk, _ in closed.most_common(BODIES)]).exclude(
            pk=justice.pk
        )
    )
    say(f"案卷评查：{len(bodies)} 个执法单位，每单位抽取 {FILES_PER_BODY} 卷")

    def workday(d: dt.date, n: int = 0) -> dt.date:
        while not calendar.is_workday(d) or n > 0:
            d += dt.timedelta(days=1)
            if calendar.is_workday(d):
                n -= 1
        return d

    day = workday(dt.date(year, 12, 2))
    plan = review_services.create_plan(
        actor=reviewer,
        organization=justice,
        year=year,
        title=f"{year}年度行政执法案卷评查",
        departments=bodies,
        closed_from=dt.date(year, 1, 1),
        closed_to=dt.date(year, 11, 30),
        sample_size=FILES_PER_BODY,
    )
    issue = f"{year}{day.timetuple().tm_yday:03d}"
    plan = review_services.commit_plan(
        actor=reviewer,
        plan=plan,
        randomness_source=(
            f"中国福利彩票“快乐8”第{issue}期开奖号码（{day:%Y年%m月%d日}晚21时30分开奖，"
            "20个号码按开奖顺序）"
        ),
        randomness_due=day,
        at=dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ),
    )
    plan = review_services.reveal_plan(
        actor=reviewer,
        plan=plan,
        value=" ".join(f"{n:02d}" for n in sorted(rng.sample(range(1, 81), 20))),
        evidence=f"https://www.cwl.gov.cn/ygkj/wqkjgg/kl8/ 第{issue}期开奖公告（演示数据）",
        at=dt.datetime(day.year, day.month, day.day, 21, 45, tzinfo=TZ),
    )
    if plan.draw is None or plan.draw.result is None:
        raise DomainError(f"演示案卷评查抽取未完成：{plan.draw.failure if plan.draw else ''}")
    result = ReviewsResult()
    full = {c.code: c.points for c in review.criteria(plan.sheet)}
    lost: dict[int, list[str]] = {}
    scored_on = workday(day, 5)
    for row in review_selectors.current_reviews(plan).select_related("case"):
        scores, notes = dict(full), {}
        for code, note in DEDUCTIONS:
            if code in scores and rng.random() < 0.3:
                scores[code] = max(0, scores[code] - rng.randint(1, 2))
                notes[code] = note
                lost.setdefault(row.case.organization_id, []).append(note)
        review_services.score(
            actor=reviewer,
            plan=plan,
            case=row.case,
            scores=scores,
            notes=notes,
            findings="；".join(notes.values()),
            on=scored_on,
        )
        result.files += 1
    issued_on = workday(scored_on, 3)
    for body in bodies:
        problems = sorted(set(lost.get(body.pk, [])))
        if not problems:
            continue
        opinion = review_services.issue_opinion(
            actor=reviewer,
            plan=plan,
            department=body,
            findings="评查发现：" + "；".join(problems) + "。",
            requirements="逐项整改，建立台账，举一反三，完善案卷归档和公开制度。",
            on=issued_on,
        )
        opinion = review_services.receive_opinion(
            actor=reviewer, opinion=opinion, on=workday(issued_on, 1)
        )
        head = User.objects.filter(
            username__in=[f"{body.code}_fzr", f"{body.parent.code}_fzr" if body.parent else ""]
        ).first()
        if head is not None:
            review_services.answer_opinion(
                actor=head,
                opinion=opinion,
                report="已对照监督意见逐项整改，整改台账及相关制度附后。",
                on=workday(issued_on, rng.randint(10, 25)),
            )
        result.opinions += 1
    return result
