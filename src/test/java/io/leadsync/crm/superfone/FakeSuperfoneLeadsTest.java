package io.leadsync.crm.superfone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadsync.sandbox.CrmError;

/** The sandbox's fake Superfone, without a server: what it does with stage titles. */
class FakeSuperfoneLeadsTest {

    @Test
    void superfoneRefusesAStageTitleThatTwoStagesShare() {
        ObjectNode won = stage(13, "Won");
        ObjectNode alsoWon = stage(17, "Won");
        CrmError shared = assertThrows(CrmError.class,
                () -> FakeSuperfoneLeads.stageTitled(List.of(stage(9, "New Lead"), won, alsoWon), "Won"));
        assertEquals(400, shared.response().getStatus());
        assertEquals("Multiple lead stages found with this name",
                ((ObjectNode) shared.response().getEntity()).get("message").asText());
        assertEquals(won, FakeSuperfoneLeads.stageTitled(List.of(won, stage(9, "New Lead")), "Won"));
    }

    private static ObjectNode stage(int id, String title) {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("title", title)
                .put("status", "ACTIVE").put("type", "NONE").put("position", id);
    }
}
