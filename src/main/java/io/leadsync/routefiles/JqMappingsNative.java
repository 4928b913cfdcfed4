package io.leadsync.routefiles;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The request mappings in routes/ are jq (Camel's camel-jq, no Quarkus extension): what jackson-jq reads reflectively
 * for the native image. Its built-in functions written in jq come from {@code net/thisptr/jackson/jq/jq.json}
 * (included as a resource in application.properties), read with Jackson into these classes; the Java ones are
 * service-loaded, which the native image keeps by itself.
 */
@RegisterForReflection(classNames = {
        "net.thisptr.jackson.jq.internal.JqJson",
        "net.thisptr.jackson.jq.internal.JqJson$JqFuncDef",
        "net.thisptr.jackson.jq.internal.misc.VersionRangeDeserializer",
        "net.thisptr.jackson.jq.internal.functions._MatchImplFunction$CaptureObject",
        "net.thisptr.jackson.jq.internal.functions._MatchImplFunction$MatchObject",
        "org.apache.camel.language.jq.JqLanguage" })
final class JqMappingsNative {

    private JqMappingsNative() {
    }
}
