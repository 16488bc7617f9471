"""`python -m jobsift.crawlers.cli`, the same as the `jobsift` command."""

import sys

from jobsift.crawlers.cli import main

sys.exit(main())
