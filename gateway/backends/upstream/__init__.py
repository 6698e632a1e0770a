"""Upstream mode: the gateway in front of a real server of any dialect, as a mirror
in the embedded store kept current by a sync loop, and written through by that
dialect's client (see :mod:`.backend`, :mod:`.sync`, :mod:`.crosswalk`)."""
