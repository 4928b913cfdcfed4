package io.leadsync.routefiles;

/**
 * One thing wrong with a route file: its name, the 1-based line (0 when no line is known) and what
 * is wrong, printed as {@code file:line: message} like a compiler error.
 */
public record RouteFileProblem(String file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
