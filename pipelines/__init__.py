"""Apache Beam pipelines: thin transforms around corpus/, and the `build` / `crawl` entry points."""
