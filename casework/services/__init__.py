"""Casework on an attached family: the services that change a case file (each one keyword-only,
atomic, refusing illegal transitions and writing its audit entry) and the selectors that
pages share."""
