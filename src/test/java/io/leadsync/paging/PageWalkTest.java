package io.leadsync.paging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageWalkTest {

    @Test
    void pageNumbersWalkToTheEnd() {
        PageWalk walk = PageWalk.from("pages", "1", 10);
        walk.advance("1", 2, "2");
        walk.advance("2", 2, "3");
        assertThat(walk.next(), is("3"));
        walk.advance("3", 1, null);
        assertThat(walk.hasNext(), is(false));
        assertThat(walk.pages(), is(3));
        assertThat(walk.records(), is(5L));
    }

    @Test
    void aCursorWalkStartsWithoutACursor() {
        PageWalk walk = PageWalk.from("cursors", null, 10);
        assertThat(walk.next(), nullValue());
        walk.advance(null, 3, "abc");
        assertThat(walk.next(), is("abc"));
        walk.advance(null, 0, null);
        assertThat(walk.hasNext(), is(false));
    }

    @Test
    void aCursorThatComesBackStopsTheWalk() {
        PageWalk walk = PageWalk.from("w", null, 10);
        walk.advance(null, 1, "a");
        walk.advance(null, 1, "b");
        assertThat(assertThrows(PageWalkException.class, () -> walk.advance(null, 1, "a")).getMessage(),
                is("w: the server points back to page a after page b (repeated page or cursor)"));
    }

    @Test
    void aPageAnsweredTwiceStopsTheWalk() {
        PageWalk walk = PageWalk.from("w", "1", 10);
        walk.advance("1", 1, "2");
        assertThat(assertThrows(PageWalkException.class, () -> walk.advance("1", 1, "2")).getMessage(),
                is("w: page 1 was answered twice (repeated page or cursor)"));
    }

    @Test
    void anEmptyPageThatPromisesMoreIsNoProgress() {
        PageWalk walk = PageWalk.from("w", "1", 10);
        assertThat(assertThrows(PageWalkException.class, () -> walk.advance("1", 0, "2")).getMessage(),
                is("w: page 1 held no records but the server promised more (no progress)"));
    }

    @Test
    void theCapEndsALongWalk() {
        PageWalk walk = PageWalk.from("w", "1", 2);
        walk.advance("1", 1, "2");
        assertThat(assertThrows(PageWalkException.class, () -> walk.advance("2", 1, "3")).getMessage(),
                is("w: more than 2 pages; stopped at the cap leadsync.stages.max-pages"));
    }
}
