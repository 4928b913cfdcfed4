package io.leadsync.badinput;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Family "JSON bodies": POST /leads with bodies (and Content-Types, and an Idempotency-Key) a careless or
 * hostile client sends. Each is answered 4xx problem+json naming what is wrong, or — for unusual but valid
 * input — taken and delivered once; a good update goes before each, and each of those reaches the CRM once.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@ExtendWith(Tally.class)
class JsonBodiesTest {

    static final String FAMILY = "JSON bodies";
    /** The one refusal that is not ours to word: see its case. */
    static final String BARE = "(Quarkus's own, no problem body)";

    @TestHTTPResource("/leads")
    URI leads;

    /** A bad input: what to send, the status it must get and a part of the problem's detail. */
    record Case(String name, Supplier<Response> send, int status, String detail) {
    }

    final GoodUpdates good = new GoodUpdates(FAMILY, "9181");

    /** Sent with the JDK's client: RestAssured logs (and pretty-prints) every body, which a deep one makes explode. */
    Response json(String body) {
        return bytes("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    Response bytes(String contentType, byte[] body) {
        return send(contentType, body, false);
    }

    static String lead(String more) {
        return "{\"target\":\"superfone\",\"phone\":\"+919999999999\"" + more + "}";
    }

    Case bad(String name, String body, String detail) {
        return new Case(name, () -> json(body), 400, detail);
    }

    List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // structure
        cases.add(bad("nested 10 000 deep in fields", lead(",\"fields\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)),
                "nested deeper than 32 levels"));
        cases.add(bad("an array nested 100 000 deep", "[".repeat(100_000) + "]".repeat(100_000), "nested deeper than 32 levels"));
        cases.add(bad("nested 40 deep, small", lead(",\"fields\":" + "[".repeat(40) + "]".repeat(40)), "nested deeper than 32"));
        cases.add(bad("'target' twice", "{\"target\":\"superfone\",\"target\":\"telecrm\",\"phone\":\"+919999999999\"}",
                "Duplicate field 'target'"));
        cases.add(bad("'phone' twice", "{\"target\":\"superfone\",\"phone\":\"+919999999999\",\"phone\":\"+918888888888\"}",
                "Duplicate field 'phone'"));
        cases.add(bad("a key twice inside fields", lead(",\"fields\":{\"city\":\"Pune\",\"city\":\"Goa\"}"), "Duplicate field 'city'"));
        cases.add(bad("a second object after the first", lead("") + lead(""), "more after the JSON value"));
        cases.add(bad("text after the object", lead("") + " thanks!", "(line 1, column"));
        cases.add(bad("a comma after the object", lead("") + ",", "(line 1, column"));
        cases.add(bad("truncated", "{\"target\":\"superfone\",\"phone\":\"+91999", "Unexpected end-of-input"));
        cases.add(bad("single quotes", "{'target':'superfone','phone':'+919999999999'}", "is not valid JSON"));
        cases.add(bad("a comment", "{/* hi */\"target\":\"superfone\",\"phone\":\"+919999999999\"}", "is not valid JSON"));
        cases.add(bad("NaN in fields", lead(",\"fields\":{\"score\":NaN}"), "is not valid JSON"));
        cases.add(bad("a 200-digit number", lead(",\"fields\":{\"n\":" + "9".repeat(200) + "}"), "too large or too deep"));
        cases.add(bad("a control character in a string", lead(",\"name\":\"Ja\u0001ne\""), "is not valid JSON"));
        cases.add(bad("an array, not an object", "[" + lead("") + "]", "body must be a JSON object"));
        cases.add(bad("a string, not an object", "\"superfone\"", "body must be a JSON object"));
        cases.add(bad("a number, not an object", "42", "body must be a JSON object"));
        cases.add(bad("null", "null", "body must be a JSON object"));
        cases.add(bad("only whitespace", "  \n\t ", "is empty"));
        cases.add(new Case("no body at all", () -> json(""), 400, "body is empty"));
        // types: a string field must BE a string
        cases.add(bad("stage as an object", lead(",\"stage\":{\"name\":\"Fresh\"}"), "field 'stage' must be a string, not object"));
        cases.add(bad("stage as an array", lead(",\"stage\":[\"Fresh\"]"), "field 'stage' must be a string, not array"));
        cases.add(bad("stage as a number", lead(",\"stage\":3"), "field 'stage' must be a string, not number"));
        cases.add(bad("stage as a boolean", lead(",\"stage\":true"), "field 'stage' must be a string, not boolean"));
        cases.add(bad("phone as a number", "{\"target\":\"superfone\",\"phone\":919999999999}", "field 'phone' must be a string"));
        cases.add(bad("target as an array", "{\"target\":[\"superfone\"],\"phone\":\"+919999999999\"}", "field 'target' must be a string"));
        cases.add(bad("name as an object", lead(",\"name\":{\"first\":\"Jane\"}"), "field 'name' must be a string"));
        cases.add(bad("stageSource as a number", lead(",\"stageSource\":1"), "field 'stageSource' must be a string"));
        cases.add(bad("fields as a string", lead(",\"fields\":\"city=Pune\""), "field 'fields' must be an object"));
        cases.add(bad("actions as an object", "{\"target\":\"telecrm\",\"leadId\":\"x\",\"actions\":{}}", "field 'actions' must be an array"));
        // values
        cases.add(bad("an empty leadId", "{\"target\":\"telecrm\",\"leadId\":\"\"}", "field 'leadId' must not be empty"));
        cases.add(bad("a blank leadId", "{\"target\":\"telecrm\",\"leadId\":\"   \"}", "field 'leadId' must not be empty"));
        cases.add(bad("an empty target", "{\"target\":\"\",\"phone\":\"+919999999999\"}", "field 'target' must not be empty"));
        cases.add(bad("an unknown target", "{\"target\":\"hubspot\",\"phone\":\"+919999999999\"}", "field 'target': 'hubspot'"));
        cases.add(bad("an unknown stageSource", lead(",\"stage\":\"Won\",\"stageSource\":\"hubspot\""),
                "field 'stageSource': 'hubspot' is not an enabled source; the sources are ["));
        cases.add(bad("no target", "{\"phone\":\"+919999999999\"}", "field 'target' is required"));
        cases.add(bad("an e-mail without @", lead(",\"email\":\"jane.example.com\""), "field 'email'"));
        cases.add(bad("an e-mail with a space", lead(",\"email\":\"jane doe@example.com\""), "field 'email'"));
        cases.add(bad("an e-mail without a domain dot", lead(",\"email\":\"jane@localhost\""), "field 'email'"));
        cases.add(bad("a phone in words", lead("").replace("+919999999999", "call me"), "field 'phone'"));
        cases.add(bad("a 2 000-character name", lead(",\"name\":\"" + "x".repeat(2000) + "\""), "field 'name' is longer than"));
        cases.add(bad("an unknown field", lead(",\"colour\":\"red\""), "unknown field 'colour'"));
        // bytes, sizes and Content-Types
        cases.add(new Case("Latin-1 bytes (not UTF-8)", () -> bytes("application/json",
                lead(",\"name\":\"José\"").getBytes(StandardCharsets.ISO_8859_1)), 400, "is not UTF-8 text"));
        cases.add(new Case("UTF-16 bytes", () -> bytes("application/json", lead("").getBytes(StandardCharsets.UTF_16)), 400,
                "is not"));
        cases.add(new Case("a lone continuation byte", () -> bytes("application/json", new byte[] {'{', (byte) 0x80, '}'}), 400,
                "malformed byte 0x80 at byte 2"));
        cases.add(new Case("text/plain", () -> given().contentType("text/plain").body(lead("")).post("/leads"), 415,
                "Content-Type must be application/json"));
        cases.add(new Case("application/xml", () -> given().contentType("application/xml").body("<lead/>").post("/leads"), 415,
                "Content-Type must be application/json"));
        cases.add(new Case("JSON declared as ISO-8859-1", () -> bytes("application/json; charset=ISO-8859-1",
                lead("").getBytes(StandardCharsets.ISO_8859_1)), 415, "charset UTF-8"));
        cases.add(new Case("a malformed Content-Type", () -> bytes("json", utf8(lead(""))), 415,
                "content-type header value did not correspond to a valid media type"));
        cases.add(new Case("JSON declared as UTF-16", () -> bytes("application/json; charset=UTF-16", utf8(lead(""))), 415,
                "charset UTF-8"));
        cases.add(new Case("application/merge-patch+json", () -> bytes("application/merge-patch+json", utf8(lead(""))), 415,
                "Content-Type must be application/json"));
        cases.add(new Case("two Idempotency-Key headers", this::twoKeys, 400,
                "header Idempotency-Key"));
        cases.add(new Case("a form post", () -> given().formParam("target", "superfone").post("/leads"), 415,
                "Content-Type must be application/json"));
        cases.add(new Case("2 MiB with a Content-Length", () -> json(lead(",\"fields\":{\"note\":\"" + "x".repeat(2 << 20) + "\"}")),
                413, "body is larger than"));
        cases.add(new Case("1 MiB + 16 KiB chunked (no Content-Length)", () -> chunked((1 << 20) + (16 << 10)), 413,
                "body is larger than 1 MiB"));
        // Beyond quarkus.http.limits.max-body-size a chunked body meets Quarkus's own 413 (no problem body): it
        // counts bytes as they arrive, before the resource reads them.
        cases.add(new Case("2 MiB chunked (no Content-Length)", () -> chunked(2 << 20), 413, BARE));
        cases.add(new Case("1 MiB + 1 byte of spaces", () -> json(lead("") + " ".repeat(1 << 20)), 413, "body is larger than"));
        // the Idempotency-Key header
        cases.add(new Case("an empty Idempotency-Key", () -> given().header("Idempotency-Key", "").contentType("application/json")
                .body(lead("")).post("/leads"), 400, "header Idempotency-Key must be 1 to 255"));
        cases.add(new Case("a 256-character Idempotency-Key", () -> given().header("Idempotency-Key", "k".repeat(256))
                .contentType("application/json").body(lead("")).post("/leads"), 400, "header Idempotency-Key"));
        cases.add(new Case("an Idempotency-Key with a tab", () -> given().header("Idempotency-Key", "a\tb")
                .contentType("application/json").body(lead("")).post("/leads"), 400, "header Idempotency-Key"));
        cases.add(new Case("an unknown query parameter on POST /leads", () -> given().queryParam("dryRun", "true")
                .contentType("application/json").body(lead("")).post("/leads"), 400, "query parameter 'dryRun'"));
        return cases;
    }

    /** A body of about {@code size} bytes sent chunked, so only the reading side can tell it is too large. */
    Response chunked(int size) {
        return send("application/json", lead(",\"fields\":{\"note\":\"" + "x".repeat(size) + "\"}")
                .getBytes(StandardCharsets.UTF_8), true);
    }

    /** Two Idempotency-Key header lines, written on the socket: clients merge or refuse them. */
    Response twoKeys() {
        byte[] body = utf8(lead(""));
        try (java.net.Socket socket = new java.net.Socket(leads.getHost(), leads.getPort())) {
            socket.getOutputStream().write(utf8("POST /leads HTTP/1.1\r\nHost: " + leads.getHost() + "\r\n"
                    + "Content-Type: application/json\r\nIdempotency-Key: first\r\nIdempotency-Key: second\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n"));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
            return new io.restassured.builder.ResponseBuilder().setStatusCode(Integer.parseInt(answer.substring(9, 12)))
                    .setContentType(head.contains("application/problem+json") ? "application/problem+json" : "")
                    .setBody(answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1)).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** POST /leads with the JDK's client: with no Content-Type at all (null), or chunked. */
    Response send(String contentType, byte[] body, boolean chunked) {
        HttpRequest.Builder request = HttpRequest.newBuilder(leads);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, body, chunked);
    }

    Response send(HttpRequest.Builder request, byte[] body, boolean chunked) {
        request.POST(chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new io.restassured.builder.ResponseBuilder().setStatusCode(answer.statusCode())
                    .setContentType(answer.headers().firstValue("Content-Type").orElse(""))
                    .setBody(answer.body()).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> badBodiesAreProblems() {
        GoodUpdates.superfoneUp();
        Stream<DynamicTest> bad = cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Leads.submit(good.json());
            Response answer = c.send().get();
            int status = Tally.refused(FAMILY, c.name(), answer);
            assertThat(answer.asString(), status, is(c.status()));
            if (c.detail() != BARE) {
                assertThat(answer.contentType(), containsString("application/problem+json"));
                assertThat(answer.jsonPath().getString("detail"), containsString(c.detail()));
            }
        }));
        Stream<DynamicTest> recovered = Stream.of(
                recovered("a UTF-8 BOM before the object", phone -> bytes("application/json",
                        ("\uFEFF" + update(phone)).getBytes(StandardCharsets.UTF_8))),
                recovered("charset=utf-8 named", phone -> bytes("application/json; charset=utf-8",
                        update(phone).getBytes(StandardCharsets.UTF_8))),
                recovered("no Content-Type at all", phone -> send((String) null, update(phone).getBytes(StandardCharsets.UTF_8), false)),
                recovered("CRLF and tabs between tokens", phone -> json(update(phone).replace(",", ",\r\n\t"))),
                recovered("non-ASCII names in UTF-8", phone -> json(update(phone).replace("}", ",\"name\":\"Zoë Ñúñez 李\"}"))));
        Stream<DynamicTest> none = Stream.of(DynamicTest.dynamicTest("each good update around them reached the CRM once",
                () -> assertThat(good.tallyLostAndDuplicated(), is(0))));
        return Stream.of(bad, recovered, none).flatMap(s -> s);
    }

    static String update(String phone) {
        return "{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"stage\":\"Qualified\"}";
    }

    /** Unusual but valid: accepted (202) and then delivered once, checked with the good updates. */
    DynamicTest recovered(String name, java.util.function.Function<String, Response> send) {
        return DynamicTest.dynamicTest(name, () -> {
            Response answer = send.apply(good.phone());
            if (answer.statusCode() >= 500) {
                Tally.record(FAMILY, name, Tally.Outcome.SERVER_ERROR);
            }
            assertThat(answer.asString(), answer.statusCode(), is(202));
            Tally.record(FAMILY, name, Tally.Outcome.RECOVERED);
        });
    }
}
