package io.leadsync.paging;

import java.util.HashSet;
import java.util.Set;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The state of one walk through a paginated answer, shared by every paginator (page numbers,
 * skip/limit, cursors). It holds the token of the next request and guards the walk: a token that
 * comes back, a page that makes no progress or a walk longer than the cap ends it with a
 * {@link PageWalkException} instead of an endless loop.
 */
@RegisterForReflection
public final class PageWalk {

    /** The exchange property that carries the walk through a poll route's Loop. */
    public static final String PROPERTY = "pageWalk";

    private final String what;
    private final int maxPages;
    private final Set<String> seen = new HashSet<>();
    private String next;
    private boolean done;
    private int pages;
    private long records;

    private PageWalk(String what, String first, int maxPages) {
        this.what = what;
        this.next = first;
        this.maxPages = maxPages;
    }

    /**
     * @param what names the walk in errors, e.g. "Superfone lead stages"
     * @param first the token of the first request (page "1", skip "0", or null for "no cursor yet")
     */
    public static PageWalk from(String what, String first, int maxPages) {
        return new PageWalk(what, first, maxPages);
    }

    public boolean hasNext() {
        return !done;
    }

    /** The token to request next; null only for the first request of a cursor walk. */
    public String next() {
        return next;
    }

    public int pages() {
        return pages;
    }

    public long records() {
        return records;
    }

    /**
     * Records the page just read.
     *
     * @param answered the token the server says this page is (null: the one requested)
     * @param rows how many records the page held
     * @param following the token of the page after it, or null when this was the last
     */
    public void advance(String answered, int rows, String following) {
        String page = answered != null ? answered : next;
        pages++;
        records += rows;
        if (page != null && !seen.add(page)) {
            throw new PageWalkException(what + ": page " + page + " was answered twice (repeated page or cursor)");
        }
        if (following == null) {
            done = true;
            return;
        }
        if (following.equals(page) || seen.contains(following)) {
            throw new PageWalkException(what + ": the server points back to page " + following
                    + " after page " + page + " (repeated page or cursor)");
        }
        if (rows == 0) {
            throw new PageWalkException(what + ": page " + page + " held no records but the server promised more"
                    + " (no progress)");
        }
        if (pages >= maxPages) {
            throw new PageWalkException(what + ": more than " + maxPages
                    + " pages; stopped at the cap leadsync.stages.max-pages");
        }
        next = following;
    }
}
