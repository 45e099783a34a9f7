"""Write dataflow_templates/build/metadata.json from :class:`pipelines.options.BuildOptions`.

The Flex Template's parameters are the build's options: names and help texts are read from the
options class, the enumerations from the constants the configs validate against, so the two cannot
drift (tests/test_dataflow_template.py fails when metadata.json differs from what this writes).
What the options class cannot say (a label, the validation regex, the console's input picker, a
note where the template takes a value differently) is in :data:`SPECS` and :data:`TEMPLATE_NOTES`;
an option without a spec is an error here.

    python scripts/gen_flex_metadata.py          # rewrite metadata.json
    python scripts/gen_flex_metadata.py --check  # exit 1 when metadata.json is out of date
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NamedTuple

from corpus.extract.html import METHODS as HTML_METHODS
from corpus.tokenizer.train import MODEL_TYPES
from pipelines.options import SHARD_FORMATS, SKIPPABLE, URL_DEDUP, BuildOptions

REPO = Path(__file__).resolve().parent.parent
METADATA_PATH = REPO / "dataflow_templates" / "build" / "metadata.json"
TEMPLATE_NAME = "corpusforge-build"
TEMPLATE_DESCRIPTION = (
    "corpusforge build: raw web (WARC/ARC/WET) and Wikipedia dumps, JSONL, Parquet or text on Cloud Storage "
    "-> extracted, cleaned, language-filtered, quality-filtered, deduplicated and tokenized shards with "
    "a manifest and a quality report in output_dir.")

# Options that are not template parameters, and why.
EXCLUDED = {
    "config": "a YAML file would have to be inside the launcher container; template parameters replace it",
}

# Appended to an option's help text where the template takes its value differently from the command line.
TEMPLATE_NOTES = {
    "input": " In this template: one parameter, globs separated by ';' or ',', on gs:// only.",
    "output_dir": " In this template: a gs:// directory.",
    "dedup_against": " In this template: one parameter, gs:// corpus directories separated by ';' or ','.",
}

_FRACTION = r"^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$"
_POSITIVE_INT = r"^[1-9][0-9]*$"
_BOOLEAN = r"^(true|false)$"
_GCS_BUCKET = r"gs://[a-z0-9][-_.a-z0-9]*[a-z0-9]"
# fastText lid.176 labels are two or three lowercase letters.
_LANGUAGE = r"[a-z]{2,3}"


def _one_of(values: tuple[str, ...]) -> str:
    return "(" + "|".join(values) + ")"


class Spec(NamedTuple):
    label: str
    regex: str
    param_type: str = "TEXT"


SPECS: dict[str, Spec] = {
    "input": Spec("Input globs", rf"^{_GCS_BUCKET}/[^;,]+([;,]\s*{_GCS_BUCKET}/[^;,]+)*$"),
    "output_dir": Spec("Output corpus directory", rf"^{_GCS_BUCKET}(/.*)?$", "GCS_WRITE_FOLDER"),
    "overwrite": Spec("Overwrite an existing corpus", _BOOLEAN, "BOOLEAN"),
    "languages": Spec("Languages to keep", rf"^(all|{_LANGUAGE}(,{_LANGUAGE})*)$"),
    "min_lang_score": Spec("Minimum language score", _FRACTION),
    "html_extractor": Spec("HTML extractor", rf"^{_one_of(HTML_METHODS)}$"),
    "url_dedup": Spec("URL dedup scope", rf"^{_one_of(URL_DEDUP)}$"),
    "dedup_threshold": Spec("Near-duplicate Jaccard threshold", _FRACTION),
    "num_perm": Spec("MinHash permutations", _POSITIVE_INT),
    "dedup_ngram": Spec("MinHash shingle size", _POSITIVE_INT),
    "dedup_cc_rounds": Spec("Duplicate clustering rounds", _POSITIVE_INT),
    "dedup_against": Spec("Earlier corpora to dedup against",
                          rf"^{_GCS_BUCKET}(/[^;,]*)?([;,]\s*{_GCS_BUCKET}(/[^;,]*)?)*$"),
    "vocab_size": Spec("Tokenizer vocabulary size", _POSITIVE_INT),
    "tokenizer_type": Spec("Tokenizer model type", rf"^{_one_of(MODEL_TYPES)}$"),
    "tokenizer": Spec("Existing sentencepiece model", rf"^{_GCS_BUCKET}/.+$", "GCS_READ_FILE"),
    "shard_format": Spec("Shard format", rf"^{_one_of(SHARD_FORMATS)}$"),
    "shard_bytes": Spec("Maximum shard size in bytes", _POSITIVE_INT),
    "keep_text": Spec("Keep document text in shards", _BOOLEAN, "BOOLEAN"),
    "validation_fraction": Spec("Validation fraction", _FRACTION),
    "skip": Spec("Stages to skip", rf"^({_one_of(SKIPPABLE)}(,{_one_of(SKIPPABLE)})*)?$"),
    "reject_sample_rate": Spec("Sampled rejects per reason", _FRACTION),
}


def option_actions() -> list[argparse.Action]:
    """The argparse actions :class:`BuildOptions` declares, in declaration order."""
    parser = argparse.ArgumentParser(add_help=False)
    BuildOptions._add_argparse_args(parser)
    return list(parser._actions)


def parameter(action: argparse.Action) -> dict[str, Any]:
    """One metadata.json parameter for one option: required only when the build cannot run without it."""
    spec = SPECS[action.dest]
    required = action.dest in ("input", "output_dir")
    return {
        "name": action.dest,
        "label": spec.label,
        "helpText": action.help + TEMPLATE_NOTES.get(action.dest, ""),
        "isOptional": not required,
        "regexes": [spec.regex],
        "paramType": spec.param_type,
    }


def metadata() -> dict[str, Any]:
    """The whole metadata.json; ValueError names any option that has neither a spec nor an exclusion."""
    actions = [a for a in option_actions() if a.dest not in EXCLUDED]
    missing = sorted(a.dest for a in actions if a.dest not in SPECS)
    stale = sorted(set(SPECS) - {a.dest for a in actions})
    if missing or stale:
        raise ValueError(f"scripts/gen_flex_metadata.py SPECS is out of date with BuildOptions: "
                         f"options without a spec {missing}, specs without an option {stale}")
    return {
        "name": TEMPLATE_NAME,
        "description": TEMPLATE_DESCRIPTION,
        "streaming": False,
        "parameters": [parameter(a) for a in actions],
    }


def render() -> str:
    return json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when metadata.json is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = METADATA_PATH.read_text(encoding="utf-8") if METADATA_PATH.exists() else ""
        if current != text:
            print(f"{METADATA_PATH} is out of date: run python scripts/gen_flex_metadata.py", file=sys.stderr)
            return 1
        return 0
    METADATA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {METADATA_PATH} ({len(metadata()['parameters'])} parameters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
