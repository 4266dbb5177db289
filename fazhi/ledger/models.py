"""Storage of the tamper-evident ledger (ARCHITECTURE §6).

Rows are append-only: no code path updates or deletes them. `fazhi ledger verify`
recomputes everything from `LedgerEntry.body` and the signed checkpoints.
"""

from __future__ import annotations

from django.db import models

# Node keys pack (level, index) into one integer so a proof's nodes come back in one
# `key IN (...)` query on SQLite and PostgreSQL alike.
NODE_LEVEL_SHIFT = 48


def node_key(level: int, index: int) -> int:
    return (level << NODE_LEVEL_SHIFT) | index


class LedgerHead(models.Model):
    """The single row that serializes appends (locked with SELECT ... FOR UPDATE)."""

    tree_size = models.BigIntegerField(default=0)
    hash_alg = models.CharField(max_length=16)

    class Meta:
        verbose_name = "日志头"

    def __str__(self) -> str:
        return f"{self.hash_alg} · {self.tree_size}"


class LedgerEntry(models.Model):
    """One domain event. `body` is the canonical JSON that was hashed, byte for byte."""

    seq = models.BigIntegerField("序号", primary_key=True)
    stream = models.CharField("业务流", max_length=64, db_index=True)
    kind = models.CharField("事件类型", max_length=100)
    actor = models.CharField("操作人", max_length=150)
    at = models.DateTimeField("时间")
    body = models.TextField("规范化内容")
    leaf_hash = models.BinaryField("叶子哈希", max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = "日志记录"
        verbose_name_plural = "日志记录"
        indexes = [models.Index(fields=["stream", "seq"], name="ledger_stream_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class LedgerNode(models.Model):
    """The root of a complete, aligned subtree of level ≥ 1 (stored so proofs are O(log n))."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=64)

    class Meta:
        ordering = ["key"]
        verbose_name = "日志树节点"

    def __str__(self) -> str:
        return f"node {self.key >> NODE_LEVEL_SHIFT}/{self.key & ((1 << NODE_LEVEL_SHIFT) - 1)}"


class Checkpoint(models.Model):
    """A signed tree head: {tree_size, root_hash, hash_alg, timestamp} (Ed25519)."""

    tree_size = models.BigIntegerField("日志规模", unique=True)
    root_hash = models.BinaryField("根哈希", max_length=64)
    hash_alg = models.CharField("哈希算法", max_length=16)
    origin = models.CharField("日志标识", max_length=200)
    timestamp = models.CharField("签名时间", max_length=32)
    signature = models.BinaryField("签名")
    public_key = models.BinaryField("公钥")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tree_size"]
        verbose_name = "检查点"
        verbose_name_plural = "检查点"

    def __str__(self) -> str:
        return f"检查点 {self.tree_size}"


class WitnessSignature(models.Model):
    """A co-signature of a checkpoint by another body (e.g. the city 司法局)."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="witnesses")
    witness = models.CharField("见证单位", max_length=100)
    public_key = models.BinaryField("见证公钥")
    signature = models.BinaryField("见证签名")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checkpoint_id", "witness"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_witness_once")
        ]
        verbose_name = "见证签名"

    def __str__(self) -> str:
        return f"{self.witness} · {self.checkpoint}"


class Attachment(models.Model):
    """An evidence file, stored content-addressed: its name is its hash."""

    digest = models.CharField("内容哈希", max_length=128, primary_key=True)
    hash_alg = models.CharField("哈希算法", max_length=16)
    size = models.BigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    original_name = models.CharField("原文件名", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.digest[:12]}…)"
