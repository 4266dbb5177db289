"""/decisions: 行政处罚决定公示, public (no login), the same list as the portal's page.

Every field comes from the redacted snapshot written at publication (ARCHITECTURE §5 rule 5),
never from the case's live fields; withdrawn decisions are not listed (行政处罚法 第四十八条).
The query is `fazhi.cases.selectors.public_decisions`, the same one the portal's page uses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from fazhi.api.v1.errors import responses
from fazhi.api.v1.schemas import Page, SearchQuery, paginate
from fazhi.cases.models import Disclosure
from fazhi.cases.selectors import public_decisions

router = Router(tags=["行政处罚决定公示"])


class PublicDecisionQuery(SearchQuery):
    organization: str = Field("", max_length=200, description="执法机关名称（与公示内容一致）")
    year: int | None = Field(None, ge=1949, le=9999, description="决定年度")


class PublicPartyOut(Schema):
    kind: str = Field(description="当事人类型：individual、organization 等")
    kind_label: str = ""
    name: str = Field(description="姓名或名称（自然人只保留姓氏）")
    credit_code: str = Field("", description="统一社会信用代码（单位当事人）")
    legal_representative: str = Field("", description="法定代表人（负责人），只保留姓氏")


class PublicDecisionOut(Schema):
    id: int = Field(description="公示编号（门户页面地址中的编号）")
    url: str = Field(description="门户上的公示页面")
    decision_number: str = Field(description="行政处罚决定书文号")
    title: str = Field(description="案由（已脱敏）")
    organization: str = Field(description="执法机关")
    parties: list[PublicPartyOut]
    item_code: str = Field(description="执法事项编码")
    item_name: str = Field(description="执法事项名称")
    legal_basis: str = Field(description="处罚依据")
    facts: str = Field(description="违法事实（已脱敏）")
    penalty_types: list[str] = Field(description="处罚种类")
    fine: str | None = Field(description="罚款金额（元，两位小数）")
    confiscation: str | None = Field(description="没收违法所得（元，两位小数）")
    outcome_label: str = Field(description="处理结果")
    decided_on: dt.date | None = Field(description="决定日期")
    published_on: dt.date = Field(description="首次公开日期")
    modified_on: dt.date = Field(description="当前版本的公开（更正）日期")
    version: int = Field(description="公开版本号，更正一次加一")
    ledger_seq: int = Field(description="当前版本在防篡改日志中的记录序号")
    receipt_url: str = Field(
        description="当前版本的回执（JSON，可在 /ledger/verify/ 验证；签名检查点覆盖该记录后提供）"
    )


def _public_url(path: str) -> str:
    return f"{str(settings.FAZHI_PUBLIC_BASE_URL).rstrip('/')}{path}"


def _text(snapshot: dict[str, Any], key: str) -> str:
    value = snapshot.get(key)
    return "" if value is None else str(value)


def decision_out(d: Disclosure) -> dict[str, Any]:
    s: dict[str, Any] = d.snapshot if isinstance(d.snapshot, dict) else {}
    parties = [p for p in s.get("parties") or [] if isinstance(p, dict)]
    return {
        "id": d.case_id,
        "url": _public_url(reverse("portal:enforcement_decision", args=[d.case_id])),
        "decision_number": _text(s, "decision_number"),
        "title": _text(s, "title"),
        "organization": _text(s, "organization"),
        "parties": [
            {
                "kind": _text(p, "kind"),
                "kind_label": _text(p, "kind_label"),
                "name": _text(p, "name"),
                "credit_code": _text(p, "credit_code"),
                "legal_representative": _text(p, "legal_representative"),
            }
            for p in parties
        ],
        "item_code": _text(s, "item_code"),
        "item_name": _text(s, "item_name"),
        "legal_basis": _text(s, "legal_basis"),
        "facts": _text(s, "facts"),
        "penalty_types": [str(t) for t in s.get("penalty_types") or []],
        "fine": s.get("fine"),
        "confiscation": s.get("confiscation"),
        "outcome_label": _text(s, "outcome_label"),
        "decided_on": s.get("decided_on") or None,
        "published_on": d.published_on,  # type: ignore[attr-defined]  # the annotation
        "modified_on": d.on,
        "version": d.version,
        "ledger_seq": d.ledger_seq,
        "receipt_url": _public_url(
            reverse("portal:enforcement_decision_receipt", args=[d.ledger_seq])
        ),
    }


@router.get(
    "",
    auth=None,
    response={200: Page[PublicDecisionOut], **responses(422)},
    summary="行政处罚决定公示（公开）",
    description=(
        "已公开的行政处罚决定（当前版本，已撤回的不列出），按决定日期从新到旧。"
        "内容即公开时写入的脱敏快照：自然人只保留姓氏，不含身份证件号码、联系电话和住址。"
        "search 在决定书文号、当事人（公开的名称）、执法机关和执法事项中查找。"
    ),
)
def list_decisions(request: HttpRequest, q: Query[PublicDecisionQuery]) -> dict[str, Any]:
    qs = public_decisions(search=q.search.strip(), organization=q.organization, year=q.year)
    return paginate(qs, q, decision_out)
