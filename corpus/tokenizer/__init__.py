"""The corpus tokenizer: sentencepiece training on a deterministic sample, its Hugging Face export,
and batched encoding of documents into token id arrays."""
from corpus.tokenizer.encode import EOS_ID, SPECIAL_TOKENS, Encoder, token_dtype
from corpus.tokenizer.hf_export import build_hf_tokenizer, export_hf_tokenizer
from corpus.tokenizer.train import (
    TokenizerConfig,
    TokenizerInfo,
    sample_key,
    select_sample,
    train_tokenizer,
    use_existing_tokenizer,
)

__all__ = ["EOS_ID", "SPECIAL_TOKENS", "Encoder", "TokenizerConfig", "TokenizerInfo", "build_hf_tokenizer",
           "export_hf_tokenizer", "sample_key", "select_sample", "token_dtype", "train_tokenizer",
           "use_existing_tokenizer"]
