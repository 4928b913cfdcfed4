package io.leadsync.crm.truto;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.leadsync.webhooks.Signatures;

/** How a Truto webhook proves it comes from Truto: {@code x-truto-signature}, compared in constant time. */
public final class TrutoSignatures {

    /** The header Truto signs its webhooks in. */
    public static final String HEADER = "x-truto-signature";

    /**
     * {@code x-truto-signature: format=sha256,v=<digest>}, or {@code v=<digest>} alone: the HMAC-SHA256 of the raw body
     * keyed with the webhook's secret. Truto's own sources give the digest as hex after {@code format=sha256,}; a
     * production verifier of one of its users reads {@code v=<base64>} with no format part, so all are taken (64 hex
     * digits, or 44 base64 characters: 32 bytes either way).
     */
    private static final Pattern TRUTO = Pattern.compile(
            "\\s*(?:format\\s*=\\s*sha256\\s*,\\s*)?v\\s*=\\s*([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)\\s*");

    private TrutoSignatures() {
    }

    /** Null when the header signs the body; otherwise why not, for the 401. */
    static String problem(String header, byte[] body, String secret) {
        Matcher signature = TRUTO.matcher(header);
        if (!signature.matches()) {
            return "header x-truto-signature must be [format=sha256,]v=<HMAC-SHA256 of the body, hex or base64>";
        }
        String digest = signature.group(1);
        byte[] given = digest.length() == 64 ? HexFormat.of().parseHex(digest) : Base64.getDecoder().decode(digest);
        return MessageDigest.isEqual(given, Signatures.hmacSha256(secret, body)) ? null
                : "header x-truto-signature does not sign this body with leadsync.truto.webhook-secret";
    }

    /** The x-truto-signature Truto sends with this body (the sandbox's fake Truto signs its webhooks with it). */
    static String sign(String secret, byte[] body) {
        return "format=sha256,v=" + HexFormat.of().formatHex(Signatures.hmacSha256(secret, body));
    }
}
