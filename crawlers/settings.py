"""The one settings module of jobsift (Scrapy's and the project's own `JOBSIFT_*` settings)."""

from importlib.metadata import PackageNotFoundError, version

try:
    _VERSION = version("jobsift")
except PackageNotFoundError:  # imported from a folder that was never installed
    _VERSION = "0"

BOT_NAME = "jobsift"
SPIDER_MODULES = ["jobsift.crawlers.spiders"]
NEWSPIDER_MODULE = "jobsift.crawlers.spiders"

# Politeness: identify ourselves, obey robots.txt, adapt to the server's latency.
# The address in the User-Agent (`jobsift/VERSION (+URL)`): jobsift's project page (pyproject's
# Homepage) unless you set a contact of your own, which the sites you crawl would rather have.
JOBSIFT_CONTACT_URL = "https://github.com/jobsift/jobsift"
USER_AGENT = f"jobsift/{_VERSION} (+{JOBSIFT_CONTACT_URL})"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 opens a remote-control HTTP port per crawler: one per configured source here, and
# nothing jobsift uses.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# The chain: one pipeline runs every normalization step (declared once, in order, in
# `jobsift.pipelines.chain.STEPS`), the loader writes DuckDB. Pipelines of your own between 100 and
# 900 receive each `StagedPosting` (`.posting` is the normalized posting) or `Reject`.
ITEM_PIPELINES = {
    "jobsift.pipelines.runtime.normalize.NormalizePipeline": 100,
    "jobsift.pipelines.storage.loader.DuckDBPipeline": 900,
}

EXTENSIONS = {"jobsift.crawlers.extensions.FreezeStartupHeap": 0}
# Scrapy's in-memory stats without its per-access shim, cheaper per request
# (crawlers/extensions.py).
STATS_CLASS = "jobsift.crawlers.extensions.QuickStatsCollector"
# Scrapy's log messages, except that the "Crawled"/"Scraped" DEBUG ones (two a page) are only built
# when LOG_LEVEL is DEBUG.
LOG_FORMATTER = "jobsift.crawlers.extensions.QuietLogFormatter"
# Items Scrapy processes in parallel per response: every response yields few items here, and each
# slot costs an asyncio task per response (8 instead of 100 lifted the bare crawl by ~50%).
CONCURRENT_ITEMS = 8

# Where the loader writes under `scrapy crawl`; `jobsift` commands find the database themselves
# (`--db`, else JOBSIFT_HOME, ./data or the user data folder: crawlers/home.py) and set it.
JOBSIFT_DB = "data/jobsift.duckdb"
# Not a setting but an environment variable: the folder holding sources.toml and jobsift.duckdb.
# JOBSIFT_HOME = "~/jobsift"
# The loader writes a batch every JOBSIFT_BATCH_SIZE postings or JOBSIFT_BATCH_BYTES of text
# (descriptions, JSON copies), whichever comes first; a batch too big for DuckDB is split anyway.
JOBSIFT_BATCH_SIZE = 500
JOBSIFT_BATCH_BYTES = 16_000_000
# Seconds a crawl waits for the database while another process (a reader) holds it; then the
# crawl stops with one line naming that process, or a batch waits for the next flush.
JOBSIFT_DB_WAIT = 60
# Run the normalization chain in a worker process on another core (default: on when the machine
# has more than one CPU); the crawl process then only crawls and loads. Same functions either way.
# JOBSIFT_NORMALIZE_WORKER = True
# Seconds one posting may take through the chain before it becomes a reject (0 = no limit).
JOBSIFT_ITEM_TIMEOUT = 30.0
# A raw posting served exactly as stored before (same `raw_postings.raw_hash`, `fetched_at` aside)
# skips the chain: only its row's last_seen_at moves (pipelines between 100 and 900 then receive
# a `SeenUnchanged`). After an upgrade, `jobsift renormalize` applies new normalizers to them.
JOBSIFT_SKIP_UNCHANGED = True
# Keep pages that carry an ETag or Last-Modified in <database folder>/httpcache/ and fetch them
# again with If-None-Match / If-Modified-Since; a 304 is answered from the kept copy
# (crawlers/httpcache.py; HTTPCACHE_DIR overrides the folder).
JOBSIFT_HTTPCACHE = True
# A page answered 304 whose callback gave only raw postings is not parsed again: the postings it
# gave are replayed (crawlers/replay.py); nor is it searched for a meta refresh again
# (crawlers/httpcache.py: KeptPageMetaRefreshMiddleware in DOWNLOADER_MIDDLEWARES).
# Scrapy's depth tracking is off: no limit here is by depth (paging has its own caps), and it costs
# CPU on every request, a re-crawl's main cost.
SPIDER_MIDDLEWARES = {
    "jobsift.crawlers.replay.ReplayPostingsMiddleware": 950,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
# No Referer header: no source needs one, and working out the default policy's header for every
# request costs a re-crawl a few percent of its CPU.
REFERRER_POLICY = "no-referrer"
HTTPCACHE_POLICY = "jobsift.crawlers.httpcache.RevalidatePolicy"
HTTPCACHE_STORAGE = "jobsift.crawlers.httpcache.SqliteCacheStorage"
# Sources crawled at the same time; the others wait for a free place. Each running source is a
# Scrapy crawler in memory, so a crawl of thousands of boards stays within the memory of this many.
JOBSIFT_CONCURRENT_SOURCES = 8
# Crawl progress on stderr (crawlers/progress.py): a live table on a terminal, else a line per
# change and per source at most one count line every this many seconds (0 = none, summary only).
JOBSIFT_PROGRESS_INTERVAL = 10

# --- politeness (crawlers/middlewares.py) ---
# The User-Agent follows JOBSIFT_CONTACT_URL even when it is changed after this module is read;
# retries of 429/5xx wait for Retry-After (seconds or HTTP date), else back off exponentially,
# never longer than JOBSIFT_RETRY_AFTER_MAX seconds. robots.txt rules are matched on "jobsift".
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "jobsift.crawlers.middlewares.SourceOffsiteMiddleware": 50,
    "jobsift.crawlers.middlewares.UnresolvedHostMiddleware": 110,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "jobsift.crawlers.middlewares.ContactUserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "jobsift.crawlers.middlewares.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "jobsift.crawlers.httpcache.RevalidatingCacheMiddleware": 900,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "jobsift.crawlers.httpcache.KeptPageMetaRefreshMiddleware": 580,
    "jobsift.crawlers.hostbudget.HostBudgetMiddleware": 950,
}
ROBOTSTXT_USER_AGENT = "jobsift"
JOBSIFT_RETRY_AFTER_MAX = 120  # longest wait (seconds) before a retry, Retry-After or not
# First wait (seconds) of the exponential back-off when a retry carries no Retry-After.
JOBSIFT_RETRY_BACKOFF = 1.0
# Minimum seconds between two runs of a source; spiders raise it in `custom_settings` where a
# source's terms ask for it (read through `crawlers.base.min_interval`).
JOBSIFT_MIN_INTERVAL = 0
# Per-host budgets held across every source of a crawl (crawlers/hostbudget.py): requests in flight
# to one host and seconds between two request starts, for hosts that crawlers/hosts.toml and the
# sources file's [hosts] table (JOBSIFT_HOST_BUDGETS) do not list.
JOBSIFT_HOST_CONCURRENCY = 8
JOBSIFT_HOST_DELAY = 0.0
# {host or ".suffix": {concurrency, delay}}, from the sources file's [hosts] table.
JOBSIFT_HOST_BUDGETS = {}

# --- bounded work (crawlers/base.py, crawlers/middlewares.py) ---
# Seconds a source may run before it is stopped and its run recorded as failed ("deadline"); it
# becomes Scrapy's CLOSESPIDER_TIMEOUT (0 = no deadline).
JOBSIFT_SOURCE_TIMEOUT = 3600
# Seconds one download may take in all, so a server dripping bytes is cut off (Scrapy: 180); room
# for the largest bodies (a full Remotive or Greenhouse list, tens of MB) on a slow link.
DOWNLOAD_TIMEOUT = 60
# Bytes of one response, also after decompression (a gzip bomb is refused, not inflated in full);
# a full API list is tens of MB (about 18 KB a job). A response above WARNSIZE is logged.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
# A host that does not resolve fails at once and is not retried (UnresolvedHostMiddleware);
# requests to hosts other than the source's base URL host are dropped (SourceOffsiteMiddleware).

# --- set per crawl, per source or per spider (no project-wide value) ---
# Base URL of a source's API or site (`crawlers/base.py`), e.g. 127.0.0.1 in tests and benchmarks;
# one per spider, named after it (JOBSIFT_LEVER_URL, JOBSIFT_GREENHOUSE_URL...).
# JOBSIFT_<SPIDER>_URL = "http://127.0.0.1:8000"
# Postings per Lever page (`skip`/`limit`); default 100.
# JOBSIFT_LEVER_PAGE_SIZE = 100
# Postings per SmartRecruiters list page (`offset`/`limit`); default and maximum 100.
# JOBSIFT_SMARTRECRUITERS_PAGE_SIZE = 100
# Fixed ISO time stamped as every raw posting's `fetched_at` (tests freeze "now" with it).
# JOBSIFT_FETCHED_AT = "2026-07-01T00:00:00+00:00"
# Id of the `jobsift crawl` run, set by the runner for every source; the loader writes it.
# JOBSIFT_RUN_ID = "a1b2c3d4e5f6"
# Name of the configured source (`[sources.NAME]` in the sources file), set by the runner.
# JOBSIFT_SOURCE = "greenhouse-gitlab"

# --- distributed crawl: spool and merge (pipelines/storage/spool.py, spool_merge.py) ---
# Folder where workers write their batches as Parquet files for the one writer to merge (unset:
# `spool/` beside JOBSIFT_DB); local or shared by every machine of the crawl.
# JOBSIFT_SPOOL = "/mnt/shared/jobsift-spool"
# Name of this worker in spool batch ids and end records (unset: `<host>-<pid>`).
# JOBSIFT_WORKER_ID = "worker-1"

# --- distributed crawl: Redis frontier, workers, shared host budgets (crawlers/distributed/) ---
# The Redis of a distributed crawl (`jobsift crawl --redis URL`, `jobsift worker --redis URL`).
# JOBSIFT_REDIS_URL = "redis://queue.internal:6379/0"
# Seconds without a heartbeat after which a worker is dead and what it held goes back to the queue.
JOBSIFT_WORKER_TIMEOUT = 30.0
# Seconds after which a worker's slot of a host budget expires if never given back (a dead worker);
# longer than DOWNLOAD_TIMEOUT, or a slow download's slot is taken by another request.
JOBSIFT_HOST_LEASE = 90.0
# Not a setting but an environment variable of the test suite: 1 (as in CI) makes the tests that
# need redis-server fail when it is not installed, instead of skipping.
# JOBSIFT_REQUIRE_REDIS = "1"
