"""The `corpusforge` command line: a thin dispatcher above corpus/, pipelines/ and training/.

It lives outside the three packages because it is the one place that may reach both
pipelines/ (Beam) and training/ (torch); it imports each lazily, per subcommand.
"""
__version__ = "0.1.0"
