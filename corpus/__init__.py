"""Pure text logic: the Document model, readers, rules, dedup, shards. No Beam, no torch."""
from corpus.counters import CounterFn, DictCounter, noop_counter
from corpus.document import KEEP, Document, Verdict, make_doc_id

__all__ = ["CounterFn", "DictCounter", "Document", "KEEP", "Verdict", "make_doc_id", "noop_counter"]
