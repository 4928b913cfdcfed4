package io.leadsync.sandbox;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * TeleCRM's Sync API lead-stage pipeline, as in the public doc "Get lead stage pipeline": the seed's
 * stages and lost reasons plus one archived status and one archived lost reason.
 * Base URL for leadsync: {@code http://<host>/sandbox/telecrm/autoupdate/v2}.
 */
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

    private final ObjectMapper mapper;
    private final SandboxConfig config;
    private final JsonNode pipeline;

    public FakeTeleCrm(ObjectMapper mapper, SandboxConfig config) {
        this.mapper = mapper;
        this.config = config;
        try {
            this.pipeline = mapper.readTree(PIPELINE);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("lead-stage-pipeline")
    public Response leadStagePipeline(@PathParam("enterpriseId") String requested,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!BearerToken.matches(authorization, config.telecrmToken())) {
            return error(401, "NOT_AUTHORIZED", "The token is missing, invalid or not a Sync token.");
        }
        if (!config.telecrmEnterpriseId().equals(requested)) {
            return error(404, "ENTERPRISE_NOT_FOUND", "The enterprise with ID " + requested + " was not found.");
        }
        return Response.ok(pipeline).build();
    }

    private Response error(int status, String code, String message) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return Response.status(status).entity(body).build();
    }
}
