import sys

from dashboard.p2wkss.demo import main

sys.exit(main())
