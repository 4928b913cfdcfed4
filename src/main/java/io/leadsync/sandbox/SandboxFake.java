package io.leadsync.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a fake CRM's JAX-RS resource (each lives in its CRM's package, io.leadsync.crm.&lt;name&gt;): {@link SandboxSwitch}
 * answers 404 for it unless {@code leadsync.sandbox.enabled} is true, and application.properties keeps it out of the
 * OpenAPI document ({@code mp.openapi.scan.exclude.classes}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SandboxFake {
}
