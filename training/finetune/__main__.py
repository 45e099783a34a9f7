"""`python -m training.finetune ...` is `corpusforge finetune ...`."""
from training.finetune.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
