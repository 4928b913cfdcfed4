package io.leadsync.model;

/** What stages and lost reasons share, so one diff notices what changed in either. */
public interface CatalogItem {
    String source();

    String id();

    String name();

    boolean active();
}
