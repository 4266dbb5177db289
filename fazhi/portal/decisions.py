"""行政处罚决定公示 on the portal: the published decisions, exactly as published.

Everything shown here is read from `Disclosure.snapshot` — the redacted, immutable snapshot
written at publication (ARCHITECTURE §5 rule 5; 国办发〔2018〕118号 二（六）) — and never from
the case's live fields: what the public sees is what was published, even if the case row
changes later. The case is touched only through its id (the page's address, the ordering).

A withdrawn decision (行政处罚法 第四十八条第二款) leaves only its withdrawal notice: its
content, and the receipts of the versions that carried it, are gone from the portal.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from fazhi.cases.models import Disclosure, DisclosureAction
from fazhi.cases.selectors import public_decisions
from fazhi.ledger import selectors as ledger_selectors
from fazhi.ledger.models import LedgerEntry

PAGE_SIZE = 30
# Party names are searched in the snapshot's list of parties, position by position (a JSON
# array cannot be searched portably on both SQLite and PostgreSQL); a case has a few at most.
DISCLOSURE_KIND_PREFIX = "disclosure."


# --- reads ------------------------------------------------------------------------------------


def public_count() -> int:
    return (
        Disclosure.objects.filter(is_current=True).exclude(action=DisclosureAction.WITHDRAW).count()
    )


def published_organizations() -> list[str]:
    """The bodies' names as they appear in the decisions on display."""
    names = (
        public_decisions()
        .annotate(org=KeyTextTransform("organization", "snapshot"))
        .order_by("org")
        .values_list("org", flat=True)
        .distinct()
    )
    return [n for n in names if n]


def published_years() -> list[int]:
    years = (
        public_decisions()
        .annotate(year=Substr(KeyTextTransform("decided_on", "snapshot"), 1, 4))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return [int(y) for y in years if y and y.isdigit()]


def covered_size() -> int:
    """Entries below this index have a receipt (a signed checkpoint covers them)."""
    latest = ledger_selectors.latest_checkpoint()
    return latest.tree_size if latest else 0


@dataclass(frozen=True)
class Version:
    disclosure: Disclosure
    receipt: bool  # the receipt may be downloaded now


@dataclass(frozen=True)
class PublicDecision:
    current: Disclosure
    published_on: dt.date  # the first publication (version 1)
    history: list[Version]

    @property
    def withdrawn(self) -> bool:
        return self.current.action == DisclosureAction.WITHDRAW

    @property
    def snapshot(self) -> dict[str, Any]:
        return self.current.snapshot if isinstance(self.current.snapshot, dict) else {}


def _receipt_public(d: Disclosure, current: Disclosure) -> bool:
    # After a withdrawal only the withdrawal's own entry stays public: the earlier entries
    # carry the content that was withdrawn (行政处罚法 第四十八条第二款).
    return current.action != DisclosureAction.WITHDRAW or d.pk == current.pk


def public_decision(case_id: int) -> PublicDecision:
    """The disclosure history of one case (404 if it was never published)."""
    versions = list(Disclosure.objects.filter(case_id=case_id).order_by("version"))
    current = next((v for v in versions if v.is_current), None)
    if current is None:
        raise Http404("该行政处罚决定未公开")
    covered = covered_size()
    history = [Version(v, _receipt_public(v, current) and v.ledger_seq < covered) for v in versions]
    return PublicDecision(current=current, published_on=versions[0].on, history=history)


def public_receipt(seq: int) -> dict[str, Any]:
    """The receipt of a disclosure entry, in the bundle format of `ledger:receipt`.

    Only entries of disclosures (kind ``disclosure.*``): they hold nothing but the published
    snapshot (see `fazhi.cases.services._disclose`). Every other entry is 404, as is an entry
    of a withdrawn decision's earlier versions.
    """
    disclosure = Disclosure.objects.filter(ledger_seq=seq).only("pk", "case_id", "action").first()
    kind = LedgerEntry.objects.filter(seq=seq).values_list("kind", flat=True).first()
    if disclosure is None or not (kind or "").startswith(DISCLOSURE_KIND_PREFIX):
        raise Http404("没有该公示记录的回执")
    current = (
        Disclosure.objects.filter(case_id=disclosure.case_id, is_current=True)
        .only("pk", "action")
        .first()
    )
    if current is None or not _receipt_public(disclosure, current):
        raise Http404("该行政处罚决定已撤回，原公开内容的回执不再提供")
    return ledger_selectors.receipt_bundle(seq)


# --- pages ------------------------------------------------------------------------------------


class DecisionFilter(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "决定书文号、当事人、执法机关或执法事项", "type": "search"}
        ),
    )
    organization = forms.ChoiceField(label="执法机关", required=False, choices=())
    year = forms.TypedChoiceField(
        label="决定年度", required=False, choices=(), coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = [("", "全部执法机关"), *[(n, n) for n in published_organizations()]]
        years = [("", "全部年度"), *[(str(y), f"{y}年") for y in published_years()]]
        self.fields["organization"].choices = orgs  # type: ignore[attr-defined]
        self.fields["year"].choices = years  # type: ignore[attr-defined]


def _filters(form: DecisionFilter) -> dict[str, Any]:
    # An invalid value (an unknown body, a malformed year) is dropped, not an error page.
    form.is_valid()
    data = form.cleaned_data
    return {
        "search": (data.get("q") or "").strip(),
        "organization": data.get("organization") or "",
        "year": data.get("year"),
    }


@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    filters = DecisionFilter(request.GET)
    qs = public_decisions(**_filters(filters))
    page: Page[Disclosure] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/decision_list.html", {"filters": filters, "page": page})


@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = public_decision(pk)
    return render(request, "portal/decision_detail.html", {"decision": decision})


@require_GET
def decision_receipt(request: HttpRequest, seq: int) -> HttpResponse:
    """The public receipt file: the same JSON as the staff download, checked on /ledger/verify/."""
    bundle = public_receipt(seq)
    content = json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    response = HttpResponse(content.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"回执-{seq}.json") or "attachment"
    )
    return response
