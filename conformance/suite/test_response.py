"""Return-value conversion: how what a view returns becomes the response."""

import json
from urllib.parse import urlsplit

import pytest

from conformance import clause
from conformance.checks import media_type, same
from conformance.kit import JSON
from conformance.scenarios import (
    base_response,
    bytearray_,
    bytes_,
    call,
    error_handler,
    generator,
    http_exception,
    integer,
    iterator,
    json_dict,
    json_list,
    made_response,
    none,
    redirect,
    response,
    scenario,
    string,
    teardown,
    tuple_,
    typed_json,
    view,
    wsgi_app,
)

HTML = media_type("text/html; charset=utf-8")
JSON_TYPE = media_type("application/json")

# Return values no conversion rule accepts.
INVALID = [
    pytest.param(none(), id="none"),
    pytest.param(integer(42), id="int"),
    pytest.param(tuple_(string("body")), id="1-tuple"),
    pytest.param(tuple_(string("body"), 201, {"X-A": "1"}, "extra"), id="4-tuple"),
]


def returned(observe, value):
    """The exchange of one GET to a view that returns ``value``."""
    return observe(scenario(view(returns=value))).only


def payload(x):
    """The body as data: parsed JSON for a JSON response, text otherwise."""
    return x.json() if media_type(x.content_type) == JSON_TYPE else x.text


def values(x, name):
    """Every value sent for header ``name``, in order."""
    return [v for k, v in x.headers if k.lower() == name.lower()]


@clause("response.str.html-body")
def test_string_becomes_an_html_body_with_status_200(observe):
    """A returned string becomes the body, encoded as UTF-8, of a 200 response whose content type is
    text/html; charset=utf-8."""
    x = returned(observe, string("héllo"))
    same((x.status, media_type(x.content_type), x.body), (200, HTML, "héllo".encode()), "response")


@clause("response.bytes.body")
def test_bytes_become_the_body_unchanged(observe):
    """Returned bytes become the body unchanged, of a 200 response with the default text/html;
    charset=utf-8 content type."""
    x = returned(observe, bytes_("café"))
    same((x.status, media_type(x.content_type), x.body), (200, HTML, "café".encode()), "response")


@clause("response.dict.json")
def test_dict_becomes_a_json_response(observe):
    """A returned dict is serialised as JSON into the body of a 200 response whose content type is
    application/json."""
    data: dict[str, JSON] = {"name": "ann", "tags": ["a", "b"], "admin": False, "manager": None}
    x = returned(observe, json_dict(data))
    same((x.status, media_type(x.content_type), x.json()), (200, JSON_TYPE, data), "response")


@clause("response.list.json")
def test_list_becomes_a_json_response(observe):
    """A returned list is serialised as JSON into the body of a 200 response whose content type is
    application/json."""
    data: list[JSON] = [1, "two", {"three": 3}, None]
    x = returned(observe, json_list(data))
    same((x.status, media_type(x.content_type), x.json()), (200, JSON_TYPE, data), "response")


@clause("response.list.unsupported")
def test_list_gives_a_500_where_lists_have_no_conversion_rule(observe):
    """A returned list has no conversion rule: the request gets a 500 Internal Server Error
    response."""
    # Not a JSON body.
    x = returned(observe, json_list([1, 2]))
    same(x.status, 500, "status")


@clause("response.list.unsupported-teardown-type-error")
def test_teardown_is_handed_a_type_error_where_lists_have_no_conversion_rule(observe):
    """A returned list has no conversion rule: the request's teardown-request hooks are handed the
    TypeError it raises."""
    x = observe(scenario(teardown("t", probes=["exception"]), view(returns=json_list([1, 2])))).only
    same(x.seen("t", "exception"), "TypeError", "exception handed to the teardown hook")


@clause("response.generator.streamed")
def test_generator_chunks_make_up_the_body_in_order(observe):
    """A returned generator is a streamed body: the response carries the chunks it yields, in order,
    with status 200."""
    x = returned(observe, generator("first,", "second,", "third"))
    same((x.status, x.text), (200, "first,second,third"), "response")


@clause("response.generator.unsupported")
def test_generator_gives_a_500_where_it_has_no_conversion_rule(observe):
    """A returned generator has no conversion rule: the request gets a 500 Internal Server Error
    response."""
    # Not a streamed body.
    x = returned(observe, generator("a", "b"))
    same(x.status, 500, "status")


@clause("response.generator.unsupported-teardown-type-error")
def test_teardown_is_handed_a_type_error_where_a_generator_has_no_conversion_rule(observe):
    """A returned generator has no conversion rule: the request's teardown-request hooks are handed
    the TypeError it raises."""
    x = observe(
        scenario(teardown("t", probes=["exception"]), view(returns=generator("a", "b")))
    ).only
    same(x.seen("t", "exception"), "TypeError", "exception handed to the teardown hook")


@clause("response.generator.unsupported-never-iterated")
def test_generator_is_never_iterated_where_it_has_no_conversion_rule(observe):
    """A returned generator has no conversion rule: it is never iterated, so none of its chunks is
    produced."""
    x = returned(observe, generator("a", "b"))
    same(x.order(), ["index"], "call order (no chunk)")


@clause("response.tuple.status")
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(string("made"), "made", id="str-body"),
        pytest.param(bytes_("made"), "made", id="bytes-body"),
        pytest.param(json_dict({"made": True}), {"made": True}, id="dict-body"),
    ],
)
def test_integer_status_in_a_tuple_sets_the_status(observe, body, expected):
    """In a returned (body, status) tuple with an integer status, the body is converted by the usual
    rules and the response has that status."""
    # (body, 201) gives a 201 response whose body is converted as usual.
    x = returned(observe, tuple_(body, 201))
    same((x.status, payload(x)), (201, expected), "status and body")


@clause("response.tuple.status-string")
@pytest.mark.parametrize(
    ("status", "code"),
    [
        pytest.param("418 I'M A TEAPOT", 418, id="status-line"),
        pytest.param("201", 201, id="code-only"),
    ],
)
def test_string_status_in_a_tuple_sets_the_status_code(observe, status, code):
    """The status in a returned tuple may be a string, either a full status line such as "418 I'M A
    TEAPOT" or just the code, and the response has that status code."""
    x = returned(observe, tuple_(string("ok"), status))
    same((x.status, x.text), (code, "ok"), "status and body")


@clause("response.tuple.headers")
def test_headers_dict_in_a_tuple_is_added_to_a_200_response(observe):
    """In a returned (body, headers) tuple with a dict of headers, the response has status 200 and
    carries those headers in addition to its own."""
    # (body, {name: value}) gives a 200 response with that header besides its own.
    x = returned(observe, tuple_(string("ok"), {"X-Extra": "yes"}))
    same(
        (x.status, x.header("X-Extra"), media_type(x.content_type), x.text),
        (200, "yes", HTML, "ok"),
        "status, added header, own content type, body",
    )


@clause("response.tuple.status-and-headers")
def test_status_and_headers_in_a_three_tuple_both_apply(observe):
    """In a returned (body, status, headers) tuple, the response has that status and carries those
    headers."""
    x = returned(observe, tuple_(string("ok"), 202, {"X-Extra": "yes"}))
    same((x.status, x.header("X-Extra"), x.text), (202, "yes", "ok"), "status, header, body")


@clause("response.tuple.header-pairs")
@pytest.mark.parametrize(
    ("rest", "status"),
    [
        pytest.param((), 200, id="body-and-headers"),
        pytest.param((202,), 202, id="body-status-and-headers"),
    ],
)
def test_headers_given_as_name_value_pairs_are_sent(observe, rest, status):
    """The headers in a returned tuple may be given as a list of (name, value) pairs instead of a
    dict, with the same effect."""
    # All the pairs' headers are sent, with and without a status.
    pairs = [["X-First", "1"], ["X-Second", "2"]]
    x = returned(observe, tuple_(string("ok"), *rest, pairs))
    same(
        (x.status, x.header("X-First"), x.header("X-Second")),
        (status, "1", "2"),
        "status and headers",
    )


@clause("response.tuple.headers-replace-same-name")
@pytest.mark.parametrize(
    ("value", "name", "expected"),
    [
        pytest.param(
            tuple_(string("a,b"), {"Content-Type": "text/csv"}),
            "Content-Type",
            ["text/csv"],
            id="content-type-of-a-str-body",
        ),
        pytest.param(
            tuple_(json_dict({"a": 1}), {"Content-Type": "text/plain"}),
            "Content-Type",
            ["text/plain"],
            id="content-type-of-a-dict-body",
        ),
        pytest.param(
            tuple_(response("ok", headers={"X-Version": "old"}), {"X-Version": "new"}),
            "X-Version",
            ["new"],
            id="header-of-a-response-object",
        ),
    ],
)
def test_tuple_header_replaces_the_responses_header_of_the_same_name(
    observe, value, name, expected
):
    """A header given in a returned tuple replaces a header of the same name that the response would
    otherwise have, such as the default Content-Type, rather than being sent beside it."""
    # The tuple's header is the only one of its name that is sent.
    x = returned(observe, value)
    same(values(x, name), expected, f"every {name} header sent")


@clause("response.object.used-as-is")
def test_response_object_is_sent_as_it_is(observe):
    """A returned response object of the framework's own class is sent as it is, with its own
    status, headers and body."""
    x = returned(observe, response("made", 202, {"X-Own": "kept"}))
    same((x.status, x.header("X-Own"), x.text), (202, "kept", "made"), "status, header, body")


@clause("response.wsgi-callable.called")
def test_a_returned_wsgi_application_answers_the_request(observe):
    """A returned WSGI application is called with the request's environment, and what it answers
    (status, headers, body) becomes the response."""
    x = returned(observe, wsgi_app("from wsgi", 203, {"X-Wsgi": "yes"}))
    same(
        (x.status, media_type(x.content_type), x.header("X-Wsgi"), x.text),
        (203, media_type("text/plain"), "yes", "from wsgi"),
        "status, content type, header, body",
    )


@clause("response.tuple.response-object-body")
def test_tuple_status_replaces_the_response_objects_status(observe):
    """When the body of a returned tuple is a response object, the tuple's status replaces the
    object's status."""
    # (response object, 201) sends the object's body with status 201 instead of its own.
    x = returned(observe, tuple_(response("made", 202), 201))
    same((x.status, x.text), (201, "made"), "status and body")


@clause("response.tuple.response-object-headers-added")
def test_tuple_headers_are_added_to_the_response_objects_headers(observe):
    """When the body of a returned tuple is a response object, the tuple's headers are added to the
    object's headers."""
    # (response object, headers) sends the object's own headers and the tuple's.
    x = returned(observe, tuple_(response("made", headers={"X-Own": "kept"}), {"X-Extra": "yes"}))
    same(
        (x.header("X-Own"), x.header("X-Extra"), x.text),
        ("kept", "yes", "made"),
        "object's header, tuple's header, body",
    )


@clause("response.none.error")
def test_returning_none_gives_a_500(observe):
    """A view that returns None gets a 500 Internal Server Error response."""
    # The view is called.
    x = returned(observe, none())
    same((x.order(), x.status), (["index"], 500), "views called and status")


@clause("response.tuple.wrong-length.error")
@pytest.mark.parametrize(
    "value",
    [
        pytest.param(tuple_(string("body")), id="1-tuple"),
        pytest.param(tuple_(string("body"), 201, {"X-A": "1"}, "extra"), id="4-tuple"),
    ],
)
def test_tuple_of_the_wrong_length_gives_a_500(observe, value):
    """A view that returns a tuple of any length other than two or three gets a 500 Internal Server
    Error response."""
    # A tuple of one or four items: a 500, not its body or status.
    x = returned(observe, value)
    same((x.order(), x.status), (["index"], 500), "views called and status")


@clause("response.unsupported-type.error")
def test_unsupported_type_gives_a_500(observe):
    """A view that returns a value of a type with no conversion rule, such as an integer, gets a 500
    Internal Server Error response."""
    # An integer: a 500, not a body or status made from it.
    x = returned(observe, integer(42))
    same((x.order(), x.status), (["index"], 500), "views called and status")


@clause("response.invalid.bypasses-exception-handlers")
@pytest.mark.parametrize("value", INVALID)
def test_type_error_handler_is_not_called_for_an_invalid_return_value(observe, value):
    """A return value that cannot be converted raises a TypeError outside the error handling of the
    view: a handler registered for TypeError is not called."""
    x = observe(
        scenario(
            error_handler("on_type_error", "TypeError", returns=string("handled")),
            view(returns=value),
        )
    ).only
    same((x.order(), x.status), (["index"], 500), "calls and status")


@clause("response.invalid.teardown-receives-type-error")
@pytest.mark.parametrize("value", INVALID)
def test_teardown_is_handed_the_type_error_of_an_invalid_return_value(observe, value):
    """For a return value that cannot be converted, teardown-request hooks are handed the TypeError
    as the unhandled exception."""
    x = observe(scenario(teardown("t", probes=["exception"]), view(returns=value))).only
    same(x.seen("t", "exception"), "TypeError", "exception handed to the teardown hook")


# -- area returns: richer return values --

TEXT_PLAIN = media_type("text/plain; charset=utf-8")
A_UUID = "12345678-1234-5678-1234-567812345678"


@clause("response.bytearray.body")
def test_bytearray_becomes_the_body_unchanged(observe):
    """A returned bytearray becomes the body unchanged, of a 200 response with the default
    text/html; charset=utf-8 content type, as bytes do."""
    x = returned(observe, bytearray_("café"))
    same((x.status, media_type(x.content_type), x.body), (200, HTML, "café".encode()), "response")


@clause("response.iterator.streamed")
def test_plain_iterator_items_make_up_the_body_in_order(observe):
    """A returned iterator that is not a generator, such as iter() of a list of strings, is a
    streamed body: the response carries its items, in order, with status 200."""
    x = returned(observe, iterator("first,", "second,", "third"))
    same((x.status, x.text), (200, "first,second,third"), "response")


@clause("response.iterator.unsupported")
def test_plain_iterator_gives_a_500_where_it_has_no_conversion_rule(observe):
    """A returned iterator that is not a generator has no conversion rule: the request gets a 500
    Internal Server Error response."""
    x = returned(observe, iterator("a", "b"))
    same(x.status, 500, "status")


@clause("response.http-exception.own-response")
@pytest.mark.parametrize("status", [pytest.param(s, id=str(s)) for s in (403, 404, 418, 503)])
def test_returned_http_exception_becomes_its_error_response(observe, status):
    """A returned (not raised) HTTP exception becomes the response it describes: its status and its
    HTML error page."""
    x = returned(observe, http_exception(status))
    same((x.status, media_type(x.content_type)), (status, HTML), "status and content type")
    same(str(status) in x.text, True, "the error page names its status")


@clause("response.http-exception.not-handled")
def test_returned_http_exception_is_not_given_to_its_error_handler(observe):
    """A returned (not raised) HTTP exception is not handed to the error handler registered for its
    status."""
    x = observe(
        scenario(
            error_handler("on_403", 403, returns=string("handled")),
            view(returns=http_exception(403)),
        )
    ).only
    same((x.order(), x.status, x.text == "handled"), (["index"], 403, False), "calls, status")


@clause("response.base-response.own-content-type")
@pytest.mark.parametrize(
    ("status", "sent"), [pytest.param(None, 200, id="no-status"), pytest.param(202, 202, id="202")]
)
def test_base_response_is_sent_with_its_own_content_type(observe, status, sent):
    """A returned instance of Werkzeug's base response class, rather than the app's response class,
    is sent with its own status, headers and body, and its own default content type text/plain;
    charset=utf-8."""
    x = returned(observe, base_response("plain", status, {"X-Own": "kept"}))
    same(
        (x.status, x.header("X-Own"), media_type(x.content_type), x.text),
        (sent, "kept", TEXT_PLAIN, "plain"),
        "status, header, content type, body",
    )


@clause("response.make-response.sent")
@pytest.mark.parametrize(
    ("status", "headers", "sent"),
    [
        pytest.param(None, {}, 200, id="body"),
        pytest.param(201, {}, 201, id="body-and-status"),
        pytest.param(None, {"X-Made": "yes"}, 200, id="body-and-headers"),
        pytest.param(201, {"X-Made": "yes"}, 201, id="body-status-and-headers"),
    ],
)
def test_response_from_make_response_is_sent(observe, status, headers, sent):
    """A response the view builds with make_response(body, status, headers) and returns is sent
    with that body, status and headers."""
    x = returned(observe, made_response("made", status, headers))
    same(
        (x.status, x.header("X-Made"), media_type(x.content_type), x.text),
        (sent, headers.get("X-Made"), HTML, "made"),
        "status, header, content type, body",
    )


@clause("response.redirect.default-302")
def test_redirect_answers_302_with_the_location(observe):
    """A view that returns redirect(location) answers 302 Found with that location in its Location
    header."""
    x = returned(observe, redirect("/elsewhere"))
    same((x.status, x.header("Location")), (302, "/elsewhere"), "status and Location")


@clause("response.redirect.location-made-absolute")
def test_redirect_location_is_made_absolute(observe):
    """The Location header of a redirect to a path is made an absolute URL on the request's host."""
    x = returned(observe, redirect("/elsewhere"))
    location = urlsplit(x.header("Location") or "")
    same(
        (x.status, location.scheme in ("http", "https"), bool(location.netloc), location.path),
        (302, True, True, "/elsewhere"),
        "status, and the Location's scheme, host and path",
    )


@clause("response.redirect.code")
@pytest.mark.parametrize("code", [pytest.param(c, id=str(c)) for c in (301, 303, 307, 308)])
def test_redirect_with_a_code_answers_that_code(observe, code):
    """A view that returns redirect(location, code) answers with that status code and that location
    in its Location header."""
    x = returned(observe, redirect("/elsewhere", code))
    same((x.status, x.header("Location")), (code, "/elsewhere"), "status and Location")


@clause("response.json.decimal-as-string")
@pytest.mark.parametrize("digits", ["1.50", "-0.001", "12345678901234567890.1"])
def test_decimal_is_serialised_as_a_string(observe, digits):
    """A decimal.Decimal value in a returned dict is serialised as the JSON string of its digits,
    such as "1.50"."""
    x = returned(observe, typed_json(decimal=digits))
    same((x.status, x.json()), (200, {"decimal": digits}), "status and JSON")


@clause("response.json.decimal-unsupported")
def test_decimal_gives_a_500_where_it_cannot_be_serialised(observe):
    """A decimal.Decimal value in a returned dict cannot be serialised: the request gets a 500
    Internal Server Error response."""
    x = returned(observe, typed_json(decimal="1.50"))
    same(x.status, 500, "status")


@clause("response.json.dates-as-http-date")
@pytest.mark.parametrize(
    ("kind", "text", "sent"),
    [
        pytest.param("datetime", "2026-01-02T03:04:05+00:00", "Fri, 02 Jan 2026 03:04:05 GMT",
                     id="datetime-utc"),
        pytest.param("datetime", "2026-01-02T05:04:05+02:00", "Fri, 02 Jan 2026 03:04:05 GMT",
                     id="datetime-offset"),
        pytest.param("date", "2026-01-02", "Fri, 02 Jan 2026 00:00:00 GMT", id="date"),
    ],
)  # fmt: skip
def test_dates_are_serialised_as_http_dates(observe, kind, text, sent):
    """A datetime or date value in a returned dict is serialised as a string in HTTP date format
    (RFC 822, in GMT), a date as its midnight."""
    x = returned(observe, typed_json(**{kind: text}))
    same((x.status, x.json()), (200, {kind: sent}), "status and JSON")


@clause("response.json.uuid-as-string")
def test_uuid_is_serialised_as_its_string(observe):
    """A uuid.UUID value in a returned dict is serialised as its string in the canonical hyphenated
    form."""
    x = returned(observe, typed_json(uuid=A_UUID.upper()))
    same((x.status, x.json()), (200, {"uuid": A_UUID}), "status and JSON")


@clause("response.json.sorted-keys")
def test_dict_keys_are_written_in_sorted_order(observe):
    """The keys of a returned dict are written to the JSON body in sorted order, whatever order the
    dict had."""
    # The view's dict has its keys in the order datetime, date, uuid.
    x = returned(
        observe, typed_json(datetime="2026-01-02T03:04:05+00:00", date="2026-01-02", uuid=A_UUID)
    )
    same(key_orders(x.text), [["date", "datetime", "uuid"]], "key order")


def key_orders(text):
    """The order of the keys of every object in JSON ``text``, inner objects first;
    None when the body is not JSON (no keys were written)."""
    orders = []

    def keys(pairs):
        orders.append([k for k, _ in pairs])
        return dict(pairs)

    try:
        json.loads(text, object_pairs_hook=keys)
    except ValueError:
        return None
    return orders


@clause("response.json.ascii-escaped")
def test_non_ascii_characters_are_escaped(observe):
    """Non-ASCII characters in a returned dict are written to the JSON body as \\u escapes, so
    the body is ASCII."""
    x = returned(observe, json_dict({"name": "café ☕"}))
    same(
        (x.body.isascii(), "\\u00e9" in x.text, "\\u2615" in x.text, x.json()),
        (True, True, True, {"name": "café ☕"}),
        "ASCII body, escapes, and the value they encode",
    )


@clause("response.json.compact")
def test_json_body_is_compact(observe):
    """Outside debug mode, the JSON body of a returned dict is compact: no whitespace after its
    separators and no indentation."""
    x = returned(observe, json_dict({"a": [1, 2], "b": {"c": None}}))
    same(x.text.strip(), '{"a":[1,2],"b":{"c":null}}', "JSON body")


@clause("response.tuple.header-pairs-repeated")
@pytest.mark.parametrize(
    ("body", "rest"),
    [
        pytest.param(string("ok"), (), id="str-body"),
        pytest.param(bytes_("ok"), (), id="bytes-body"),
        pytest.param(string("ok"), (202,), id="str-body-and-status"),
        pytest.param(bytes_("ok"), (202,), id="bytes-body-and-status"),
    ],
)
def test_a_header_repeated_in_pairs_is_sent_for_each_pair(observe, body, rest):
    """A header name repeated in the list of (name, value) pairs of a returned tuple whose body is a
    string or bytes is sent once for each pair, in order."""
    pairs = [["X-Repeated", "1"], ["X-Other", "o"], ["X-Repeated", "2"]]
    x = returned(observe, tuple_(body, *rest, pairs))
    same(
        (values(x, "X-Repeated"), values(x, "X-Other"), x.text),
        (["1", "2"], ["o"], "ok"),
        "every X-Repeated and X-Other header sent, and the body",
    )


# -- the status line as the client gets it (feature reason-phrase) --


def status_line(observe, value):
    """The code and reason phrase the client got for a GET to a view that returns ``value``."""
    x = observe(scenario(view(returns=value), requests=[call(reads_reason=True)])).only
    return x.status, x.reason


@clause("response.status-line.tuple-string-reason")
@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        pytest.param("299 SOMETHING", 299, "SOMETHING", id="unregistered-code"),
        pytest.param("201 MADE IT", 201, "MADE IT", id="registered-code"),
    ],
)
def test_status_line_in_a_tuple_is_sent_as_given(observe, status, code, reason):
    """A full status line given as the status of a returned tuple, such as "299 SOMETHING", is sent
    as it was given: the client gets that code and that reason phrase."""
    got = status_line(observe, tuple_(string("ok"), status))
    same(got, (code, reason), "code and reason phrase")


@clause("response.status-line.registered-reason")
@pytest.mark.parametrize(
    ("value", "code", "reason"),
    [
        pytest.param(response("ok", 201), 201, "created", id="response-201"),
        pytest.param(response("ok", 404), 404, "not found", id="response-404"),
        pytest.param(made_response("ok", 202), 202, "accepted", id="make_response"),
    ],
)
def test_a_registered_code_is_sent_with_its_registered_reason(observe, value, code, reason):
    """A response whose status is given as a code that HTTP
    registers is sent with the reason phrase registered for it, in any letter case (Werkzeug writes
    "201 CREATED")."""
    got, phrase = status_line(observe, value)
    same((got, phrase and phrase.casefold()), (code, reason), "code and reason phrase (casefolded)")


@clause("response.status-line.unknown-code-reason")
@pytest.mark.parametrize(
    "value",
    [
        pytest.param(response("ok", 299), id="response"),
        pytest.param(made_response("ok", 299), id="make_response"),
    ],
)
def test_an_unregistered_code_is_sent_with_the_reason_unknown(observe, value):
    """A response whose status is a code that HTTP does not register, such as 299, is sent with the
    reason phrase UNKNOWN, in any letter case."""
    got, phrase = status_line(observe, value)
    same((got, phrase and phrase.casefold()), (299, "unknown"), "code and reason (casefolded)")


@clause("response.status-line.response-status-string")
@pytest.mark.parametrize(
    "value",
    [
        pytest.param(response("ok", "201 MADE IT"), id="response"),
        pytest.param(made_response("ok", "201 MADE IT"), id="make_response"),
    ],
)
def test_a_response_status_set_to_a_status_line_is_sent_as_given(observe, value):
    """A response whose status is set to a full status line, such as "201 MADE IT", is sent with
    that code and that reason phrase."""
    same(status_line(observe, value), (201, "MADE IT"), "code and reason phrase")
