package io.leadsync.sync;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.leadsync.config.Mappings;
import io.smallrye.config.ConfigMapping;

/** leadsync.sync.flows is checked at start-up: a flow that cannot work stops the start with one line naming it. */
class FlowsConfigTest {

    /** The configuration keys given (dotted, as in application.properties); every other key absent or false. */
    static Mappings config(Map<String, Object> keys) {
        return new Mappings() {
            @Override
            public <T> T get(Class<T> mapping) {
                return mapping.cast(part(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), keys));
            }
        };
    }

    private static Object part(Class<?> type, String prefix, Map<String, Object> keys) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String key = prefix + "." + method.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            Class<?> result = method.getReturnType();
            if (result.isInterface() && result.getName().startsWith("io.leadsync")) {
                return part(result, key, keys);
            }
            Object value = keys.get(key);
            if (result == Optional.class) {
                return Optional.ofNullable(value);
            }
            return value != null ? value : result == boolean.class ? false : null;
        });
    }

    static List<Flow> flows(String flows) {
        return Flow.parse(config(Map.of("leadsync.sync.flows", List.of(flows.split(",")),
                "leadsync.telecrm.enabled", true, "leadsync.superfone.enabled", true, "leadsync.truto.enabled", true,
                "leadsync.truto.integrated-account-ids", List.of("acc-1"),
                "leadsync.superfone.webhook-secret", "s", "leadsync.truto.webhook-secret", "t")));
    }

    static String refused(String flows) {
        return assertThrows(IllegalArgumentException.class, () -> flows(flows)).getMessage();
    }

    @Test
    void theFlowsBetweenEnabledCrmsAreTaken() {
        assertThat(flows("superfone>telecrm, truto:acc-1>superfone"),
                contains(new Flow("superfone", "telecrm"), new Flow("truto:acc-1", "superfone")));
    }

    @Test
    void aFlowThatCannotWorkStopsTheStartNamingIt() {
        assertThat(refused("superfone-telecrm"), is("'superfone-telecrm' is not source>target"
                + " (superfone>telecrm, telecrm>superfone, truto:<account>>telecrm)"));
        assertThat(refused("hubspot>telecrm"), is("'hubspot>telecrm' unknown source 'hubspot':"
                + " telecrm, superfone or truto:<account>"));
        assertThat(refused("superfone>zoho"), is("'superfone>zoho' target 'zoho' is not an enabled CRM"
                + " (telecrm, superfone, truto:<account>)"));
        assertThat(refused("truto:acc-9>telecrm"), is("'truto:acc-9>telecrm' truto account acc-9"
                + " is not one of leadsync.truto.integrated-account-ids [acc-1]"));
        assertThat(refused("superfone>superfone"), is("'superfone>superfone' goes from a CRM to itself"));
        assertThat(refused("superfone>telecrm,superfone>telecrm"),
                is("'superfone>telecrm' is given twice"));
    }

    @Test
    void teleCrmIsASourceWhenItIsEnabled() {
        assertThat(flows("telecrm>superfone, superfone>telecrm"),
                contains(new Flow("telecrm", "superfone"), new Flow("superfone", "telecrm")));
        Mappings disabled = config(Map.of("leadsync.sync.flows", List.of("telecrm>superfone"), "leadsync.superfone.enabled", true));
        assertThat(assertThrows(IllegalArgumentException.class, () -> Flow.parse(disabled)).getMessage(),
                is("'telecrm>superfone' TeleCRM is not enabled (leadsync.telecrm.enterprise-id and leadsync.telecrm.token):"
                        + " its changes are found by reading its leads"));
    }

    @Test
    void aSourceWithoutItsWebhookSecretStopsTheStart() {
        Mappings config = config(Map.of("leadsync.sync.flows", List.of("superfone>telecrm"), "leadsync.telecrm.enabled", true));
        assertThat(assertThrows(IllegalArgumentException.class, () -> Flow.parse(config)).getMessage(),
                is("'superfone>telecrm' its events come in at POST /webhooks/superfone, which needs"
                        + " leadsync.superfone.webhook-secret"));
    }
}
