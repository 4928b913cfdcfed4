package io.leadsync.it;

import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a process-level test fails, prints the tail of the log of every {@link ServiceProcess} it made (the
 * whole logs stay in their work dirs under target/): the failure and what leadsync said about it in one report.
 */
class ServiceLogs implements BeforeEachCallback, TestWatcher {

    static final int LINES = 80;

    @Override
    public void beforeEach(ExtensionContext context) {
        ServiceProcess.CREATED.clear();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder report = new StringBuilder("==== " + context.getDisplayName() + " failed: " + cause + "\n");
        for (ServiceProcess process : ServiceProcess.CREATED) {
            report.append(process.logTail(LINES));
        }
        System.err.print(report);
        ServiceProcess.CREATED.clear();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        ServiceProcess.CREATED.clear();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        ServiceProcess.CREATED.clear();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        ServiceProcess.CREATED.clear();
    }
}
