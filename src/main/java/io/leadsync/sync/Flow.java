package io.leadsync.sync;

/** One {@code source>target} pair of leadsync.sync.flows: the source's stage changes become updates for the target. */
public record Flow(String source, String target) {

    @Override
    public String toString() {
        return source + ">" + target;
    }
}
