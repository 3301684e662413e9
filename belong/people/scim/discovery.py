"""What the service says about itself (RFC 7643 §5-7, RFC 7644 §4): the attributes published
are the ones Belong keeps, so that a client reading them knows what comes back."""

from belong.people.models import Person

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

# The most resources one page of a list gives (ServiceProviderConfig filter.maxResults).
MAX_RESULTS = 200
DEFAULT_COUNT = 100


def _attribute(name, description, *, type_="string", required=False, multi=False, **extra):
    attribute = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": description,
        "required": required,
        "caseExact": extra.pop("case_exact", False),
        "mutability": extra.pop("mutability", "readWrite"),
        "returned": extra.pop("returned", "default"),
        "uniqueness": extra.pop("uniqueness", "none"),
    }
    if "sub" in extra:
        attribute["subAttributes"] = extra.pop("sub")
    if "canonical" in extra:
        attribute["canonicalValues"] = extra.pop("canonical")
    return attribute


def user_schema():
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person of the institution, as Belong keeps them.",
        "attributes": [
            _attribute(
                "userName",
                "The person's sign-in name at the directory (for example the UPN); unique.",
                required=True,
                uniqueness="server",
            ),
            _attribute(
                "name",
                "The person's name: Belong keeps one full name (formatted, or the given and "
                "family names joined).",
                type_="complex",
                sub=[
                    _attribute("formatted", "The full name."),
                    _attribute("givenName", "The given name."),
                    _attribute("familyName", "The family name."),
                ],
            ),
            _attribute(
                "displayName",
                "The full name, used when no name is given.",
                mutability="readOnly",
            ),
            _attribute(
                "emails",
                "The person's work email address: Belong keeps one, and needs it.",
                type_="complex",
                multi=True,
                required=True,
                sub=[
                    _attribute("value", "The address.", required=True),
                    _attribute("type", "The kind of address.", canonical=["work"]),
                    _attribute("primary", "The primary address.", type_="boolean"),
                ],
            ),
            _attribute(
                "active",
                "False: the person has left (sessions and tokens end, seats are released).",
                type_="boolean",
            ),
            _attribute(
                "userType",
                "The person's kind (affiliation aliases such as employee or house staff too).",
                canonical=[kind.value for kind in Person.Kind],
            ),
        ],
        "meta": {"resourceType": "Schema", "location": f"/Schemas/{USER_SCHEMA}"},
    }


def enterprise_schema():
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": ENTERPRISE_SCHEMA,
        "name": "EnterpriseUser",
        "description": "The enterprise extension: the employee id and the org unit.",
        "attributes": [
            _attribute("employeeNumber", "The employee id; unique.", uniqueness="server"),
            _attribute(
                "department",
                "The org unit as a path, “Institution > Campus > Department > Program” (a "
                "single name is the one unit of that name).",
            ),
        ],
        "meta": {"resourceType": "Schema", "location": f"/Schemas/{ENTERPRISE_SCHEMA}"},
    }


def schemas():
    return [user_schema(), enterprise_schema()]


def user_resource_type():
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "People of the institution.",
        "schema": USER_SCHEMA,
        "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
        "meta": {"resourceType": "ResourceType", "location": "/ResourceTypes/User"},
    }


def service_provider_config():
    return {
        "schemas": [CONFIG_SCHEMA],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token made by `manage.py scim_token create NAME`, sent as "
                "Authorization: Bearer <token>.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": "/ServiceProviderConfig"},
    }
