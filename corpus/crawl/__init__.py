"""The crawler's logic, without Beam: what `corpusforge crawl` (pipelines/crawl.py) runs on each worker.

    urls        normal forms, dedup keys, host queues, scope (w3lib, tldextract offline)
    robots      robots.txt per RFC 9309 (protego)
    fetch       one HTTP exchange with the safety limits, to a checked and pinned address
    politeness  per-host delay, Crawl-delay, Retry-After back-off
    links       links of an HTML page (lxml)
    writer      WARC files (warcio): warcinfo, request, response, revisit; rotation
    state       per-host journal, robots cache and lock; salvage after a kill
    host        one host's URLs of a round, crawled in order; a thread pool over hosts
    frontier    the decisions between rounds: once per URL, scope, depth, page budget
    log         crawl log entries and the summary
    serve       local sites for tests, benchmarks and the demo (and a WARC replayer)

docs/crawl.md describes the behaviour; docs/benchmarks/crawl.md the measurements.
"""
