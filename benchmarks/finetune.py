"""What pretraining buys: sentence polarity, pretrained vs the same model from scratch vs TF-IDF + LR.

Input: ../shared/data/sentence_polarity.zip (Pang & Lee: 5,331 positive and 5,331 negative movie-review
sentences), split once, stratified, 90/10 with seed 0 (sklearn ``train_test_split``). One run does,
side by side on the same machine:

1. ``corpusforge build`` of a pretraining corpus from the English text of ../shared/data (the Wikipedia
   dump, Tiny Shakespeare, the lingua sentences; ``--languages en``) plus the *unlabelled* training
   sentences — never the test sentences — shuffled with a fixed seed and grouped
   ``--sentences_per_document`` to a document (default 20: a random mix of both labels, so the grouping
   carries no label; 1 makes every sentence its own document, which then needs
   ``"--build_flags=--skip quality"``: the quality filters drop one-sentence documents).
2. ``corpusforge train --objective mlm`` on it for ``--pretrain_seconds``; with ``--continue_steps N``, then
   ``corpusforge train --init_from`` that model for N more steps on a corpus of the unlabelled training
   sentences alone, built with the first corpus's tokenizer (domain- then task-adaptive pretraining, as in
   Gururangan et al. 2020, "Don't Stop Pretraining"); the continued model is the one fine-tuned.
3. ``corpusforge finetune`` of the pretrained model, and of the same architecture and tokenizer with
   ``--from_scratch``, each with the learning rates of ``--lrs`` and the seeds of ``--seeds``: a run
   holds out 10% of the training sentences for validation (early stopping, best checkpoint), drawn by
   its seed, so runs with the same seed hold out the same sentences; each side reports, for the learning
   rate with the best mean validation accuracy over the seeds, the mean test accuracy. Several seeds
   average out the run-to-run variation of fine-tuning (a point or two here), not the sampling error of
   the one test set (1,067 sentences: a standard error of 1.3 points on an accuracy near 0.75).
   ``--jobs N`` runs N fine-tuning runs at the same time (``--parallel``: 2); each has one thread.
4. TF-IDF (word 1-2-grams) + logistic regression (scikit-learn) on the same training part, its ``C``
   chosen on the same validation part (per seed).

Targets (issue 15): pretrained ≥ scratch + 5 accuracy points, pretrained ≥ TF-IDF + LR.

    .venv/bin/python benchmarks/finetune.py [--pretrain_seconds 1200] [--model bert-mini] [--workdir DIR]

Each run writes WORKDIR/results-<UTC time>.json (and a copy as WORKDIR/results.json, the latest run).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path(os.environ.get("CORPUSFORGE_SHARED_DATA", ROOT.parent.parent / "shared" / "data"))
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
POLARITY_ZIP = DATA / "sentence_polarity.zip"
SHARED_TEXT = ["enwiki-shortened.xml.bz2", "tinyshakespeare.txt", "lingua/en.txt"]
TEST_FRACTION = 0.1
SPLIT_SEED = 0
SENTENCES_PER_DOCUMENT = 20
VALIDATION_FRACTION = 0.1
FINETUNE_SEED = 0
TFIDF_CS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_PRINT = threading.Lock()


def say(line: str) -> None:
    """One whole line to stdout (runs print from several threads under --jobs)."""
    with _PRINT:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def load_polarity(path: Path = POLARITY_ZIP) -> list[tuple[str, str]]:
    """(sentence, label) for every line of rt-polarity.pos / .neg (Latin-1 text), positives first."""
    rows = []
    with zipfile.ZipFile(path) as z:
        for label in ("pos", "neg"):
            text = z.read(f"sentence_polarity/rt-polarity.{label}").decode("latin-1")
            rows += [(line.strip(), label) for line in text.splitlines() if line.strip()]
    return rows


def split(rows: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The fixed 90/10 split: stratified, seed 0."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(rows, test_size=TEST_FRACTION, random_state=SPLIT_SEED,
                                   stratify=[y for _, y in rows])
    return list(train), list(test)


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


def write_unlabelled(path: Path, sentences: list[str], per_document: int = SENTENCES_PER_DOCUMENT) -> Path:
    """The training sentences without labels, shuffled (seed 0) and grouped ``per_document`` to a document."""
    order = list(sentences)
    random.Random(SPLIT_SEED).shuffle(order)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(0, len(order), per_document):
            # five digits since runs 3 and 4 of docs/benchmarks.md; runs 1 and 2 were built with four, so a
            # rebuild of their settings now draws another corpus validation split (ids feed its hash)
            doc = {"id": f"polarity-train-{i // per_document:05d}",
                   "text": "\n".join(order[i:i + per_document]),
                   "url": f"https://polarity.example/train/{i // per_document}"}
            f.write(json.dumps(doc) + "\n")
    return path


def corpusforge(*argv: str, log: Path, env: dict[str, str] | None = None) -> float:
    """Run `corpusforge ARGV` in a subprocess (output to ``log``; ``env`` added to the environment)."""
    started = time.perf_counter()
    say(f"$ corpusforge {' '.join(argv)}")
    with open(log, "w", encoding="utf-8") as f:
        code = subprocess.call([sys.executable, "-m", "corpusforge", *argv], stdout=f, stderr=subprocess.STDOUT,
                               cwd=ROOT, env={**os.environ, **(env or {})})
    if code != 0:
        raise SystemExit(f"corpusforge {argv[0]} failed with exit {code}; see {log}")
    return time.perf_counter() - started


def tfidf_baseline(train: list[tuple[str, str]], validation: list[tuple[str, str]],
                   test: list[tuple[str, str]]) -> dict:
    """TF-IDF word 1-2-grams + logistic regression; C chosen on validation."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    started = time.perf_counter()
    best = None
    for c in TFIDF_CS:
        model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                              LogisticRegression(C=c, max_iter=2000))
        model.fit([t for t, _ in train], [y for _, y in train])
        val = model.score([t for t, _ in validation], [y for _, y in validation])
        if best is None or val > best[0]:
            best = (val, c, model)
    val, c, model = best
    return {"validation_accuracy": val, "test_accuracy": model.score([t for t, _ in test], [y for _, y in test]),
            "C": c, "seconds": time.perf_counter() - started}


def pretraining_summary(run: Path) -> dict:
    """Steps and the last evaluation of a `corpusforge train` output directory."""
    metrics = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line]
    evals = [m for m in metrics if "val_loss" in m]
    return {"steps": metrics[-1].get("step"), "final_eval": evals[-1] if evals else None}


def continued_reusable(work: Path, steps: int) -> bool:
    """WORKDIR/model-continued counts under --reuse_pretrained only if it continued the current WORKDIR/model
    for ``steps`` steps (its train_config.json says so, and it is newer than that model)."""
    final, first = work / "model-continued" / "final", work / "model" / "final"
    config = work / "model-continued" / "train_config.json"
    if not (final.is_dir() and config.is_file()):
        return False
    cfg = json.loads(config.read_text(encoding="utf-8"))
    return (cfg.get("max_steps") == steps and Path(cfg.get("init_from") or "").resolve() == first.resolve()
            and (final / "config.json").stat().st_mtime > (first / "config.json").stat().st_mtime)


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def reusable(out: Path, model_dir: Path, *, lr: float, seed: int, scratch: bool, settings: dict) -> bool:
    """An earlier run in ``out`` counts only if it started from ``model_dir`` (the first or the continued
    pretraining) with these settings, and is newer than that model."""
    path = out / "eval.json"
    if not path.is_file() or path.stat().st_mtime < (model_dir / "config.json").stat().st_mtime:
        return False
    ev = json.loads(path.read_text(encoding="utf-8"))
    ft, data = ev["finetune_arguments"], ev["data_arguments"]
    return (Path(ev["model_arguments"]["model"]).resolve() == model_dir.resolve()
            and ev["model_arguments"]["from_scratch"] == scratch and ft["learning_rate"] == lr and ft["seed"] == seed
            and ft["num_train_epochs"] == settings["epochs"] and ft["batch_size"] == settings["batch_size"]
            and data["max_length"] == settings["max_length"] and data["validation_fraction"] == VALIDATION_FRACTION)


def finetune_one(name: str, model_dir: Path, files: dict[str, Path], work: Path, lr: float, seed: int,
                 settings: dict, *, scratch: bool, reuse: bool = False) -> dict:
    """One `corpusforge finetune` run (one thread) with this learning rate and seed (the seed also picks the
    validation part); an earlier run with the same settings counts under ``reuse``."""
    tag = f"ft-{name}-lr{lr:g}" + (f"-seed{seed}" if seed != FINETUNE_SEED else "")
    out = work / tag
    if reuse and reusable(out, model_dir, lr=lr, seed=seed, scratch=scratch, settings=settings):
        seconds = None
    else:
        argv = ["finetune", "--model", str(model_dir), "--train", str(files["train"]), "--test", str(files["test"]),
                "--validation_fraction", str(VALIDATION_FRACTION), "--output_dir", str(out), "--overwrite",
                "--learning_rate", f"{lr:g}", "--seed", str(seed), "--no_progress",
                "--num_train_epochs", f"{settings['epochs']:g}", "--batch_size", str(settings["batch_size"]),
                "--max_length", str(settings["max_length"])]
        if scratch:
            argv.append("--from_scratch")
        seconds = corpusforge(*argv, log=work / f"{tag}.log", env=ONE_THREAD)
    ev = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    run = {"lr": lr, "seed": seed, "validation_accuracy": ev["validation"]["accuracy"],
           "test_accuracy": ev["test"]["accuracy"], "test_macro_f1": ev["test"]["macro_f1"],
           "epochs": ev["training"]["epochs"], "seconds": seconds}
    say(f"  {name:<10} lr {lr:<7g} seed {seed}  validation {run['validation_accuracy']:.4f}  "
        f"test {run['test_accuracy']:.4f}  epochs {run['epochs']:g}  "
        + ("(earlier run)" if seconds is None else f"{seconds:.0f} s"))
    return run


def best_rate(runs: list[dict], lrs: list[float]) -> dict:
    """The learning rate with the best mean validation accuracy over the seeds, with its mean test accuracy."""
    per_lr = [{"lr": lr, "validation_accuracy": mean([r["validation_accuracy"] for r in runs if r["lr"] == lr]),
               "test_accuracy": mean([r["test_accuracy"] for r in runs if r["lr"] == lr]),
               "test_accuracies": [r["test_accuracy"] for r in runs if r["lr"] == lr]} for lr in lrs]
    # rounded, so that equal means that differ in the last float bit tie and the smaller rate wins
    best = max(per_lr, key=lambda r: (round(r["validation_accuracy"], 9), -r["lr"]))
    return {**best, "runs": runs}


def finetune_all(sides: dict[str, Path], files: dict[str, Path], work: Path, lrs: list[float], seeds: list[int],
                 settings: dict, *, jobs: int, reuse: bool) -> dict:
    """Every (side, learning rate, seed) run, ``jobs`` at a time; per side, the result of :func:`best_rate`."""
    from concurrent.futures import ThreadPoolExecutor

    tasks = [(name, lr, seed) for name in sides for lr in lrs for seed in seeds]
    pool = ThreadPoolExecutor(jobs)
    try:
        futures = {task: pool.submit(finetune_one, task[0], sides[task[0]], files, work, task[1], task[2], settings,
                                     scratch=task[0] == "scratch", reuse=reuse) for task in tasks}
        runs = {task: future.result() for task, future in futures.items()}
    finally:  # a failed run ends the benchmark without waiting for the others
        pool.shutdown(wait=False, cancel_futures=True)
    return {name: best_rate([runs[t] for t in tasks if t[0] == name], lrs) for name in sides}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="bert-mini", help="corpusforge train preset (default: bert-mini)")
    ap.add_argument("--pretrain_seconds", type=float, default=1200, help="pretraining wall-clock budget")
    ap.add_argument("--pretrain_steps", type=int,
                    help="pretraining optimizer steps instead of a time budget (the same model on any machine load)")
    ap.add_argument("--objective", default="mlm", choices=("mlm", "clm", "mlm+nsp"), help="pretraining objective")
    ap.add_argument("--vocab_size", type=int, default=8000, help="corpus tokenizer size")
    ap.add_argument("--tokenizer", type=Path,
                    help="build the pretraining corpus with this sentencepiece model instead of training one "
                         "(--vocab_size is then ignored), e.g. another run's corpus/tokenizer/spm.model")
    ap.add_argument("--seq_len", type=int, default=128, help="pretraining sequence length")
    ap.add_argument("--lrs", default="1e-4,3e-4,1e-3", help="fine-tuning learning rates, comma-separated")
    ap.add_argument("--epochs", type=float, default=8, help="fine-tuning epochs (upper bound; early stopping)")
    ap.add_argument("--batch_size", type=int, default=32)
    ap.add_argument("--max_length", type=int, default=64)
    ap.add_argument("--train_flags", default="",
                    help="extra `corpusforge train` flags, space-separated (write --train_flags=\"--flag ...\")")
    ap.add_argument("--build_flags", default="",
                    help="extra `corpusforge build` flags, space-separated (write --build_flags=\"--flag ...\")")
    ap.add_argument("--sentences_per_document", type=int, default=SENTENCES_PER_DOCUMENT,
                    help="unlabelled training sentences per pretraining document (1: each its own)")
    ap.add_argument("--unlabelled_only", action="store_true",
                    help="pretrain on the unlabelled training sentences alone, without ../shared/data's text "
                         "(task-adaptive pretraining; not the issue's setting)")
    ap.add_argument("--seeds", default=str(FINETUNE_SEED),
                    help="fine-tuning seeds, comma-separated: each also draws its own validation part; results are "
                         "means over the seeds (TF-IDF fitted on the same parts)")
    ap.add_argument("--reuse_finetuned", action="store_true",
                    help="keep earlier fine-tuning runs with the same settings, newer than the pretrained model "
                         "(adding seeds or learning rates)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="fine-tuning runs at the same time (each has one thread)")
    ap.add_argument("--parallel", action="store_true", help="the same as --jobs 2")
    ap.add_argument("--continue_steps", type=int, default=0,
                    help="after pretraining, continue it for this many steps on the unlabelled training sentences "
                         "alone (a corpus built with the first corpus's tokenizer; `corpusforge train --init_from`), "
                         "and fine-tune that model (domain- then task-adaptive pretraining)")
    ap.add_argument("--continue_flags", default="",
                    help="extra `corpusforge train` flags of the continued pretraining (after --train_flags)")
    ap.add_argument("--workdir", type=Path, help="keep everything here (default: a temporary directory)")
    ap.add_argument("--reuse_corpus", action="store_true",
                    help="skip the build when WORKDIR/corpus/manifest.json exists (iterating on pretraining)")
    ap.add_argument("--reuse_pretrained", action="store_true",
                    help="skip build and pretraining when WORKDIR/model/final exists, and the continued pretraining "
                         "when WORKDIR/model-continued/final exists (iterating on fine-tuning)")
    args = ap.parse_args(argv)
    if not POLARITY_ZIP.is_file():
        print(f"need {POLARITY_ZIP} (see ../shared/data/SOURCES.md)", file=sys.stderr)
        return 2
    work = args.workdir or Path(tempfile.mkdtemp(prefix="finetune-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    started = time.perf_counter()

    rows = load_polarity()
    train, test = split(rows)
    data = work / "data"
    data.mkdir(exist_ok=True)
    files = {"train": write_csv(data / "train.csv", train), "test": write_csv(data / "test.csv", test)}
    if args.sentences_per_document < 1:
        ap.error(f"--sentences_per_document must be >= 1, got {args.sentences_per_document}")
    unlabelled = write_unlabelled(data / "unlabelled-train.jsonl", [t for t, _ in train], args.sentences_per_document)
    print(f"sentence polarity: {len(rows)} sentences, train {len(train)}, test {len(test)}; work dir {work}")

    final = work / "model" / "final"
    times = {}
    if not (args.reuse_pretrained and final.is_dir()):
        if not (args.reuse_corpus and (work / "corpus" / "manifest.json").is_file()):
            shared = [] if args.unlabelled_only else SHARED_TEXT
            inputs = [arg for name in shared for arg in ("--input", str(DATA / name))]
            tokenizer = (["--tokenizer", str(args.tokenizer)] if args.tokenizer
                         else ["--vocab_size", str(args.vocab_size)])
            times["build"] = corpusforge("build", *inputs, "--input", str(unlabelled), "--output_dir",
                                         str(work / "corpus"), "--overwrite", "--languages", "en", *tokenizer,
                                         *shlex.split(args.build_flags), log=work / "build.log")
        manifest = json.loads((work / "corpus" / "manifest.json").read_text(encoding="utf-8"))
        print(f"  corpus: {json.dumps(manifest.get('totals', {}))}")
        budget = (["--max_steps", str(args.pretrain_steps)] if args.pretrain_steps
                  else ["--max_time", f"{args.pretrain_seconds:g}"])
        times["pretrain"] = corpusforge("train", "--data", str(work / "corpus"), "--objective", args.objective,
                                        "--model", args.model, "--seq_len", str(args.seq_len), *budget,
                                        "--output_dir", str(work / "model"), "--overwrite", "--no-progress",
                                        *shlex.split(args.train_flags), log=work / "pretrain.log")
    pretrain_info = pretraining_summary(work / "model")
    print(f"  pretraining: {pretrain_info}")
    pretrained = final
    if args.continue_steps:
        continued = work / "model-continued" / "final"
        if not (args.reuse_pretrained and continued_reusable(work, args.continue_steps)):
            # the tokenizer travels with the hand-off, so this works from a reused model/final as well
            times["build_unlabelled"] = corpusforge(
                "build", "--input", str(unlabelled), "--output_dir", str(work / "corpus-unlabelled"), "--overwrite",
                "--languages", "en", "--tokenizer", str(final / "spm.model"), *shlex.split(args.build_flags),
                log=work / "build-unlabelled.log")
            times["continue"] = corpusforge(
                "train", "--data", str(work / "corpus-unlabelled"), "--init_from", str(final), "--objective",
                args.objective, "--seq_len", str(args.seq_len), "--max_steps", str(args.continue_steps), "--output_dir",
                str(work / "model-continued"), "--overwrite", "--no-progress", *shlex.split(args.train_flags),
                *shlex.split(args.continue_flags), log=work / "continue.log")
        pretrain_info["continued"] = pretraining_summary(work / "model-continued")
        print(f"  continued pretraining: {pretrain_info['continued']}")
        pretrained = continued

    lrs = [float(x) for x in args.lrs.split(",")]
    settings = {"epochs": args.epochs, "batch_size": args.batch_size, "max_length": args.max_length}
    seeds = [int(x) for x in args.seeds.split(",")]
    jobs = max(args.jobs, 2 if args.parallel else 1)
    # the scratch side needs only the architecture and the tokenizer: those of the first pretraining's hand-off
    results = finetune_all({"pretrained": pretrained, "scratch": final}, files, work, lrs, seeds, settings,
                           jobs=jobs, reuse=args.reuse_finetuned)
    from training.finetune.data import Example, split_validation

    examples = [Example(t, None, y, str(files["train"]), i + 2) for i, (t, y) in enumerate(train)]
    tfidf_runs = []
    for seed in seeds:  # the same validation part as `corpusforge finetune --seed SEED --validation_fraction`
        ft_train, ft_val = split_validation(examples, VALIDATION_FRACTION, seed)
        tfidf_runs.append({"seed": seed, **tfidf_baseline([(e.text, e.label) for e in ft_train],
                                                          [(e.text, e.label) for e in ft_val], test)})
    results["tfidf_lr"] = {"validation_accuracy": mean([r["validation_accuracy"] for r in tfidf_runs]),
                           "test_accuracy": mean([r["test_accuracy"] for r in tfidf_runs]),
                           "test_accuracies": [r["test_accuracy"] for r in tfidf_runs], "runs": tfidf_runs}

    p, s, t = (results[k]["test_accuracy"] for k in ("pretrained", "scratch", "tfidf_lr"))
    print(f"\nsentence polarity, test {len(test)} sentences (90/10 split, seed 0); fine-tuning seeds "
          f"{args.seeds} (means; per seed in brackets); load average at start "
          f"{load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, at end "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{'method':<40} {'validation':>10} {'test':>8}  per seed")
    labels = {"pretrained": f"{args.model} pretrained (lr {results['pretrained']['lr']:g})",
              "scratch": f"{args.model} from scratch (lr {results['scratch']['lr']:g})",
              "tfidf_lr": "TF-IDF 1-2-grams + LR (C on validation)"}
    for key, label in labels.items():
        r = results[key]
        print(f"{label:<40} {r['validation_accuracy']:>10.4f} {r['test_accuracy']:>8.4f}  "
              f"[{', '.join(f'{x:.4f}' for x in r['test_accuracies'])}]")
    print(f"pretrained - scratch: {100 * (p - s):+.1f} points (target >= +5: {'met' if p - s >= 0.05 else 'NOT met'}); "
          f"pretrained - TF-IDF: {100 * (p - t):+.1f} points (target >= 0: {'met' if p >= t else 'NOT met'})")
    summary = {"model": args.model, "objective": args.objective, "pretrain_seconds": args.pretrain_seconds,
               "pretrain_steps": args.pretrain_steps, "vocab_size": args.vocab_size,
               "tokenizer": str(args.tokenizer) if args.tokenizer else None,
               "sentences_per_document": args.sentences_per_document, "build_flags": args.build_flags,
               "unlabelled_only": args.unlabelled_only, "train_flags": args.train_flags,
               "continue_steps": args.continue_steps, "continue_flags": args.continue_flags, "lrs": lrs,
               "seeds": seeds, "finetune_settings": settings, "jobs": jobs,
               "pretraining": pretrain_info, "results": results, "times": times, "load_start": load_start,
               "load_end": os.getloadavg(), "wall_seconds": time.perf_counter() - started,
               "command": " ".join([Path(sys.executable).name, "benchmarks/finetune.py", *(argv or sys.argv[1:])])}
    stamped = work / f"results-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.json"
    for path in (stamped, work / "results.json"):
        path.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"results: {stamped} (and {work / 'results.json'}, the latest run)")
    if args.workdir is None:
        shutil.rmtree(work / "corpus", ignore_errors=True)  # the large part; the rest stays for inspection
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
