"""How a crawl runs: the child process a crawl lives in and its entry point, the run state,
distributed rounds and their workers, `sources check`, and re-extraction of stored pages."""
