package io.leadsync.crm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.config.LeadsyncConfig;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Bounds every answer read from a CRM, in size ({@code leadsync.http.max-answer-size}) and in time from the request on
 * ({@code leadsync.http.answer-timeout}). camel-http reads each answer whole before a route sees it and its
 * time-outs are per read, so a huge body would fill the heap and a slow drip hold a thread for ever; this wraps the
 * answer's body, outermost in the client's chain (so bytes are counted as the route would read them), and cuts the
 * connection off when either limit is passed. Set on the http and https components (application.properties).
 */
@ApplicationScoped
@Named("crmAnswerLimits")
public class AnswerLimits implements HttpClientConfigurer {

    @Inject
    LeadsyncConfig config;

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        long maxBytes = config.http().maxAnswerSize().asLongValue();
        long timeoutMs = config.http().answerTimeout().toMillis();
        builder.addExecInterceptorFirst("leadsync-answer-limits", (request, scope, chain) -> {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                response.setEntity(new Bounded(entity, maxBytes, deadline, timeoutMs, scope.execRuntime));
            }
            return response;
        });
    }

    /** "16 MiB", or bytes when not whole mebibytes. */
    static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /** The answer's body, failing past either limit. */
    private static final class Bounded extends HttpEntityWrapper {

        private final long maxBytes;
        private final long deadline;
        private final long timeoutMs;
        private final ExecRuntime connection;
        private InputStream content;

        Bounded(HttpEntity entity, long maxBytes, long deadline, long timeoutMs, ExecRuntime connection) {
            super(entity);
            this.maxBytes = maxBytes;
            this.deadline = deadline;
            this.timeoutMs = timeoutMs;
            this.connection = connection;
        }

        @Override
        public synchronized InputStream getContent() throws IOException {
            if (content == null) {
                content = new Counted(super.getContent());
            }
            return content;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            getContent().transferTo(out);
        }

        private final class Counted extends FilterInputStream {

            private long read;

            Counted(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                check(0);
                int b = super.read();
                check(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                check(0);
                int n = super.read(buffer, offset, length);
                check(Math.max(n, 0));
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                check(skipped);
                return skipped;
            }

            /**
             * Past a limit the connection is dropped, not drained: closing an answer normally reads it to its end,
             * which is what must not happen to a huge or dripping one.
             */
            private void check(long more) throws IOException {
                read += more;
                IOException over = read > maxBytes ? new AnswerTooLargeException(maxBytes)
                        : System.nanoTime() - deadline > 0 ? new AnswerTooSlowException(timeoutMs) : null;
                if (over != null) {
                    connection.discardEndpoint();
                    throw over;
                }
            }
        }
    }
}
