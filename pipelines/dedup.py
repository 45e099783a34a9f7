"""Dedup in Beam: URL and exact text duplicates by grouping, near duplicates by MinHash-LSH.

Near duplicates: signatures → band keys → GroupByKey → candidate pairs → a Jaccard check of
each pair (joined against the two documents' shingle sets, never all of them on one worker)
→ connected components by alternating large-star / small-star rounds (Kiveris et al. 2014)
unrolled in the graph → in each component the smallest id survives. Every step is a
function of the set of documents alone, so any runner and any number of workers give the
same survivors.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import NamedTuple

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from corpus.dedup import lsh as lshlib
from corpus.dedup import minhash
from corpus.dedup.config import DedupConfig
from corpus.dedup.exact import (
    node_doc_id,
    survivor_node,
    text_key,
    text_survivor_key,
    url_key,
    url_survivor_key,
)
from corpus.dedup.index import INDEX_DIR, INDEX_PREFIX, check_compatible, index_record, parse_index_record
from corpus.document import Document
from corpus.shards.manifest import MANIFEST_NAME, FileEntry, Manifest
from pipelines.beam_util import (
    BeamCounter,
    SplitByTag,
    batch_elements,
    combine_globally,
    combine_per_key,
    on_dask,
)
from pipelines.line_files import WriteLineFiles

KEPT, DROPPED, MEMBER = "kept", "dropped", "member"
EXAMPLE_CLUSTERS = 5
EXAMPLE_MEMBERS = 5


class DedupResult(NamedTuple):
    kept: beam.PCollection  # Document
    dropped: beam.PCollection  # (Document, reason)
    stats: beam.PCollection  # one dict: clusters, size histogram, examples, parameters


# --- URL and exact text duplicates -------------------------------------------------------------

class _PickSurvivor(beam.DoFn):
    """The smallest document by ``survivor_key`` stays; the rest are dropped under ``reason``."""

    def __init__(self, survivor_key: Callable, reason: str) -> None:
        self.survivor_key = survivor_key
        self.reason = reason
        self.counter = BeamCounter()

    def process(self, element):
        _, docs = element
        best, best_key, survivor = -1, None, None
        for i, doc in enumerate(docs):  # streams over the group: a group can be large
            key = self.survivor_key(doc)
            if survivor is None or key < best_key:
                best, best_key, survivor = i, key, doc
        yield KEPT, survivor
        for i, doc in enumerate(docs):  # Beam iterables can be iterated again, in the same order
            if i != best:
                self.counter(f"dropped:{self.reason}")
                yield DROPPED, (doc.with_meta(duplicate_of=survivor.id), self.reason)


class KeepOnePerKey(beam.PTransform):
    """Documents with equal ``key_fn`` are duplicates; documents whose key is '' are unique."""

    def __init__(self, key_fn: Callable[[Document], str], survivor_key: Callable, reason: str) -> None:
        super().__init__()
        self.key_fn, self.survivor_key, self.reason = key_fn, survivor_key, reason

    def expand(self, docs):
        key_fn = self.key_fn
        return (docs
                | "Key" >> beam.Map(lambda d: (key_fn(d) or f"unique:{d.id}", d))
                | "Group" >> beam.GroupByKey()
                | "Pick" >> beam.ParDo(_PickSurvivor(self.survivor_key, self.reason))
                | "Split" >> SplitByTag((KEPT, DROPPED)))




def _text_key(doc: Document) -> str:
    return text_key(doc.text)


# --- near duplicates ---------------------------------------------------------------------------

class _Sketch(beam.DoFn):
    """A batch of documents → (id, signature, shingle set) with numpy over the whole batch."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config

    def process(self, batch: list[Document]):
        texts = [d.text for d in batch]
        sigs = minhash.signatures(texts, self.config.minhash)
        sets = (minhash.shingle_sets(texts, self.config.ngram) if self.config.check == "exact"
                else [None] * len(batch))
        for doc, sig, shingles in zip(batch, sigs, sets):
            yield survivor_node(doc), sig, shingles


def _band_records(sketch, params: lshlib.LshParams):
    doc_id, sig, _ = sketch
    for key in lshlib.band_keys(sig, params):
        yield key, doc_id


PAIR, LARGE = "pair", "large"


def _pairs_of_bucket(element, max_bucket_pairs: int):
    """All pairs of a small bucket; the members of a large one go to :func:`lshlib.leader_pairs`."""
    key, ids = element
    ids = sorted(set(ids))
    if len(ids) <= max_bucket_pairs:
        for pair in lshlib.bucket_pairs(ids):
            yield PAIR, pair
    else:
        for node in ids:
            yield LARGE, (node, key)


class _LargeBucketPairs(beam.PTransform):
    """Members of large buckets meet their signatures (a join by node), then each bucket is paired
    against its representatives. Large buckets are rare (templated pages), so little moves."""

    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config

    def expand(self, pcolls):
        members, sketches = pcolls
        threshold, max_leaders = self.config.threshold, self.config.max_leaders

        def with_signature(element):
            node, grouped = element
            sigs = list(grouped["sig"])
            for bucket in grouped["bucket"]:
                yield bucket, (node, sigs[0])

        return ({"bucket": members, "sig": sketches | "SigByNode" >> beam.Map(lambda s: (s[0], s[1]))}
                | "JoinSignatures" >> beam.CoGroupByKey()
                | "WithSignature" >> beam.FlatMap(with_signature)
                | "LargeBuckets" >> beam.GroupByKey()
                | "LeaderPairs" >> beam.FlatMap(lambda kv: lshlib.leader_pairs(list(kv[1]), threshold, max_leaders)))


class _CheckPairs(beam.PTransform):
    """Keep the candidate pairs whose Jaccard reaches the threshold.

    Each pair meets its two documents' sketches by two joins on document id, so no
    worker holds more than one document's pairs and sketch at a time.
    """

    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config

    def expand(self, pcolls):
        pairs, sketches = pcolls
        check, threshold = self.config.check, self.config.threshold
        value = (lambda s: (s[0], s[2])) if check == "exact" else (lambda s: (s[0], s[1]))
        by_id = sketches | "ValueById" >> beam.Map(value)

        def attach_a(element):
            _, grouped = element
            (val,) = grouped["value"] or [None]
            for b in grouped["pair"]:
                yield b, (element[0], val)

        def compare(element):
            b, grouped = element
            (val_b,) = grouped["value"] or [None]
            for a, val_a in grouped["a"]:
                if check == "exact":
                    ok = minhash.exact_jaccard(val_a, val_b) >= threshold
                else:
                    ok = lshlib.similar(val_a, val_b, threshold)
                if ok:
                    yield a, b

        with_a = ({"pair": pairs, "value": by_id} | "JoinA" >> beam.CoGroupByKey()
                  | "AttachA" >> beam.FlatMap(attach_a))
        return ({"a": with_a, "value": by_id} | "JoinB" >> beam.CoGroupByKey()
                | "Compare" >> beam.FlatMap(compare))


class _StarRound(beam.PTransform):
    """One large-star or small-star step over undirected edges (smaller id first).

    Duplicate edges are not removed between steps: the next step reads each node's
    neighbours as a set, and a node emits each neighbour at most once, so the volume
    stays bounded by twice the number of distinct edges. That saves a shuffle per step.
    """

    def __init__(self, step: Callable[[str, Iterable[str]], Iterable[tuple[str, str]]]) -> None:
        super().__init__()
        self.step = step

    def expand(self, edges):
        step = self.step
        return (edges
                | "BothWays" >> beam.FlatMap(lambda e: [(e[0], e[1]), (e[1], e[0])])
                | "ByNode" >> beam.GroupByKey()
                | "Step" >> beam.FlatMap(lambda kv: step(kv[0], kv[1]))
                | "Order" >> beam.Map(lambda e: (min(e), max(e))))


STAR, NOT_CONVERGED = "star", "not_converged"


def _star_parent(element):
    """After the last round every edge should be (component minimum, member): ``(STAR, (node, parent))``
    for a node where it is, ``(NOT_CONVERGED, node)`` where it is not."""
    node, roles = element
    parents = {other for role, other in roles if role == "parent_is"}
    children = [other for role, other in roles if role == "child_is"]
    if len(parents) > 1 or (parents and children):
        yield NOT_CONVERGED, node
    elif parents:
        yield STAR, (node, next(iter(parents)))


class _UnionFind(beam.CombineFn):
    """Edges → {node: component minimum}, on one worker: what the rounds did not finish, or on Dask everything."""

    def create_accumulator(self):
        return []

    def add_input(self, acc, edge):
        acc.append(edge)
        return acc

    def merge_accumulators(self, accs):
        return [e for acc in accs for e in acc]

    def extract_output(self, acc):
        return lshlib.clusters_union_find(acc)


class _Components(beam.PTransform):
    """Verified edges → ``(node, component minimum)`` for every non-minimum node; cannot fail.

    ``cc_rounds`` large-star/small-star rounds are unrolled in the graph (distributed; near-duplicate
    graphs converge in a few). If after them any node is not yet in a star, the edges left (about one
    per clustered node by then) are gathered on one worker and finished with union-find, as datatrove
    does for all of them; the counter ``dedup:cc_union_find_edges`` says when that happened.
    On Beam's DaskRunner the rounds are not built at all (``cc_rounds`` is ignored there): every verified
    edge goes to union-find on one worker (docs/engines.md says why).
    """

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds = rounds

    def expand(self, edges):
        if on_dask(edges.pipeline):
            # Beam's DaskRunner recomputes a step for each consumer and a side input for each reader;
            # sixteen shuffles of star rounds plus the fallback's fan-out made the dedup graph too large
            # to schedule. There union-find runs on one worker over all verified edges, as datatrove does.
            return (combine_globally(edges, _UnionFind(), "UnionFind")
                    | "UnionFindParents" >> beam.FlatMap(lambda roots: [(n, r) for n, r in roots.items() if n != r]))
        for r in range(self.rounds):
            edges = (edges
                     | f"LargeStar{r}" >> _StarRound(lshlib.large_star)
                     | f"SmallStar{r}" >> _StarRound(lshlib.small_star))
        roles = (edges
                 | "Roles" >> beam.FlatMap(lambda e: [(e[1], ("parent_is", e[0])), (e[0], ("child_is", e[1]))])
                 | "GroupRoles" >> beam.GroupByKey()
                 | "StarParent" >> beam.FlatMap(_star_parent)
                 | "SplitRoles" >> SplitByTag((STAR, NOT_CONVERGED)))
        unconverged = beam.pvalue.AsSingleton(
            combine_globally(roles[NOT_CONVERGED] | "One" >> beam.Map(lambda _: 1), sum, "CountUnconverged"),
            default_value=0)
        counter = BeamCounter()

        def route(tagged, n):
            # One step reads the decision (a side input read by one step only: Beam's DaskRunner
            # recomputes a side input for each reader).
            kind, value = tagged
            if not n and kind == STAR:
                yield STAR, value
            elif n and kind == "edge":
                counter("dedup:cc_union_find_edges")
                yield "edge", value

        routed = ((roles[STAR] | "TagStars" >> beam.Map(lambda cp: (STAR, cp)),
                   edges | "TagEdges" >> beam.Map(lambda e: ("edge", e)))
                  | "StarsAndEdges" >> beam.Flatten()
                  | "Route" >> beam.FlatMap(route, unconverged)
                  | "SplitRouted" >> SplitByTag((STAR, "edge")))
        finished = (combine_globally(routed["edge"], _UnionFind(), "UnionFind")
                    | "UnionFindParents" >> beam.FlatMap(lambda roots: [(n, r) for n, r in roots.items() if n != r]))
        return (routed[STAR], finished) | "Parents" >> beam.Flatten()


class _Resolve(beam.DoFn):
    """Join each document with its cluster label: members are dropped, the label survives.

    Nodes are :func:`survivor_node` labels, so the smallest node of a cluster (its label)
    is the earliest capture, then the smallest id.
    """

    def __init__(self) -> None:
        self.counter = BeamCounter()

    def process(self, element):
        _, grouped = element
        docs = list(grouped["doc"])
        parent = next(iter(grouped["parent"]), None)
        n_children = len(grouped["children"])
        for doc in docs:
            if parent is not None:
                survivor = node_doc_id(parent)
                self.counter("dropped:dedup:near")
                yield DROPPED, (doc.with_meta(duplicate_of=survivor, dedup_cluster=survivor), "dedup:near")
                yield MEMBER, (survivor, _example(doc))
            else:
                if n_children:
                    yield MEMBER, (doc.id, _example(doc))
                yield KEPT, doc


def _example(doc: Document) -> dict:
    first_line = next((ln.strip() for ln in doc.text.splitlines() if ln.strip()), "")
    return {"id": doc.id, "url": doc.url, "first_line": first_line[:200]}


class NearDedup(beam.PTransform):
    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config

    def expand(self, docs):
        cfg = self.config
        params = cfg.lsh
        sketches = (batch_elements(docs, min(16, cfg.batch_size), cfg.batch_size)
                    | "Sketch" >> beam.ParDo(_Sketch(cfg)))
        buckets = (sketches
                   | "BandKeys" >> beam.FlatMap(_band_records, params)
                   | "Buckets" >> beam.GroupByKey()
                   | "Candidates" >> beam.FlatMap(_pairs_of_bucket, cfg.max_bucket_pairs)
                   | "SplitBuckets" >> SplitByTag((PAIR, LARGE)))
        large = (buckets[LARGE], sketches) | "LargeBucketPairs" >> _LargeBucketPairs(cfg)
        pairs = ((buckets[PAIR], large) | "AllCandidates" >> beam.Flatten()
                 | "DistinctCandidates" >> beam.Distinct())
        edges = pairs if cfg.check == "none" else (pairs, sketches) | "Check" >> _CheckPairs(cfg)
        child_parent = edges | "Components" >> _Components(cfg.cc_rounds)
        children = child_parent | "ChildrenOf" >> beam.Map(lambda cp: (cp[1], cp[0]))
        resolved = ({"doc": docs | "ByNode" >> beam.Map(lambda d: (survivor_node(d), d)),
                     "parent": child_parent, "children": children}
                    | "Join" >> beam.CoGroupByKey()
                    | "Resolve" >> beam.ParDo(_Resolve())
                    | "Split" >> SplitByTag((KEPT, DROPPED, MEMBER)))
        stats = resolved[MEMBER] | "ClusterStats" >> _ClusterStats(cfg)
        return DedupResult(resolved[KEPT], resolved[DROPPED], stats)


class _ClusterStats(beam.PTransform):
    """Number of clusters, cluster-size histogram, and a few example clusters."""

    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config

    def expand(self, members):
        clusters = members | "GroupClusters" >> beam.GroupByKey()
        sizes = combine_globally(
            combine_per_key(clusters | "Size" >> beam.Map(lambda kv: (len(list(kv[1])), 1)), sum, "CountSizes"),
            beam.combiners.ToDictCombineFn(), "Histogram")
        examples = combine_globally(
            clusters | "Members" >> beam.Map(lambda kv: (kv[0], sorted(kv[1], key=lambda m: m["id"]))),
            beam.combiners.TopCombineFn(EXAMPLE_CLUSTERS, key=lambda kv: kv[0], reverse=True), "Smallest")
        config = self.config

        def assemble(_, histogram, examples):
            histogram = {int(k): v for k, v in sorted(histogram.items())}
            return {
                "parameters": config.as_dict(),
                "clusters": sum(histogram.values()),
                "cluster_size_histogram": histogram,
                "examples": [{"survivor": label, "members": members[:EXAMPLE_MEMBERS], "size": len(members)}
                             for label, members in examples],
            }

        return (members.pipeline | "StatsSeed" >> beam.Create([None])
                | "Assemble" >> beam.Map(assemble, beam.pvalue.AsSingleton(sizes, default_value={}),
                                         beam.pvalue.AsSingleton(examples, default_value=[])))


# --- all of it ---------------------------------------------------------------------------------

class Deduplicate(beam.PTransform):
    """Earlier corpora (optional) → URL dedup (newest capture wins) → exact text dedup → near dedup."""

    def __init__(self, config: DedupConfig = DedupConfig(), against: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.config = config
        # Checked here, on the launcher: an incompatible earlier corpus fails before any work.
        self.known = DropKnown(tuple(against), config) if against else None

    def expand(self, docs):
        cfg = self.config
        dropped = []
        if self.known is not None:
            known = docs | "AgainstPrevious" >> self.known
            docs, dropped = known[KEPT], dropped + [known[DROPPED]]
        if cfg.url:
            scope = cfg.url_scope
            by_url = docs | "UrlDedup" >> KeepOnePerKey(lambda d: url_key(d, scope), url_survivor_key, "dedup:url")
            docs, dropped = by_url[KEPT], dropped + [by_url[DROPPED]]
        if cfg.exact:
            by_text = docs | "ExactDedup" >> KeepOnePerKey(_text_key, text_survivor_key, "dedup:exact")
            docs, dropped = by_text[KEPT], dropped + [by_text[DROPPED]]
        if cfg.near:
            near = docs | "NearDedup" >> NearDedup(cfg)
            docs, dropped, stats = near.kept, dropped + [near.dropped], near.stats
        else:
            stats = docs.pipeline | "NoNearStats" >> beam.Create(
                [{"parameters": cfg.as_dict(), "clusters": 0, "cluster_size_histogram": {}, "examples": []}])
        all_dropped = (dropped | "FlattenDropped" >> beam.Flatten() if dropped
                       else docs.pipeline | "NoDrops" >> beam.Create([]))
        return DedupResult(docs, all_dropped, stats)


__all__ = ["Deduplicate", "DedupResult", "DropKnown", "KeepOnePerKey", "NearDedup", "WriteDedupIndex"]


# --- dedup against an earlier corpus -----------------------------------------------------------

PREVIOUS_REASON = "dedup:previous"


def _index_lines(batch: list[Document], params):
    sigs = minhash.signatures([d.text for d in batch], params)
    for doc, sig in zip(batch, sigs):
        yield index_record(doc.id, sig, text_key(doc.text))


class WriteDedupIndex(beam.PTransform):
    """Kept documents → ``OUT/dedup/signatures-i-of-n.jsonl`` so a later build can dedup against them.

    Yields one :class:`~corpus.shards.manifest.FileEntry` per file written; the manifest lists them
    with their sha256, and ``--dedup_against`` verifies them before use.
    """

    def __init__(self, output_dir: str, config: DedupConfig) -> None:
        super().__init__()
        self.output_dir, self.config = output_dir, config

    def expand(self, docs):
        cfg = self.config
        return (batch_elements(docs, min(16, cfg.batch_size), cfg.batch_size, "IndexBatch")
                | "IndexLines" >> beam.FlatMap(_index_lines, cfg.minhash)
                | "KeyById" >> beam.Map(lambda line: (json.loads(line)["id"], line))
                | "WriteIndex" >> WriteLineFiles(self.output_dir, INDEX_DIR, INDEX_PREFIX))


def previous_manifest(corpus_dir: str) -> Manifest:
    """The manifest of an earlier corpus given to ``--dedup_against`` (read on the launcher)."""
    path = f"{corpus_dir.rstrip('/')}/{MANIFEST_NAME}"
    if not FileSystems.exists(path):
        raise ValueError(f"--dedup_against {corpus_dir}: no manifest.json there (not a finished corpus)")
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        try:
            return Manifest.from_json(f.read().decode("utf-8"), source=path)
        except ValueError as e:
            raise ValueError(f"--dedup_against {corpus_dir}: {e}") from None


def previous_dedup_parameters(corpus_dir: str) -> dict:
    """The near-dedup parameters recorded in an earlier corpus's manifest (read on the launcher)."""
    return (previous_manifest(corpus_dir).build or {}).get("dedup") or {}


def previous_index_files(corpus_dir: str) -> list[tuple[str, FileEntry]]:
    """``(absolute path, manifest entry)`` of every dedup index file of an earlier corpus.

    Refuses a corpus whose manifest lists no index (built with dedup off, or by a version that did
    not list it) and one whose listed files are missing or have another size; the sha256 of each
    file is checked when a worker reads it (:func:`_read_verified_index`).
    """
    root = corpus_dir.rstrip("/")
    manifest = previous_manifest(root)
    if manifest.dedup_index is None:
        raise ValueError(f"--dedup_against {corpus_dir}: its manifest lists no dedup index (built with "
                         f"--skip dedup, or by an older version); rebuild it to deduplicate against it")
    files = [(f"{root}/{e.path}", e) for e in manifest.dedup_index.files]
    for path, entry in files:
        matched = FileSystems.match([path])[0].metadata_list
        if not matched:
            raise ValueError(f"--dedup_against {corpus_dir}: dedup index file {entry.path} is missing")
        if matched[0].size_in_bytes != entry.bytes:
            raise ValueError(f"--dedup_against {corpus_dir}: dedup index file {entry.path} has "
                             f"{matched[0].size_in_bytes} bytes, the manifest says {entry.bytes}")
    return files


def _read_verified_index(item: tuple[str, FileEntry]):
    """The records of one index file, after its bytes match the manifest's sha256."""
    path, entry = item
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise ValueError(f"--dedup_against: {path} has sha256 {digest}, its corpus's manifest says {entry.sha256}; "
                         "the earlier corpus was modified after it was built")
    for line in data.decode("utf-8").splitlines():
        if line:
            yield parse_index_record(line, path)


def _known_in_bucket(element, threshold: float):
    """New nodes of one band bucket that are near duplicates of an earlier document in it."""
    _, members = element
    members = list(members)
    previous = [sig for kind, _, sig in members if kind == "p"]
    if not previous:
        return
    for kind, node, sig in members:
        if kind == "n" and any(lshlib.similar(sig, p, threshold) for p in previous):
            yield node


class DropKnown(beam.PTransform):
    """Drop new documents an earlier corpus already holds, as ``dedup:previous``.

    Exact copies are found by the exact-text key, near duplicates by band keys shared with
    the earlier corpus's signatures and the signature check (the earlier shingles are not
    kept, so the check is the signature estimate). Returns ``{KEPT, DROPPED}``.
    """

    def __init__(self, previous_dirs: tuple[str, ...], config: DedupConfig) -> None:
        super().__init__()
        self.files = []
        for d in previous_dirs:
            check_compatible(previous_dedup_parameters(d), config, f"--dedup_against {d}")
            self.files += previous_index_files(d)
        self.config = config

    def expand(self, docs):
        cfg, params = self.config, self.config.lsh
        previous = (docs.pipeline | "IndexFiles" >> beam.Create(self.files)
                    | "SpreadIndexFiles" >> beam.Reshuffle()
                    | "ReadIndex" >> beam.FlatMap(_read_verified_index))
        new = (batch_elements(docs, min(16, cfg.batch_size), cfg.batch_size, "KnownBatch")
               | "KnownSketch" >> beam.ParDo(_Sketch(dataclasses.replace(cfg, check="signature"))))
        bands = (
            (new | "NewBands" >> beam.FlatMap(
                lambda s: [(k, ("n", s[0], s[1])) for k in lshlib.band_keys(s[1], params)]),
             previous | "PrevBands" >> beam.FlatMap(
                 lambda r: [(k, ("p", r[0], r[1])) for k in lshlib.band_keys(r[1], params)]))
            | "AllBands" >> beam.Flatten() | "Buckets" >> beam.GroupByKey()
            | "NearKnown" >> beam.FlatMap(_known_in_bucket, cfg.threshold))
        exact = (
            {"new": docs | "NewKeys" >> beam.Map(lambda d: (text_key(d.text), survivor_node(d))),
             "prev": previous | "PrevKeys" >> beam.Map(lambda r: (r[2], 1))}
            | "JoinKeys" >> beam.CoGroupByKey()
            | "ExactKnown" >> beam.FlatMap(lambda kv: kv[1]["new"] if kv[1]["prev"] else []))
        known = ((bands, exact) | "Known" >> beam.Flatten() | "KnownOnce" >> beam.Distinct()
                 | "KnownKey" >> beam.Map(lambda node: (node, True)))

        def resolve(element):
            _, grouped = element
            is_known = bool(grouped["known"])
            for doc in grouped["doc"]:
                yield (DROPPED, (doc, PREVIOUS_REASON)) if is_known else (KEPT, doc)

        return ({"doc": docs | "DocByNode" >> beam.Map(lambda d: (survivor_node(d), d)), "known": known}
                | "JoinKnown" >> beam.CoGroupByKey()
                | "ResolveKnown" >> beam.FlatMap(resolve)
                | "SplitKnown" >> SplitByTag((KEPT, DROPPED)))
