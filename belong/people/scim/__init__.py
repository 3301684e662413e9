"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) at /scim/v2/: the institution's directory
(Microsoft Entra, Okta) creates, updates and deactivates people with a bearer token made by
`manage.py scim_token`. Written by hand on Belong's rules (see docs/provisioning.md):

- `auth`: the bearer token, checked against ScimToken digests;
- `errors`: the SCIM error shape;
- `discovery`: ServiceProviderConfig, ResourceTypes, Schemas (what Belong keeps, no more);
- `users`: a Person as a SCIM User, a payload and PATCH operations as directory facts;
- `views`, `urls`: the endpoints.

Every fact goes through `belong.people.directory.apply`, leavers through
`belong.people.actions.mark_leaver` and `reactivate`, always as the installation (actor None).
"""
