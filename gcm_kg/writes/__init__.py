"""Curator writes beyond submissions: the Graph Store Protocol and SPARQL Update.

Every write here is described as the new state of the graphs it touches, validated in the
context of the store as it would be after the write (``gcm_kg.validate.validate_change``),
and applied in one SPARQL update (one transaction) under the process-wide write lock of
``gcm_kg.writes.submissions``, with its PROV record and an audit log entry. Submissions themselves
(``POST /curate``) go through ``gcm_kg.writes.submissions.submit``.
"""
