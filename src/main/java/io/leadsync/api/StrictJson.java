package io.leadsync.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON reader for what callers send us (request bodies, intake lines): duplicate keys, text after
 * the value, deep nesting and oversized tokens are refused by Jackson itself, and every refusal says what
 * and where (line, column). Kept apart from the application's ObjectMapper, which also reads CRM answers
 * and must stay lenient with them.
 */
public final class StrictJson {

    /** The largest input: a POST /leads body, or one intake line. */
    public static final int MAX_BYTES = 1024 * 1024;
    /** Deeper than any lead update needs ({@code fields} values included); stops stack-eating bodies early. */
    public static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_BYTES)
                            .maxDocumentLength(MAX_BYTES)
                            .maxNameLength(1000)
                            .maxNumberLength(100)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /** A value the caller sent that is not strict JSON; the message says what is wrong and where. */
    public static class InvalidJsonException extends RuntimeException {
        public InvalidJsonException(String message) {
            super(message);
        }
    }

    /** Decodes UTF-8 strictly (a leading BOM is dropped): bytes that are not UTF-8 are refused, never replaced. */
    public static String utf8(byte[] bytes, int length) {
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            throw new InvalidJsonException("is not UTF-8 text: malformed byte 0x"
                    + Integer.toHexString(bytes[in.position()] & 0xff) + " at byte " + (in.position() + 1));
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses one JSON value, strictly; an empty or blank text is refused too. */
    public static JsonNode read(String text) {
        if (text.isBlank()) {
            throw new InvalidJsonException("is empty: expected a JSON object");
        }
        try {
            return MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new InvalidJsonException("is too large or too deep: " + constraint(e) + where(e.getLocation()));
        } catch (MismatchedInputException e) {
            // readTree binds to nothing else, so a mismatch here is FAIL_ON_TRAILING_TOKENS or a duplicate tree key
            String what = e.getOriginalMessage().startsWith("Trailing token")
                    ? "has more after the JSON value: send exactly one value"
                    : e.getOriginalMessage();
            throw new InvalidJsonException(what + where(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException("is not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()));
        }
    }

    private static String constraint(StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        if (message.contains("nesting depth")) {
            return "nested deeper than " + MAX_DEPTH + " levels";
        }
        int from = message.indexOf(" (from `");
        return from > 0 ? message.substring(0, from) + ")" : message;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
