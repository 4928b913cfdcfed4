package io.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.storage.Store;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * The intake directory's file filter: while the store cannot be written (disk full, read-only, database down)
 * dropped files are left where they are, untouched, and read once it can again. Without it each file would be
 * read into a store that refuses every line and moved to .failed/ for a person to resubmit.
 */
@ApplicationScoped
@Named("whileStoreAvailable")
@RegisterForReflection
public class WhileStoreAvailable implements GenericFileFilter<Object> {

    @Inject
    Store store;

    @Override
    public boolean accept(GenericFile<Object> file) {
        return store.unavailable() == null;
    }
}
