package io.leadsync.crm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpMethods;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A route's {@code CamelHttpMethod: POST} reaches camel-http's enum through a registered converter, not the fallback. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class HttpMethodHeadersTest {

    @Inject
    CamelContext camel;

    @Test
    void theMethodTextHasADirectConverter() {
        assertThat(camel.getTypeConverterRegistry().lookup(HttpMethods.class, String.class), notNullValue());
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, "PATCH"), is(HttpMethods.PATCH));
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, " post"), is(HttpMethods.POST));
    }
}
