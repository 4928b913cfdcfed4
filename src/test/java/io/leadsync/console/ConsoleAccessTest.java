package io.leadsync.console;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Sessions: only this service's, under the current key, before their end; form tokens: equal or nothing. */
class ConsoleAccessTest {

    static ConsoleAccess access(String key, Instant now) {
        ConsoleAccess access = new ConsoleAccess();
        // Only leadsync.api-key is read.
        access.config = (io.leadsync.config.LeadsyncConfig) java.lang.reflect.Proxy.newProxyInstance(
                ConsoleAccessTest.class.getClassLoader(), new Class<?>[] { io.leadsync.config.LeadsyncConfig.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("apiKey")) {
                        return Optional.ofNullable(key);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        access.console = new ConsoleConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration sessionLifetime() {
                return Duration.ofHours(8);
            }
        };
        access.clock = Clock.fixed(now, ZoneOffset.UTC);
        return access;
    }

    @Test
    void aSessionLastsItsLifetimeUnderItsKey() {
        Instant start = Instant.parse("2026-12-06T10:00:00Z");
        String session = access("k1", start).session(false).getValue();
        assertThat(access("k1", start.plus(Duration.ofHours(7))).signedIn(session), is(true));
        assertThat("expired", access("k1", start.plus(Duration.ofHours(8))).signedIn(session), is(false));
        assertThat("another key", access("k2", start).signedIn(session), is(false));
        assertThat(access("k1", start).session(false).getMaxAge(), is(8 * 3600));
        assertThat(access("k1", start).session(false).isHttpOnly(), is(true));
    }

    @Test
    void aSessionChangedOrMadeUpIsNone() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        ConsoleAccess access = access("k1", now);
        String session = access.session(false).getValue();
        String[] parts = session.split("\\.");
        String later = (Long.parseLong(parts[0]) + 86_400_000L) + "." + parts[1] + "." + parts[2];
        for (String forged : new String[] { later, parts[0] + "." + parts[1] + ".x", "", ".", "..", "a.b.c",
                session.substring(0, session.length() - 1), session + "A" }) {
            assertThat(forged, access.signedIn(forged), is(false));
        }
        assertThat(access.signedIn(null), is(false));
        assertThat("without a key there is nothing to sign in to", access(null, now).signedIn(null), is(true));
    }

    @Test
    void theKeyAndTheTokensAreComparedWhole() {
        ConsoleAccess access = access("k1", Instant.now());
        assertThat(access.isKey("k1"), is(true));
        assertThat(access.isKey("k"), is(false));
        assertThat(access.isKey(null), is(false));
        assertThat(access(null, Instant.now()).isKey(""), is(false));
        assertThat(ConsoleAccess.sameToken("t", "t"), is(true));
        assertThat(ConsoleAccess.sameToken("t", "u"), is(false));
        assertThat(ConsoleAccess.sameToken(null, null), is(false));
        assertThat(ConsoleAccess.sameToken("", ""), is(false));
    }
}
