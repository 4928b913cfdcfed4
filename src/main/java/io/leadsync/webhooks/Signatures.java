package io.leadsync.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** How a webhook proves where it comes from; every comparison takes the same time whatever the bytes. */
public final class Signatures {

    /**
     * {@code x-truto-signature: format=sha256,v=<digest>}, or {@code v=<digest>} alone: the HMAC-SHA256 of the raw body
     * keyed with the webhook's secret. Truto's own sources give the digest as hex after {@code format=sha256,}; a
     * production verifier of one of its users reads {@code v=<base64>} with no format part, so all are taken (64 hex
     * digits, or 44 base64 characters: 32 bytes either way).
     */
    private static final Pattern TRUTO = Pattern.compile(
            "\\s*(?:format\\s*=\\s*sha256\\s*,\\s*)?v\\s*=\\s*([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)\\s*");

    private Signatures() {
    }

    /** The shared secret Superfone sends in a header the user set: equal, compared through their hashes. */
    static boolean sameSecret(String given, String secret) {
        return MessageDigest.isEqual(sha256(given.getBytes(StandardCharsets.UTF_8)),
                sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Null when the header signs the body; otherwise why not, for the 401. */
    static String trutoProblem(String header, byte[] body, String secret) {
        Matcher signature = TRUTO.matcher(header);
        if (!signature.matches()) {
            return "header x-truto-signature must be [format=sha256,]v=<HMAC-SHA256 of the body, hex or base64>";
        }
        String digest = signature.group(1);
        byte[] given = digest.length() == 64 ? HexFormat.of().parseHex(digest) : Base64.getDecoder().decode(digest);
        return MessageDigest.isEqual(given, hmacSha256(secret, body)) ? null
                : "header x-truto-signature does not sign this body with leadsync.truto.webhook-secret";
    }

    /** The x-truto-signature Truto sends with this body (the sandbox's fake Truto signs its webhooks with it). */
    public static String truto(String secret, byte[] body) {
        return "format=sha256,v=" + HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of the bytes in hex: the id of an event its sender gives none. */
    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
