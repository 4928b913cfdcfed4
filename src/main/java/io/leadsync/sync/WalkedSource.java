package io.leadsync.sync;

import java.time.Duration;

/**
 * A CRM that sends no webhooks: its stage changes are found by walking its leads (a bean of its package,
 * io.leadsync.crm.&lt;crm&gt;). What the sync flows need to know of those walks: a change a walk reports is timed
 * when the walk saw it, and a write of leadsync's may be seen as late as the longest gap between full walks.
 */
public interface WalkedSource {

    /** The source of the changes its walks find. */
    String source();

    /** How long after leadsync writes a stage to it a walk may see it (the longest gap between full walks). */
    Duration fullInterval();
}
