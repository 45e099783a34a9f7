"""`python -m training.finetune ...` is `corpusforge finetune ...`."""
from training.finetune.cli import main

raise SystemExit(main())
