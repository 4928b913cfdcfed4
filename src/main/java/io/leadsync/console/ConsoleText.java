package io.leadsync.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/** How the console's templates write values: times in UTC to the second, names for CSS classes, URL parameters. */
@TemplateExtension
final class ConsoleText {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ConsoleText() {
    }

    static String shown(Instant at) {
        return at == null ? "" : SHOWN.format(at);
    }

    /** An enum's name as a CSS class word: DEAD_LETTER is dead-letter. */
    static String css(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String css(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String url(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
