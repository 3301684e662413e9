"""Every write of the collectives app, one module a subject: `memberships` (join, change,
leave), `leaders` (leader roles and the collective's page), and, beside them, `events`,
`announcements`, `recommendations`, `experiences` and `directories`. Each function is a domain
verb: atomic, the acting person as a keyword argument, mail through the outbox.

Joining and leaving are never written to the audit log: an audit entry naming a person and a
collective would show a private membership to whoever reads the log."""
