package io.leadsync.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.leadsync.config.LeadsyncConfig;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may use the console, and that a form was sent from it.
 * <ul>
 * <li><b>Sign-in</b>, when {@code leadsync.api-key} is set: the key, asked once, becomes a session cookie
 * {@code expiry.nonce.mac}, the mac an HMAC-SHA256 under a key derived from the API key. Nothing is kept on the
 * server, so every replica behind a Service knows the session, and changing the API key ends every session. The
 * cookie is HttpOnly and SameSite=Strict; it ends with {@code leadsync.console.session-lifetime}.</li>
 * <li><b>Forms</b>: every state-changing action is a POST carrying a token equal to the {@code leadsync_console_csrf}
 * cookie (double submit). Another site can neither read that cookie nor, SameSite=Strict, make the browser send it.</li>
 * </ul>
 * The cookies carry no Path: the browser scopes them to the console's own directory, whatever sub-path a proxy
 * serves it at (every console page is one level below it).
 */
@ApplicationScoped
public class ConsoleAccess {

    static final String SESSION = "leadsync_console";
    static final String CSRF = "leadsync_console_csrf";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();

    @Inject
    LeadsyncConfig config;

    @Inject
    ConsoleConfig console;

    Clock clock = Clock.systemUTC();

    /** leadsync.console.enabled=false: every console address answers 404, before anything else looks at it. */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> switchedOff(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean consolePath = path.equals("/console") || path.startsWith("/console/");
        return consolePath && !console.enabled() ? Optional.of(Response.status(Response.Status.NOT_FOUND).build())
                : Optional.empty();
    }

    /** Whether the console asks for the API key (it is set); else it is open like the rest of the API. */
    boolean keyed() {
        return key().isPresent();
    }

    /** Whether this session cookie is one this service issued under the current key and has not expired. */
    boolean signedIn(String session) {
        Optional<String> key = key();
        if (key.isEmpty()) {
            return true;
        }
        if (session == null) {
            return false;
        }
        int mac = session.lastIndexOf('.');
        int nonce = session.indexOf('.');
        if (mac <= nonce || nonce <= 0) {
            return false;
        }
        String signed = session.substring(0, mac);
        if (!MessageDigest.isEqual(mac(key.get(), signed).getBytes(StandardCharsets.US_ASCII),
                session.substring(mac + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(session.substring(0, nonce))).isAfter(clock.instant());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether {@code given} is the API key (compared in constant time). */
    boolean isKey(String given) {
        return given != null && key().filter(k -> MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    /** A new session's cookie; {@code secure}: the browser came over HTTPS, so the cookie never goes over plain HTTP. */
    NewCookie session(boolean secure) {
        Instant expiry = clock.instant().plus(console.sessionLifetime());
        String signed = expiry.toEpochMilli() + "." + random();
        return cookie(SESSION, signed + "." + mac(key().orElseThrow(), signed), (int) console.sessionLifetime().toSeconds(), secure);
    }

    /** The cookie that ends a session. */
    NewCookie signOut(boolean secure) {
        return cookie(SESSION, "", 0, secure);
    }

    /** A new form token and its cookie, for a browser that has none yet. */
    NewCookie csrf(boolean secure) {
        return cookie(CSRF, random(), NewCookie.DEFAULT_MAX_AGE, secure);
    }

    /** Whether a form's token is the browser's own (both present and equal). */
    static boolean sameToken(String cookie, String form) {
        return cookie != null && form != null && !cookie.isEmpty()
                && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII), form.getBytes(StandardCharsets.US_ASCII));
    }

    private Optional<String> key() {
        return config.apiKey().filter(k -> !k.isBlank());
    }

    private static NewCookie cookie(String name, String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(name).value(value).maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    private static String random() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return TEXT.encodeToString(bytes);
    }

    private static String mac(String apiKey, String text) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256")
                    .digest(("leadsync console session\0" + apiKey).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return TEXT.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
