"""Dataflow Flex Template launcher of `corpusforge build`: builds the pipeline, submits it, returns.

The template's launcher VM runs this file as ``python launcher.py --name=value ...``: one flag per
template parameter, plus the runner's own (``--runner``, ``--project``, ``--region``, ``--job_name``,
``--temp_location``, ``--template_location``, ``--sdk_container_image``, ...). Two things differ
from the command line and are undone by :func:`expand_template_args` before the options are parsed:

* a template parameter holds one value, so ``input`` is a list of globs separated by ``;`` or ``,``
  that becomes repeated ``--input`` flags;
* booleans arrive as ``--keep_text=true|false``; Beam's flags are bare switches (``store_true``).

It does not wait for the job (Google's rule for Flex Templates: the program must exit after
``run()``), unlike ``pipelines.build.run``, whose ``with beam.Pipeline`` waits.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions, WorkerOptions
from apache_beam.runners.runner import PipelineResult

from corpus.shards.manifest import MANIFEST_NAME
from pipelines.build import EXIT_EXISTS, EXIT_USAGE, build_pipeline
from pipelines.options import BuildOptions, build_config

LOG = logging.getLogger("corpusforge.flex_launcher")

INPUT_SEPARATORS = re.compile(r"\s*[;,]\s*")
DATAFLOW_RUNNERS = ("DataflowRunner", "dataflow")


class TemplateArgumentError(ValueError):
    """A template parameter that cannot be turned into a build flag; the message names it."""


def boolean_options() -> frozenset[str]:
    """Flags of :class:`BuildOptions` that are bare switches (``store_true``)."""
    parser = argparse.ArgumentParser(add_help=False)
    BuildOptions._add_argparse_args(parser)
    return frozenset(a.option_strings[0] for a in parser._actions if isinstance(a, argparse._StoreTrueAction))


# Repeatable build options: one template parameter holds their values separated by ';' or ','.
REPEATED = ("--input", "--dedup_against")


def split_inputs(value: str, name: str = "--input") -> list[str]:
    """``"gs://a/*.warc.gz; gs://b/x.xml.bz2"`` → both globs; empty pieces are an error, not skipped."""
    globs = INPUT_SEPARATORS.split(value.strip())
    if not value.strip() or any(not g for g in globs):
        raise TemplateArgumentError(f"{name}: empty value in {value!r}; separate values with ';' or ','")
    return globs


def _flag_and_value(argv: list[str], i: int) -> tuple[str, str | None, int]:
    """The flag at ``argv[i]``, its value (``--f=v`` or ``--f v``), and the index after them."""
    arg = argv[i]
    if "=" in arg:
        flag, value = arg.split("=", 1)
        return flag, value, i + 1
    if i + 1 < len(argv) and not argv[i + 1].startswith("--"):
        return arg, argv[i + 1], i + 2
    return arg, None, i + 1


def expand_template_args(argv: Sequence[str]) -> list[str]:
    """Template parameters → the build's flags; every other argument passes unchanged, in order."""
    argv = list(argv)
    switches = boolean_options()
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name == "--config":
            raise TemplateArgumentError("--config: not a template parameter; give the options as parameters")
        if name in REPEATED:
            flag, value, i = _flag_and_value(argv, i)
            if value is None:
                raise TemplateArgumentError(f"{name}: no value")
            for glob in split_inputs(value, name):
                out += [flag, glob]
            continue
        if name in switches and "=" in arg:
            value = arg.split("=", 1)[1]
            if value not in ("true", "false"):  # what the metadata's regex lets through
                raise TemplateArgumentError(f"{name}: expected true or false, got {value!r}")
            if value == "true":
                out.append(name)
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


def launch(argv: Sequence[str]) -> PipelineResult:
    """Validate, refuse a finished corpus, build and submit; returns the runner's result unwaited."""
    options = PipelineOptions(expand_template_args(argv))
    cfg = build_config(options.view_as(BuildOptions))
    runner = options.view_as(StandardOptions).runner
    if runner in DATAFLOW_RUNNERS and not options.view_as(WorkerOptions).sdk_container_image:
        raise TemplateArgumentError(
            "--sdk_container_image: required on Dataflow. The workers must run this template's image, "
            "which holds corpusforge and its dependencies: pass --parameters sdk_container_image=IMAGE")
    manifest = f"{cfg.output_dir}/{MANIFEST_NAME}"
    if FileSystems.exists(manifest) and not cfg.overwrite:
        raise FileExistsError(f"{manifest} exists: {cfg.output_dir} is a finished corpus. "
                              "Choose another output_dir or set overwrite=true to rebuild it.")
    pipeline = beam.Pipeline(options=options)
    build_pipeline(pipeline, cfg)
    result = pipeline.run()
    LOG.info("corpusforge build submitted: %d input pattern(s) -> %s (runner %s)",
             len(cfg.inputs), cfg.output_dir, runner or "DirectRunner")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    logging.getLogger().setLevel(logging.INFO)
    try:
        launch(argv)
    except FileExistsError as e:
        LOG.error("corpusforge build: %s", e)
        return EXIT_EXISTS
    except ValueError as e:  # TemplateArgumentError and build_config's messages name the option
        LOG.error("corpusforge build: %s", e)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
