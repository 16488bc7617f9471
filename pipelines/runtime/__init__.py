"""Runtime: the Scrapy item pipeline that runs the chain, its worker process, the heap freeze."""
