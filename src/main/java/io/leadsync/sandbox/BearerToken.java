package io.leadsync.sandbox;

/** The {@code Authorization: Bearer <token>} check TeleCRM and Truto share (scheme case-insensitive). */
final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    static boolean matches(String authorization, String expected) {
        return authorization != null
                && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && authorization.substring(SCHEME.length()).trim().equals(expected);
    }
}
