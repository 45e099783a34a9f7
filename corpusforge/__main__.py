from corpusforge.cli import main

raise SystemExit(main())
