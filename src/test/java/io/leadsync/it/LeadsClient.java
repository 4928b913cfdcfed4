package io.leadsync.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * POST /leads and GET /leads/{id} from many threads at once (one JDK HTTP client, thread-safe, HTTP/1.1
 * keep-alive), for the tests that load a service from several client threads.
 */
final class LeadsClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** What POST /leads answered. */
    record Answer(int status, String id, String body) {
    }

    /** Posts one update, with an Idempotency-Key when {@code key} is not null; throws when no answer came. */
    Answer post(String baseUri, String update, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + "/leads"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(update));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String id = answer.statusCode() == 202 ? JSON.readTree(answer.body()).path("id").asText() : null;
        return new Answer(answer.statusCode(), id, answer.body());
    }

    /** The receipt of an update: GET /leads/{id}, which must answer 200. */
    JsonNode receipt(String baseUri, String id) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUri + "/leads/" + id))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET /leads/" + id + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the receipts of {@code ids} not yet finished into {@code finished} (id → receipt, once no longer
     * PENDING); returns how many are still PENDING. Finished receipts are not read again.
     */
    int readFinished(String baseUri, Collection<String> ids, Map<String, JsonNode> finished) {
        int pending = 0;
        for (String id : ids) {
            if (!finished.containsKey(id)) {
                JsonNode receipt = receipt(baseUri, id);
                if ("PENDING".equals(receipt.path("status").asText())) {
                    pending++;
                } else {
                    finished.put(id, receipt);
                }
            }
        }
        return pending;
    }

    /** How many receipts have each status: for messages. */
    static Map<String, Integer> statuses(Map<String, JsonNode> receipts) {
        Map<String, Integer> counts = new HashMap<>();
        receipts.values().forEach(r -> counts.merge(r.path("status").asText(), 1, Integer::sum));
        return counts;
    }
}
