"""Great Expectations at every stage: delivery suites generated from the contracts, hand-written
staging and mart suites in `expectations/`, each expectation tiered block / error / warning."""
