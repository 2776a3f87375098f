from studyreg.cli import main

raise SystemExit(main())
