package io.leadsync.crm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.apache.camel.support.TypeConverterSupport;

/**
 * Route files set a call's method as text ({@code setHeader: CamelHttpMethod, constant: POST}); camel-http reads the
 * header as its own enum. Camel has no direct String-to-that-enum converter, and its fallback lookup cost about 0.23 ms
 * of CPU per lead update (JFR, bench/RESULTS.md, "Lead delivery before/after issue 18"): this registers one.
 */
@ApplicationScoped
public class HttpMethodHeaders {

    void register(@Observes BeforeConfigure event) {
        event.getCamelContext().getTypeConverterRegistry().addTypeConverter(HttpMethods.class, String.class,
                new TypeConverterSupport() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                        try {
                            return (T) HttpMethods.valueOf(value.toString().trim().toUpperCase(java.util.Locale.ROOT));
                        } catch (IllegalArgumentException unknown) {
                            throw new TypeConversionException(value, type, unknown);
                        }
                    }
                });
    }
}
