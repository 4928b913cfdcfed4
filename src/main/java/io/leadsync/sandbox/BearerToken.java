package io.leadsync.sandbox;

/** The {@code Authorization: Bearer <token>} check of the fakes of CRMs that take a bearer token (scheme case-insensitive). */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    public static boolean matches(String authorization, String expected) {
        return authorization != null
                && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && authorization.substring(SCHEME.length()).trim().equals(expected);
    }
}
