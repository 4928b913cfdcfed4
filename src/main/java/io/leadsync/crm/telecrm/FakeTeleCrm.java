package io.leadsync.crm.telecrm;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.leadsync.sandbox.BearerToken;
import io.leadsync.sandbox.CrmError;
import io.leadsync.sandbox.SandboxFake;

/**
 * TeleCRM's Sync API lead-stage pipeline, as in the public doc "Get lead stage pipeline": the seed's
 * stages and lost reasons plus one archived status and one archived lost reason. Its leads are
 * {@link FakeTeleCrmLeads}.
 * Base URL for leadsync: {@code http://<host>/sandbox/telecrm/autoupdate/v2}.
 */
@SandboxFake
@Path("/sandbox/telecrm/autoupdate/v2/enterprise/{enterpriseId}")
@Produces(MediaType.APPLICATION_JSON)
public class FakeTeleCrm {

    private static final String PIPELINE = """
            {
              "leadStages": [
                {
                  "stageid": "stage_open_1",
                  "stageType": "OPEN",
                  "visibility": true,
                  "activeStatuses": [
                    { "statusid": 1, "label": "Fresh", "color": "#FF5733" },
                    { "statusid": 2, "label": "Contacted", "color": "#33A8FF" },
                    { "statusid": 3, "label": "Qualified", "color": "#33FF57" }
                  ],
                  "archivedStatuses": [
                    { "statusid": 4, "label": "Call Back Later", "color": "#FFC107" }
                  ]
                },
                {
                  "stageid": "stage_won_1",
                  "stageType": "WON",
                  "visibility": true,
                  "activeStatuses": [
                    { "statusid": 10, "label": "Won", "color": "#28A745" }
                  ],
                  "archivedStatuses": []
                },
                {
                  "stageid": "stage_lost_1",
                  "stageType": "LOST",
                  "visibility": true,
                  "activeStatuses": [
                    { "statusid": 20, "label": "Lost", "color": "#DC3545" }
                  ],
                  "archivedStatuses": []
                }
              ],
              "activeLeadLostReasons": [
                { "reasonid": 1, "reasonLabel": "Price too high", "isDefault": false },
                { "reasonid": 2, "reasonLabel": "No Need", "isDefault": false }
              ],
              "archivedLeadLostReasons": [
                { "reasonid": 3, "reasonLabel": "Duplicate lead", "isDefault": false }
              ],
              "creationTimestamp": 1609459200000,
              "modificationTimestamp": 1735689600000,
              "lastModifiedBy": "admin@example.com",
              "version": 3
            }
            """;

    private final TelecrmConfig.Sandbox config;
    private final JsonNode pipeline;
    private final Set<String> activeStatuses = new HashSet<>();
    private final Set<String> archivedStatuses = new HashSet<>();

    public FakeTeleCrm(ObjectMapper mapper, TelecrmConfig config) {
        this.config = config.sandbox();
        try {
            this.pipeline = mapper.readTree(PIPELINE);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode stage : pipeline.get("leadStages")) {
            stage.get("activeStatuses").forEach(status -> activeStatuses.add(status.get("label").asText()));
            stage.get("archivedStatuses").forEach(status -> archivedStatuses.add(status.get("label").asText()));
        }
    }

    @GET
    @Path("lead-stage-pipeline")
    public Response leadStagePipeline(@PathParam("enterpriseId") String requested,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        checkAccess(authorization, requested);
        return Response.ok(pipeline).build();
    }

    /** The Sync token and the enterprise id every TeleCRM call checks first. */
    void checkAccess(String authorization, String enterpriseId) {
        if (!BearerToken.matches(authorization, config.telecrmToken())) {
            throw error(401, "NOT_AUTHORIZED", "The token is missing, invalid or not a Sync token.");
        }
        if (!config.telecrmEnterpriseId().equals(enterpriseId)) {
            throw error(404, "ENTERPRISE_NOT_FOUND", "The enterprise with ID " + enterpriseId + " was not found.");
        }
    }

    /** Why a lead cannot take this status label, or null when it is an active status of the pipeline. */
    String statusProblem(JsonNode label) {
        if (label.isTextual() && activeStatuses.contains(label.asText())) {
            return null;
        }
        if (label.isTextual() && archivedStatuses.contains(label.asText())) {
            return "Status label " + label + " is archived";
        }
        return "Unknown status label " + label;
    }

    /** TeleCRM's error body {@code {"error":{"code","message"}}}. */
    static CrmError error(int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("code", code).put("message", message);
        return new CrmError(Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build());
    }
}
