"""OpenAPI links: which answer gives the value another operation takes (the id of an event just
listed, the recommendation just written, the cycle just enrolled in). Clients and tools read
them to follow the API from one call to the next: schemathesis's stateful phase chains calls
through them (list then read, create then read or change, register then cancel).

``LINKS`` maps an operation's id to its links by response status; each link names the target
operation and how to fill its parameters (OpenAPI runtime expressions, or a plain value).
``add_links`` puts them into the document; tests/api/test_openapi_links.py checks that every
target and parameter exists.
"""

OP = "belong_api_"


def link(target, description, requestBody=None, **parameters):  # noqa: N803 (OpenAPI's name)
    found = {"operationId": OP + target, "description": description}
    if parameters:
        found["parameters"] = parameters
    if requestBody is not None:
        found["requestBody"] = requestBody
    return found


def first(pointer):
    """The first item of a list answer, paginated (``items``) or not."""
    return f"$response.body#/{pointer}"


EVENT_FROM_PATH = {"id": "$request.path.id"}
SLUG_FROM_PATH = {"slug": "$request.path.slug"}
RECOMMENDATION = {"id": "$response.body#/id"}
ENROLMENT_FROM_PATH = {"cycle_id": "$request.path.cycle_id", "role": "$request.path.role"}


def event_links(**ids):
    return {
        "GetEvent": link("events_get_event", "Read this event.", **ids),
        "Register": link("events_register", "Register for this event.", **ids),
        "Roster": link("events_roster", "Its roster (for those who run it).", **ids),
    }


def recommendation_links(**ids):
    return {
        "GetRecommendation": link(
            "recommendations_get_recommendation", "Read the recommendation.", **ids
        ),
        "EditRecommendation": link(
            "recommendations_edit_recommendation", "Change the draft.", **ids
        ),
        "SubmitRecommendation": link(
            "recommendations_submit_recommendation", "Submit the draft.", **ids
        ),
        "AnswerRecommendation": link(
            "recommendations_answer_recommendation", "Answer it (DEI administrators).", **ids
        ),
        "DeleteRecommendation": link(
            "recommendations_delete_recommendation", "Delete the draft.", **ids
        ),
    }


def collective_links(**slugs):
    return {
        "GetCollective": link("collectives_get_collective", "Read the collective.", **slugs),
        "Join": link("collectives_put_membership", "Join the collective.", **slugs),
        "Members": link("collectives_list_members", "The members I may see.", **slugs),
        "WriteRecommendation": link(
            "recommendations_create_recommendation", "Write a draft (its leaders).", **slugs
        ),
    }


def match_links(**ids):
    return {
        "Meetings": link("mentorship_list_meetings", "The pair's meetings.", **ids),
        "LogMeeting": link("mentorship_post_meeting", "Log a meeting.", **ids),
        "Goals": link("mentorship_list_goals", "The pair's goals.", **ids),
        "SetGoal": link("mentorship_post_goal", "Set a goal.", **ids),
    }


def cycle_links(**ids):
    return {
        "EnrolAsMentee": link(
            "mentorship_put_enrollment", "Enrol me as a mentee.", role="mentee", **ids
        ),
        "EnrolAsMentor": link(
            "mentorship_put_enrollment", "Enrol me as a mentor.", role="mentor", **ids
        ),
        "RunMatching": link("mentorship_post_run", "Run the matching (coordinators).", **ids),
        "LatestRun": link("mentorship_latest_run", "The latest run (coordinators).", **ids),
    }


LINKS = {
    # Events: list or read, then register, read again, cancel, register again.
    OP + "events_list_events": {"200": event_links(id=first("items/0/id"))},
    OP + "events_get_event": {
        "200": {
            **event_links(id="$response.body#/id"),
            "MarkAttendance": link(
                "events_mark_attendance",
                "Mark attendance (for those who run it).",
                **EVENT_FROM_PATH,
            ),
        }
    },
    OP + "events_register": {
        status: {
            "GetEvent": link("events_get_event", "Read the event again.", **EVENT_FROM_PATH),
            "Cancel": link(
                "events_cancel_registration", "Cancel this registration.", **EVENT_FROM_PATH
            ),
            "MyRegistrations": link("me_list_my_registrations", "All my registrations."),
        }
        for status in ("200", "201")
    },
    OP + "events_cancel_registration": {
        "204": {
            "RegisterAgain": link("events_register", "Register again.", **EVENT_FROM_PATH),
            "GetEvent": link("events_get_event", "Read the event again.", **EVENT_FROM_PATH),
        }
    },
    OP + "me_list_my_registrations": {
        "200": {
            "Cancel": link(
                "events_cancel_registration",
                "Cancel the first of my registrations.",
                id=first("items/0/event/id"),
            )
        }
    },
    OP + "training_list_courses": {
        "200": {
            "GetCourse": link("training_get_course", "Read the course.", slug=first("items/0/slug"))
        }
    },
    OP + "training_get_course": {"200": event_links(id=first("upcoming_sessions/0/id"))},
    # Collectives: read, join, change, leave, join again; write a recommendation.
    OP + "collectives_list_collectives": {"200": collective_links(slug=first("items/0/slug"))},
    OP + "collectives_get_collective": {"200": collective_links(slug="$response.body#/slug")},
    OP + "collectives_put_membership": {
        "200": {
            "Leave": link(
                "collectives_delete_membership", "Leave the collective.", **SLUG_FROM_PATH
            ),
            "Members": link("collectives_list_members", "The members I may see.", **SLUG_FROM_PATH),
            "MyMemberships": link("collectives_list_my_memberships", "All my memberships."),
        }
    },
    OP + "collectives_delete_membership": {
        "204": {"JoinAgain": link("collectives_put_membership", "Join again.", **SLUG_FROM_PATH)}
    },
    OP + "collectives_list_my_memberships": {
        "200": {
            "Leave": link(
                "collectives_delete_membership",
                "Leave the first of my collectives.",
                slug=first("items/0/collective/slug"),
            )
        }
    },
    # Recommendations: write a draft, then read, change, submit, answer or delete it.
    OP + "recommendations_list_recommendations": {
        "200": recommendation_links(id=first("items/0/id"))
    },
    OP + "recommendations_create_recommendation": {"201": recommendation_links(**RECOMMENDATION)},
    OP + "recommendations_edit_recommendation": {"200": recommendation_links(**RECOMMENDATION)},
    OP + "recommendations_submit_recommendation": {"200": recommendation_links(**RECOMMENDATION)},
    OP + "recommendations_get_recommendation": {"200": recommendation_links(**RECOMMENDATION)},
    # Mentorship: enrol, change, withdraw; a pair's meetings and goals; run and publish.
    OP + "mentorship_list_cycles": {"200": cycle_links(cycle_id=first("0/id"))},
    OP + "mentorship_put_enrollment": {
        status: {
            "Withdraw": link(
                "mentorship_delete_enrollment", "Withdraw this enrolment.", **ENROLMENT_FROM_PATH
            ),
            "MyEnrolments": link("mentorship_my_enrollments", "All my enrolments."),
        }
        for status in ("200", "201")
    },
    OP + "mentorship_delete_enrollment": {
        "204": {
            "EnrolAgain": link("mentorship_put_enrollment", "Enrol again.", **ENROLMENT_FROM_PATH)
        }
    },
    OP + "mentorship_my_matches": {"200": match_links(match_id=first("0/id"))},
    OP + "mentorship_post_goal": {
        "201": {
            "MoveGoal": link(
                "mentorship_patch_goal", "Move the goal along.", goal_id="$response.body#/id"
            ),
            "Goals": link(
                "mentorship_list_goals", "The pair's goals.", match_id="$request.path.match_id"
            ),
        }
    },
    OP + "mentorship_list_goals": {
        "200": {
            "MoveGoal": link(
                "mentorship_patch_goal", "Move the first goal along.", goal_id=first("0/id")
            )
        }
    },
    OP + "mentorship_post_meeting": {
        "201": {
            "Meetings": link(
                "mentorship_list_meetings",
                "The pair's meetings.",
                match_id="$request.path.match_id",
            )
        }
    },
    OP + "mentorship_post_run": {
        "201": {
            "Publish": link(
                "mentorship_post_publish",
                "Publish this run.",
                requestBody={"run": "$response.body#/id"},
                cycle_id="$request.path.cycle_id",
            ),
            "LatestRun": link(
                "mentorship_latest_run", "Review this run.", cycle_id="$request.path.cycle_id"
            ),
        }
    },
    OP + "mentorship_latest_run": {
        "200": {
            "Publish": link(
                "mentorship_post_publish",
                "Publish this run.",
                requestBody={"run": "$response.body#/id"},
                cycle_id="$request.path.cycle_id",
            )
        }
    },
    # My consents: give one, then revoke it.
    OP + "privacy_give_consent": {
        "200": {
            "Revoke": link("privacy_revoke_consent", "Revoke it.", purpose="$request.path.purpose"),
            "MyConsents": link("privacy_get_consents", "The record of my consents."),
        }
    },
    OP + "privacy_put_answers": {
        "200": {"GetAnswers": link("privacy_get_answers", "Read my answers again.")}
    },
    # Published things: list, then read one.
    OP + "insights_list_dashboards": {
        "200": {
            "GetDashboard": link(
                "insights_get_dashboard", "Read the dashboard.", slug=first("0/slug")
            )
        }
    },
    OP + "insights_list_initiatives": {
        "200": {
            "GetInitiative": link(
                "insights_get_initiative", "Read the initiative.", slug=first("0/slug")
            )
        }
    },
    OP + "insights_list_policies": {
        "200": {"GetPolicy": link("insights_get_policy", "Read the policy.", slug=first("0/slug"))}
    },
}


def add_links(operation):
    """Put the links of ``operation`` (an OpenAPI operation object) into its responses."""
    responses = operation["responses"]
    for status, links in LINKS.get(operation["operationId"], {}).items():
        # ninja keys the responses by int until the document is rendered.
        response = responses.get(int(status), responses.get(status))
        if response is not None:
            response["links"] = links
