"""Record-linkage benchmark: ``python -m bench.linkage.run [--records 1000000]``."""
