"""Pages of the ledger: the staff explorer, and the public checkpoints, proofs and verifier.

Thin views (ARCHITECTURE §5): parse, authorize, call the selectors, render. The public
pages show only what is public by design (signed checkpoints, proofs, the verifier) or
what the visitor brought themselves (the receipt they paste on the verify page).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.permissions import has_perm
from fazhi.ledger import selectors, services, verifier

if TYPE_CHECKING:
    from fazhi.core.models import User

PAGE_SIZE = 50
RECEIPT_MAX_BYTES = 1024 * 1024  # a receipt is a few KB; 1 MB leaves room for long entries
VERIFIER_PATH = Path(verifier.__file__)
OFFLINE_COMMAND = "python3 verifier.py receipt 回执.json"


def _staff(request: HttpRequest) -> User:
    # Only called behind @login_required, so the user is a real account.
    return cast("User", request.user)


def _int_param(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number >= 0 else None


def _utc_stamp(text: str) -> dt.datetime | None:
    """A checkpoint's signed timestamp ("2024-05-01T08:00:00Z") as an aware datetime."""
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _pretty_json(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True)
    except (ValueError, TypeError):
        return text


def public_verify_url(seq: int) -> str:
    """Where a receipt's QR code sends the reader: the public verify page, for entry `seq`."""
    base = str(settings.FAZHI_PUBLIC_BASE_URL).rstrip("/")
    return f"{base}{reverse('ledger:verify')}?{urlencode({'seq': seq})}"


def qr_svg(text: str) -> SafeString:
    """An inline SVG QR code (no image request, no inline style: CSP-clean)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    # The SVG is generated from our own URL by the qrcode package, never from user input.
    return mark_safe(svg)  # noqa: S308


# --- staff: the audit trail ------------------------------------------------------------


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    stream = request.GET.get("stream", "").strip()
    kind = request.GET.get("kind", "").strip()
    actor = request.GET.get("actor", "").strip()
    entries = selectors.entries_for(user, stream=stream, kind=kind, actor=actor).only(
        "seq", "stream", "kind", "actor", "at"
    )
    streams = selectors.streams_for(user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/entry_list.html",
        {
            "page": page,
            "streams": streams,
            "stream": stream,
            "kind": kind,
            "actor": actor,
            "filtered": bool(stream or kind or actor),
        },
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = selectors.get_entry_for(_staff(request), seq)
    try:
        bundle: dict[str, Any] | None = selectors.receipt_bundle(seq)
    except Http404:
        bundle = None  # not yet covered by a signed checkpoint
    checkpoint = bundle["checkpoint"] if bundle else None
    verify_url = public_verify_url(seq)
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "entry": entry,
            "body_pretty": _pretty_json(entry.body),
            "leaf_hash": bytes(entry.leaf_hash).hex(),
            "checkpoint": checkpoint,
            "checkpoint_time": _utc_stamp(checkpoint["timestamp"]) if checkpoint else None,
            "witnesses": bundle["witnesses"] if bundle else [],
            "proof": bundle["inclusion_proof"] if bundle else [],
            "verify_url": verify_url,
            "qr_svg": qr_svg(verify_url),
        },
    )


@login_required
@require_GET
def receipt(request: HttpRequest, seq: int) -> HttpResponse:
    """The receipt bundle as a file: the entry, its inclusion proof, the signed checkpoint."""
    selectors.get_entry_for(_staff(request), seq)  # authorizes; 404 for an unknown entry
    bundle = selectors.receipt_bundle(seq)
    content = json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    response = HttpResponse(content.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"回执-{seq}.json") or "attachment"
    )
    return response


# --- public: checkpoints, proofs, the verifier -------------------------------------------


@require_GET
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.checkpoints()
    covering = _int_param(request.GET.get("seq"))
    if covering is not None:
        qs = qs.filter(tree_size__gt=covering)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = has_perm(request.user, "ledger.create_checkpoint")
    rows = []
    for cp in page:
        data = selectors.checkpoint_dict(cp)
        data["signed_at"] = _utc_stamp(cp.timestamp)
        rows.append(data)
    return render(
        request,
        "ledger/checkpoint_list.html",
        {
            "page": page,
            "rows": rows,
            "seq": request.GET.get("seq", "").strip(),
            "can_create": can_create,
            "tree_size": services.tree_size() if can_create else None,
        },
    )


@login_required
@require_POST
def checkpoint_create(request: HttpRequest) -> HttpResponse:
    before = selectors.latest_checkpoint()
    try:
        cp = services.create_checkpoint(actor=request.user)  # type: ignore[arg-type]
    except services.LedgerError as exc:
        messages.error(request, str(exc))
        return redirect("ledger:checkpoint_list")
    if before is not None and before.pk == cp.pk:
        messages.info(
            request, f"日志规模仍为 {cp.tree_size}，最新检查点已覆盖全部记录，无需重复签名"
        )
    else:
        messages.success(request, f"已生成并签名检查点：日志规模 {cp.tree_size}")
    return redirect("ledger:checkpoint_list")


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message, "details": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def consistency(request: HttpRequest) -> JsonResponse:
    """Proof that the log at `second` only appended to the log at `first` (RFC 9162 §2.1.4)."""
    first = _int_param(request.GET.get("first"))
    second = _int_param(request.GET.get("second"))
    if first is None or second is None or first == 0 or first > second:
        return _json_error(
            400,
            "invalid",
            "请用 first 和 second 参数给出两个已公布检查点的日志规模（正整数，first ≤ second）",
        )
    try:
        bundle = selectors.consistency_bundle(first, second)
    except Http404 as exc:
        return _json_error(404, "not_found", str(exc) or "检查点不存在")
    return JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def verifier_download(request: HttpRequest) -> HttpResponseBase:
    """The standalone verifier, byte for byte the file the server itself runs."""
    return FileResponse(
        VERIFIER_PATH.open("rb"),
        as_attachment=True,
        filename="verifier.py",
        content_type="text/x-python; charset=utf-8",
    )


# --- public: verify a receipt --------------------------------------------------------


class ReceiptForm(forms.Form):
    receipt_text = forms.CharField(
        label="粘贴回执内容（JSON）",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "mono"}),
    )
    receipt_file = forms.FileField(
        label="或上传回执文件（.json，不超过 1 MB）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    seq = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("receipt_file")
        text: str = data.get("receipt_text") or ""
        if upload:
            if upload.size > RECEIPT_MAX_BYTES:
                raise forms.ValidationError(
                    f"文件过大（{upload.size // 1024} KB）：回执文件不应超过 1 MB"
                )
            if not str(upload.name).lower().endswith(".json"):
                raise forms.ValidationError("文件类型不正确：请上传扩展名为 .json 的回执文件")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "文件类型不正确：回执应为 UTF-8 编码的 JSON 文本，该文件不是"
                ) from None
        elif not text.strip():
            raise forms.ValidationError("请粘贴回执内容，或上传回执文件")
        elif len(text.encode("utf-8")) > RECEIPT_MAX_BYTES:
            raise forms.ValidationError("粘贴的内容过大：回执不应超过 1 MB")
        try:
            # The offline verifier's own strict parser: the page judges the same document.
            data["bundle"] = verifier.parse_bundle(text)
        except verifier.BundleError as exc:
            raise forms.ValidationError(
                f"回执格式错误：{exc}。请完整粘贴下载的回执文件内容"
            ) from None
        return data


@dataclass
class Fact:
    label: str
    value: str
    status: str = "info"  # "ok", "fail" or "info"


@dataclass
class ReceiptCheck:
    ok: bool
    verdict: str
    facts: list[Fact] = field(default_factory=list)
    entry_pretty: str = ""


def _entry_facts(entry_text: str) -> list[Fact]:
    """What the receipt says about its entry — read from the bundle, nothing else."""
    try:
        entry = json.loads(entry_text)
    except ValueError:
        return []
    if not isinstance(entry, dict):
        return []
    facts = [
        Fact("业务流", str(entry.get("stream", ""))),
        Fact("事件类型", str(entry.get("kind", ""))),
    ]
    at = str(entry.get("at", ""))
    try:
        moment = dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        at = f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}（北京时间）"
    except ValueError:
        pass
    facts.append(Fact("记录时间", at))
    return facts


def check_receipt(bundle: dict[str, Any], expected_seq: int | None) -> ReceiptCheck:
    """Run the standalone verifier on the bundle, then compare its checkpoint with the one
    this platform published: the bundle's own key proves only self-consistency."""
    try:
        ok, verdict = verifier.verify_receipt(bundle)
    except verifier.BundleError as exc:
        return ReceiptCheck(False, f"回执格式错误，无法验证：{exc}")
    except verifier.HashUnavailableError as exc:
        return ReceiptCheck(False, f"服务器无法计算该哈希算法，无法验证：{exc}")

    cp = bundle["checkpoint"]
    proof = bundle["inclusion_proof"]
    facts = [
        Fact("记录序号", str(bundle["leaf_index"])),
        *_entry_facts(bundle["entry"]),
        Fact("哈希算法", str(bundle["hash_alg"]).upper()),
        Fact("检查点日志规模", str(cp["tree_size"])),
        Fact("检查点根哈希", str(cp["root_hash"])),
        Fact("检查点签名时间（UTC）", str(cp["timestamp"])),
        Fact("日志标识", str(cp["origin"])),
        Fact("签名公钥", str(cp["public_key"])),
        Fact("包含性证明", f"{len(proof)} 个哈希"),
    ]
    if ok:
        facts.append(Fact("记录内容与包含性证明", "与检查点根哈希一致", "ok"))
        facts.append(Fact("检查点签名", "Ed25519 签名有效", "ok"))
    for witness in bundle.get("witnesses") or []:
        facts.append(Fact("见证签名", str(witness.get("name", "")), "ok" if ok else "info"))

    published = selectors.checkpoints().filter(tree_size=cp["tree_size"]).first()
    matches = published is not None and (
        bytes(published.root_hash).hex() == str(cp["root_hash"]).lower()
        and base64.b64encode(bytes(published.public_key)).decode() == cp["public_key"]
    )
    if published is None:
        facts.append(Fact("本平台公布的检查点", "本平台没有公布该规模的检查点", "fail"))
    elif matches:
        facts.append(Fact("本平台公布的检查点", "根哈希与签名公钥一致", "ok"))
    else:
        facts.append(Fact("本平台公布的检查点", "与本平台公布的同规模检查点不一致", "fail"))

    if expected_seq is not None and expected_seq != bundle["leaf_index"]:
        facts.append(Fact("二维码所指记录", f"序号 {expected_seq}，与回执中的序号不一致", "fail"))
        ok, verdict = False, f"验证失败：回执中的记录序号不是二维码所指的序号 {expected_seq}"
    elif ok and not matches:
        ok = False
        verdict = (
            "验证失败：回执本身自洽，但其检查点不是本平台公布的检查点，"
            "不能证明该记录在本平台的日志中"
        )
    return ReceiptCheck(ok, verdict, facts, _pretty_json(bundle["entry"]))


def _published_key() -> str:
    latest = selectors.latest_checkpoint()
    return base64.b64encode(bytes(latest.public_key)).decode() if latest else ""


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: paste or upload a receipt; the server runs the same verifier as offline."""
    expected_seq = _int_param(request.GET.get("seq"))
    result: ReceiptCheck | None = None
    if request.method == "POST":
        form = ReceiptForm(request.POST, request.FILES)
        if form.is_valid():
            seq = form.cleaned_data.get("seq")
            expected_seq = seq if seq is not None else expected_seq
            result = check_receipt(form.cleaned_data["bundle"], expected_seq)
    else:
        form = ReceiptForm(initial={"seq": expected_seq})
    return render(
        request,
        "ledger/verify.html",
        {
            "form": form,
            "result": result,
            "expected_seq": expected_seq,
            "offline_command": OFFLINE_COMMAND,
            "max_bytes": RECEIPT_MAX_BYTES,
            "public_key": _published_key(),
        },
    )
