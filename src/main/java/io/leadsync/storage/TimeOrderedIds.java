package io.leadsync.storage;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUIDs whose text sorts by creation time (the layout of UUID version 7: 48 bits of Unix milliseconds,
 * then random bits), so files named by them list in the order they were written.
 */
public final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {
    }

    /** The smallest id of that instant's millisecond: {@code id > first(t)} is every id made at t or later. */
    public static String first(java.time.Instant at) {
        return new UUID((at.toEpochMilli() << 16) | 0x7000L, 0x8000000000000000L).toString();
    }

    public static String next() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
