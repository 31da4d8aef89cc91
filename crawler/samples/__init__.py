"""The sample sites: generated realistic copies of each site family (raw bytes, GBK ones
included), the loopback server that serves them, its serving rules and the fault site.
Test and demo scaffolding: only the `demo`, `samples` and `sources test` commands use it."""
