"""`corpusforge finetune` == `python -m training.finetune`: parse the three dataclasses, then train or predict.

Bad input (a flag, a file, a record) ends with one line naming the thing and exit status 2, like
argparse's own errors; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import sys

from transformers import HfArgumentParser

from training.finetune.config import DataArguments, FinetuneArguments, InputError, ModelArguments

PROG = "corpusforge finetune"
EXIT_BAD_INPUT = 2


def parse_args(argv: list[str] | None) -> tuple[ModelArguments, DataArguments, FinetuneArguments]:
    parser = HfArgumentParser((ModelArguments, DataArguments, FinetuneArguments), prog=PROG,
                              description="Fine-tune a pretrained model (corpusforge train's OUT/final) as a "
                                          "text classifier, or classify a file with one (--predict).")
    return parser.parse_args_into_dataclasses(args=argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        model_args, data_args, args = parse_args(argv)
        if data_args.predict is not None:
            from training.finetune.predict import predict_file

            output, summary = predict_file(model_args.model, data_args.predict, data_args.predictions_file,
                                           batch_size=args.eval_batch_size, **data_args.field_overrides())
            accuracy = f", accuracy {summary['accuracy']:.4f} on {summary['labelled']} labelled" \
                if summary["accuracy"] is not None else ""
            print(f"predictions for {summary['examples']} examples{accuracy}: {output}")
            return 0
        from training.finetune.train import run

        run(model_args, data_args, args)
        return 0
    except InputError as err:  # validation of flags, files and records: the message names the thing
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
