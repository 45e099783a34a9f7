"""`corpusforge demo`: every stage that exists, run on the sample corpus shipped in the package.

Each stage prints what it did, and the command that does the same by hand. Later stages are
appended here as they land, so the demo is always the shortest honest tour of what the system does
today: crawl → build → report → pretrain → fine-tune, with the accuracy that pretraining bought.

Everything goes under ``--output_dir`` (default ``out/demo``)::

    crawl/          `corpusforge crawl` output: WARC files of the sample's sites, served on 127.0.0.1
    corpus/         the built corpus (manifest, tokenizer, shards, report/index.html)
    model/          `corpusforge train` output; model/final is the pretrained model
    classifier/     the sentiment classifier fine-tuned from model/final (eval.json, predictions)
    scratch/        the same architecture fine-tuned from random weights: the baseline
    classifier-seedN/, scratch-seedN/   the same two with other fine-tuning seeds (the comparison is a mean)
"""
from __future__ import annotations

import argparse
import json
import shlex
import shutil
import time
from collections import Counter
from pathlib import Path

from corpus import sample
from corpusforge.cli import is_available

# Small enough for the sample corpus; large enough for its Chinese and Japanese characters.
DEMO_VOCAB_SIZE = 2000
DEMO_VALIDATION_FRACTION = 0.05
# A few minutes of masked-LM pretraining of Google's BERT-Tiny size (2 layers, 128 wide) on 2 cores.
PRETRAIN_MODEL = "bert-tiny"
# A step budget, not a time budget: on a slower or busier machine the demo takes longer but shows the same
# result (180 s gave ~1,100 steps on a quiet 2-core machine and under 200 on a loaded one, too few to help).
# 2,000 steps (~24 passes over the sample's 84 k tokens): after 1,000, whether the model had tied the unseen
# opinion words to the seen ones depended on the run (one run in six: 0.77 test accuracy after fine-tuning,
# and 0.97 on the same corpus with another pretraining seed); after 2,000, still one run in four (0.82).
PRETRAIN_STEPS = 2000
# Each review is positive or negative throughout; packed into 128-token rows, a row that spans two reviews
# lets masked opinion words be predicted from a review of the other polarity. Attention within each
# document takes that away: with it, 2,000 steps gave 0.99-1.00 in four runs out of four, that
# failing one included (docs/benchmarks.md, "The demo's comparison").
PRETRAIN_FLAGS = ["--block_document_attention"]
# Fine-tuning settings, the same for the pretrained and the scratch run. The rate is finetune's default:
# at 1e-3 the pretrained model's test accuracy swung between 0.82 and 0.955 with the seed alone (0.945 and
# 0.955 at 1e-4).
FINETUNE_FLAGS = ["--learning_rate", "1e-4", "--batch_size", "16", "--num_train_epochs", "15",
                  "--early_stopping_patience", "4", "--validation_fraction", "0.1"]
# Each side is fine-tuned once per seed (initialisation of the head, order of the examples) and the mean
# is compared: one fine-tuning run of 400 examples moves by several points with its seed alone.
FINETUNE_SEEDS = (0, 1, 2)


def _section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)), flush=True)


def _table(rows: list[tuple], header: tuple) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header, *rows]:
        print("  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def _command(name: str, argv: list[str]) -> None:
    print(f"$ corpusforge {name} {shlex.join(argv)}", flush=True)


def show_sample() -> dict:
    """The sample corpus and its planted cases."""
    _section("sample corpus")
    planted = sample.load_planted()
    print(f"  {sample.DATA_DIR}")
    for name in sorted(planted["files"]):
        size = (sample.DATA_DIR / name).stat().st_size
        entry = {k: v for k, v in planted["files"][name].items() if k in ("records", "responses", "pages", "lines",
                                                                           "rows", "labels")}
        print(f"  {name:<32} {size:>9,} bytes  {entry}")
    kinds = Counter((c["file"], c["kind"], c["expect"]) for c in planted["cases"])
    _table([(f, k, e, n) for (f, k, e), n in sorted(kinds.items())], ("file", "planted kind", "expect", "cases"))
    return planted


def run_crawl(output_dir: Path) -> list[str]:
    """`corpusforge crawl` of the sample's web sites, served from the pages recorded in the sample WARC on
    local addresses (robots.txt, redirects and error pages included); returns the WARC patterns to build."""
    from pipelines import crawl

    _section("corpusforge crawl: the sample's sites, served on 127.0.0.1 from the sample WARC")
    print(f"  by hand: serve your own sites, then corpusforge crawl --seeds seeds.txt --output_dir {output_dir}")
    shutil.rmtree(output_dir, ignore_errors=True)  # a rerun of the demo crawls afresh (a crawl resumes otherwise)
    code = crawl.crawl_replayed_warc(sample.WARC, output_dir)
    if code != 0:
        raise RuntimeError(f"corpusforge crawl failed with status {code} (see above)")
    warcs = sorted(output_dir.glob("*.warc.gz"))
    print(f"  {len(warcs)} WARC file(s) in {output_dir}: {', '.join(p.name for p in warcs)}")
    return [str(output_dir / "*.warc.gz")]


def run_build(output_dir: Path, web: list[str]) -> int:
    """`corpusforge build` on the crawled pages, the rest of the sample corpus and the unlabelled reviews:
    every stage, the report, the manifest.

    The reviews (``sentiment-unlabelled.jsonl``) are what pretraining learns the opinion words from;
    the labelled sentiment files are not built into the corpus.
    """
    from pipelines import build

    _section("corpusforge build: crawled pages, Wikipedia dump, JSONL files (Apache Beam, DirectRunner)")
    rest = [str(p) for p in (*sample.INPUTS, sample.SENTIMENT_UNLABELLED) if p != sample.WARC]
    inputs = [arg for path in (*web, *rest) for arg in ("--input", path)]
    # 5% for validation (the default 0.5% of ~300 documents may be none): pretraining reports its validation loss
    argv = [*inputs, "--output_dir", str(output_dir), "--overwrite", "--vocab_size", str(DEMO_VOCAB_SIZE),
            "--validation_fraction", str(DEMO_VALIDATION_FRACTION)]
    _command("build", argv)
    return build.run(argv)


def run_pretrain(corpus_dir: Path, output_dir: Path, steps: int) -> Path | None:
    """`corpusforge train`: masked-LM pretraining of a tiny BERT for ``steps`` steps; returns OUT/final."""
    from training import pretrain

    _section(f"corpusforge train: {PRETRAIN_MODEL}, masked LM, {steps} steps")
    argv = ["--data", str(corpus_dir), "--objective", "mlm", "--model", PRETRAIN_MODEL,
            "--max_steps", str(steps), *PRETRAIN_FLAGS, "--output_dir", str(output_dir), "--overwrite"]
    _command("train", argv)
    code = pretrain.main(argv)
    if code not in (0, None):
        return None
    evals = [json.loads(line) for line in (output_dir / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
             if '"val_loss"' in line]
    if evals:
        last = evals[-1]
        print(f"  validation after step {last['step']}: loss {last['val_loss']:.3f} nats/token, masked-token "
              f"accuracy {last.get('val_mlm_acc', float('nan')):.3f} (metrics per step: {output_dir / 'metrics.jsonl'})")
    return output_dir / "final"


def finetune_pair(pretrained: Path, output_dir: Path, *, seeds: tuple[int, ...] = FINETUNE_SEEDS,
                  extra_flags: list[str] | None = None) -> dict[str, list[dict]]:
    """Fine-tune ``pretrained`` and, as the baseline, the same architecture from scratch on the sample's
    sentiment files, once per seed; returns each run's eval.json, keyed ``pretrained`` and ``scratch``,
    in the order of ``seeds``. The first seed's classifiers are ``classifier/`` and ``scratch/``, the
    others ``classifier-seedN/`` and ``scratch-seedN/``."""
    from training.finetune import main as finetune

    results: dict[str, list[dict]] = {"pretrained": [], "scratch": []}
    for i, seed in enumerate(seeds):
        for name, scratch in (("pretrained", False), ("scratch", True)):
            out = output_dir / (("classifier" if name == "pretrained" else "scratch") + (f"-seed{seed}" if i else ""))
            start = "from random weights (baseline)" if scratch else f"from {pretrained}"
            _section(f"corpusforge finetune: sentiment, {start}, seed {seed}")
            argv = ["--model", str(pretrained), "--train", str(sample.SENTIMENT_TRAIN), "--test",
                    str(sample.SENTIMENT_TEST), "--output_dir", str(out), "--overwrite", *FINETUNE_FLAGS,
                    "--seed", str(seed), *(extra_flags or [])]
            if scratch:
                argv.append("--from_scratch")
            _command("finetune", argv)
            if finetune(argv) != 0:
                raise RuntimeError(f"corpusforge finetune failed for the {name} run, seed {seed} (see above)")
            results[name].append(json.loads((out / "eval.json").read_text(encoding="utf-8")))
    return results


def mean_test_accuracy(runs: list[dict]) -> float:
    return sum(ev["test"]["accuracy"] for ev in runs) / len(runs)


def show_comparison(results: dict[str, list[dict]]) -> None:
    """Test accuracy of the pretrained and the scratch classifiers, seed by seed, and the means."""
    _section("what pretraining bought (sentiment test set)")
    rows = []
    for name, runs in results.items():
        for ev in runs:
            test = ev["test"]
            rows.append((name, ev["finetune_arguments"]["seed"], f"{test['accuracy']:.3f}", f"{test['macro_f1']:.3f}",
                         f"{ev['validation']['accuracy']:.3f}", f"{ev['training']['epochs']:g}",
                         f"{ev['training']['seconds']:.0f} s"))
    _table(rows, ("start", "seed", "test accuracy", "test macro-F1", "validation accuracy", "epochs", "time"))
    pretrained, scratch = mean_test_accuracy(results["pretrained"]), mean_test_accuracy(results["scratch"])
    majority = results["pretrained"][0]["test"]["majority_class"]["accuracy"]
    n = len(results["pretrained"])
    print(f"\n  mean test accuracy over {n} seed{'s' if n > 1 else ''}: pretrained {pretrained:.3f}, "
          f"from scratch {scratch:.3f}")
    print(f"  pretraining: {100 * (pretrained - scratch):+.1f} accuracy points over the same model from scratch "
          f"(always guessing the majority class: {majority:.3f})")


def run_predict(classifier: Path) -> Path:
    """`corpusforge finetune --predict`: class probabilities for the test file, as JSONL."""
    from training.finetune import main as finetune

    _section("corpusforge finetune --predict")
    out = classifier / "predictions-sentiment-test.jsonl"
    argv = ["--predict", str(sample.SENTIMENT_TEST), "--model", str(classifier), "--predictions_file", str(out)]
    _command("finetune", argv)
    if finetune(argv) != 0:
        raise RuntimeError("corpusforge finetune --predict failed (see above)")
    with open(out, encoding="utf-8") as f:
        print("  first line: " + f.readline().strip())
    return out


def show_artefacts(root: Path) -> None:
    """Where every artefact of the demo is."""
    _section("artefacts")
    items = [("crawled WARC files and crawl log", root / "crawl"),
             ("quality report (open in a browser)", root / "corpus" / "report" / "index.html"),
             ("corpus manifest", root / "corpus" / "manifest.json"),
             ("corpus tokenizer", root / "corpus" / "tokenizer"),
             ("pretraining metrics (JSONL; TensorBoard: model/tensorboard)", root / "model" / "metrics.jsonl"),
             ("pretrained model (AutoModelForMaskedLM)", root / "model" / "final"),
             ("sentiment classifier (AutoModelForSequenceClassification)", root / "classifier"),
             ("its evaluation", root / "classifier" / "eval.json"),
             ("its test-set predictions", root / "classifier" / "predictions-sentiment-test.jsonl"),
             ("baseline classifier, from scratch", root / "scratch"),
             *(item for seed in FINETUNE_SEEDS[1:]
               for item in ((f"classifier, fine-tuning seed {seed}", root / f"classifier-seed{seed}"),
                            (f"baseline classifier, fine-tuning seed {seed}", root / f"scratch-seed{seed}")))]
    for what, path in items:
        if path.exists():
            print(f"  {what:<60} {path.resolve()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpusforge demo", description=__doc__.splitlines()[0])
    parser.add_argument("--output_dir", default="out/demo", help="Where everything is written (default: out/demo).")
    parser.add_argument("--pretrain_steps", type=int, default=PRETRAIN_STEPS,
                        help=f"Optimizer steps of the pretraining (default: {PRETRAIN_STEPS}).")
    args = parser.parse_args(argv)
    root = Path(args.output_dir)
    started = time.perf_counter()
    show_sample()
    code = run_build(root / "corpus", run_crawl(root / "crawl"))
    if code != 0:
        return code
    print(f"\nsummarise the quality report again with: corpusforge report {root / 'corpus'}")
    if not is_available("train"):
        print("\nNot in the demo yet (see README status): pretraining, so nor fine-tuning, which starts from it.")
        return 0
    pretrained = run_pretrain(root / "corpus", root / "model", args.pretrain_steps)
    if pretrained is None:
        return 1
    show_comparison(finetune_pair(pretrained, root))
    run_predict(root / "classifier")
    show_artefacts(root)
    print(f"\ndemo finished in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
