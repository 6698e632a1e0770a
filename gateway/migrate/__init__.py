"""Migration tooling: move a practice between servers of any two dialects (or a store).

``practice-gateway migrate`` (:mod:`.command`) reads from a source end and
writes to a target end (:mod:`.ends`) in the order of :mod:`.plan`, mapping
references through a persistent crosswalk (:mod:`.crosswalk`), keeping its
state in the working database (:mod:`.state`) so a run killed at any instant
resumes, exactly once (:mod:`.records`), reporting what the target cannot
hold (:mod:`.remap`), verifying what it wrote (:mod:`.verify`) and summing
it all up (:mod:`.report`).
"""
