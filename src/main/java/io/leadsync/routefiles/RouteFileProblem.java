package io.leadsync.routefiles;

/**
 * One thing wrong with a route file: its name, the 1-based line (0 when no line is known) and what
 * is wrong, printed as {@code file:line: message} like a compiler error: one line, always.
 */
public record RouteFileProblem(String file, int line, String message) {

    /**
     * A message of several lines is made one: its lines joined by ": ", less those that only point at a column
     * (a language's syntax error quotes the expression and marks the spot under it, and says the location in words).
     */
    public RouteFileProblem {
        if (message != null && (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0)) {
            message = message.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.matches("[*^~]+"))
                    .collect(java.util.stream.Collectors.joining(": "));
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
