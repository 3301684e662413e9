"""Every write of the training app, one module a subject: `requests` (group training requests),
`evaluations` (anonymous evaluations), `certificates` (transcripts and certificates), `catalog`
(courses and sessions by coordinators). Each function is a domain verb: atomic, the acting
person as a keyword argument, mail through the outbox."""
